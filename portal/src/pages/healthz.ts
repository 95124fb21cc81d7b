import type { APIRoute } from 'astro';
import { getConfig } from '../lib/config';

/**
 * Liveness for the stack and load balancers: the process serves and its configuration is valid.
 * It does not call Strapi, so a CMS outage shows reps a clear page instead of taking the portal out
 * of rotation.
 */
export const GET: APIRoute = () => {
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  try {
    getConfig();
    return new Response(JSON.stringify({ ok: true }), { status: 200, headers });
  } catch (err) {
    return new Response(JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) }), { status: 503, headers });
  }
};
