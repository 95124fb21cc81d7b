import type { APIRoute } from 'astro';
import { getConfig } from '../../lib/config';
import { logFailure } from '../../lib/problems';
import { inlineContentType, MEDIA_NAME } from '../../lib/media';

const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * Serves a file from Strapi's uploads to a signed-in rep (the middleware checked the session), so
 * browsers never need to reach the CMS. Only plain upload names pass; anything that could render as
 * a page on our origin is sent as a download inside a sandbox.
 */
export const GET: APIRoute = async ({ params, request }) => {
  const name = params.name ?? '';
  if (!MEDIA_NAME.test(name)) return text(404, 'No such file.');
  let upstream: Response;
  try {
    const { strapiUrl, cmsTimeoutMs } = getConfig();
    const headers: Record<string, string> = {};
    for (const h of ['range', 'if-none-match', 'if-modified-since']) {
      const v = request.headers.get(h);
      if (v) headers[h] = v;
    }
    upstream = await fetch(`${strapiUrl}/uploads/${encodeURIComponent(name)}`, { headers, signal: AbortSignal.timeout(cmsTimeoutMs), redirect: 'manual' });
  } catch (err) {
    logFailure(`media ${name}`, err);
    return text(503, 'The file store is not answering. Try again in a minute.');
  }
  if (upstream.status === 404) return text(404, 'No such file.');
  if (![200, 206, 304].includes(upstream.status)) {
    logFailure(`media ${name}`, new Error(`Strapi answered ${upstream.status}`));
    return text(502, 'The file could not be loaded. Try again in a minute.');
  }
  const type = upstream.headers.get('content-type');
  const inline = inlineContentType(type);
  const headers = new Headers({
    'content-type': inline && type ? type : 'application/octet-stream',
    'cache-control': 'private, max-age=3600',
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${name}"`,
  });
  // Chromium will not show a PDF in a sandboxed document; its viewer runs no page script anyway.
  if (!type?.startsWith('application/pdf')) headers.set('content-security-policy', "sandbox; default-src 'none'; img-src 'self'; media-src 'self'");
  for (const h of ['content-length', 'content-range', 'accept-ranges', 'etag', 'last-modified']) {
    const v = upstream.headers.get(h);
    if (v) headers.set(h, v);
  }
  return new Response(upstream.status === 304 ? null : upstream.body, { status: upstream.status, headers });
};
