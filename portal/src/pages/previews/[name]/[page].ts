import type { APIRoute } from 'astro';
import { getConfig } from '../../../lib/config';
import { fetchUpload, uploadFailure, uploadHeaders } from '../../../lib/downloads';
import { MEDIA_NAME } from '../../../lib/media';
import { expireSession } from '../../../lib/server';

const PAGE = /^[1-9]\d{0,3}$/;

const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * The worker's picture of a file's page (a WebP the cards and the collateral page show), fetched
 * from Strapi's `/api/collaterals/files/<name>/pages/<n>` as the signed-in rep. Strapi applies the
 * file's own checks there (a current published item's file; 410 once retracted), so unlike /media
 * this route needs no owner lookup of its own. `no-cache` with the ETag: the browser revalidates
 * each time (a 304 costs no picture), so a retraction holds from the next request on.
 */
export const GET: APIRoute = async (context) => {
  const { params, request, locals } = context;
  const name = params.name ?? '';
  const page = params.page ?? '';
  if (!MEDIA_NAME.test(name) || name.includes('..')) return text(404, 'No such file.');
  if (!PAGE.test(page)) return text(400, 'The page must be a whole number from 1.');
  if (locals.problem) return text(locals.problem.status, 'The file cannot be checked right now. Try again in a minute.');
  if (!locals.session) return expireSession(context);

  const { strapiUrl, cmsTimeoutMs } = getConfig();
  const got = await fetchUpload({ strapiUrl, name, page: Number(page), jwt: locals.session.token, timeoutMs: cmsTimeoutMs, forward: request.headers });
  if (!got.ok) {
    return uploadFailure(got.status, { missing: 'This page has no preview.', gone: 'This file belonged to an item that was retracted. Do not use it.', failed: 'The preview could not be loaded. Try again in a minute.' });
  }
  const { upstream } = got;
  const headers = uploadHeaders(upstream, { filename: `${name.replace(/\.[^.]+$/, '')}-page-${page}.webp`, disposition: 'auto', cacheControl: 'private, no-cache' });
  return new Response(upstream.status === 304 ? null : upstream.body, { status: upstream.status, headers });
};
