import { SHARE_TOKEN_PATTERN } from '@candor/change-notices/contracts';
import { CmsError } from './cms';
import { allowBuyer, buyerAsset } from './shares';

const NUMBER = /^[1-9]\d{0,9}$/;
const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * A buyer's page picture or file: checked by Strapi on every request (the link's state and the item's
 * standing), streamed through. A bad or unknown token or number is a plain 404 that says nothing more.
 */
export async function serveBuyerAsset(opts: { token: string; file: string; page: string | null; client: string }): Promise<Response> {
  const { token, file, page } = opts;
  const notFound = async () => ((await allowBuyer(opts.client, 'miss')) ? text(404, 'There is nothing at this address.') : text(429, 'Too many requests for links that do not exist. Wait a minute.'));
  if (!SHARE_TOKEN_PATTERN.test(token) || !NUMBER.test(file) || (page !== null && (!NUMBER.test(page) || Number(page) > 10_000))) return notFound();
  let upstream: Response;
  try {
    upstream = await buyerAsset(token, file, page);
  } catch (err) {
    if (err instanceof CmsError) return text(503, 'This file cannot be loaded right now. Try again in a minute.');
    throw err;
  }
  if (upstream.status !== 200) {
    await upstream.body?.cancel().catch(() => undefined);
    if (upstream.status === 404) return notFound();
    if (upstream.status === 410) return text(410, 'This material is no longer available through this link.');
    if (upstream.status === 403) return text(403, 'The sender shared this to view only.');
    if (upstream.status === 429) return text(429, 'Too many requests. Wait a minute.');
    return text(502, 'This file cannot be loaded right now. Try again in a minute.');
  }
  const headers = new Headers({ 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream', 'x-content-type-options': 'nosniff' });
  for (const h of ['content-length', 'content-disposition']) {
    const v = upstream.headers.get(h);
    if (v) headers.set(h, v);
  }
  // Nothing served here may run as a page of the portal.
  if (!headers.get('content-type')!.startsWith('image/')) headers.set('content-security-policy', "sandbox; default-src 'none'");
  return new Response(upstream.body, { status: 200, headers });
}
