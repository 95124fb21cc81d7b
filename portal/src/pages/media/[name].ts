import type { APIRoute } from 'astro';
import { getConfig } from '../../lib/config';
import { fetchUpload, mediaDecision, mediaOwners, uploadFailure, uploadHeaders } from '../../lib/downloads';
import { MEDIA_NAME } from '../../lib/media';
import { describeFailure, logFailure } from '../../lib/problems';
import { cms, expireSession } from '../../lib/server';

const text = (status: number, body: string, extra: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra } });

/**
 * Serves a file from Strapi's checked file route to a signed-in rep (the middleware checked the
 * session), so browsers never need to reach the CMS or the file store. Only plain upload names pass; anything that could render as
 * a page on our origin is sent as a download inside a sandbox.
 *
 * Why it asks Strapi which collateral owns the file, on every request: this route used to serve any
 * upload to any signed-in rep, so a retracted item's PDF stayed one bookmarked link away, and its
 * downloads were never logged (retraction notices go to the reps who recently viewed or downloaded
 * an item). Now:
 * - a file (or a cover, or one of the cover's generated sizes) of a retracted item answers 410;
 * - a document of a current item is redirected to `/collateral/<slug>/download/<file>`, which checks
 *   the standing again and logs the download, so old `/media/…pdf` links keep working;
 * - images of current items (covers, thumbnails) and uploads no collateral uses are served here;
 *   documents no current collateral uses are not.
 * No cached answer: a retraction must hold from the next request on. The cost is one small Strapi
 * query per file, and browsers keep images for an hour, so pages do not ask again.
 */
export const GET: APIRoute = async (context) => {
  const { params, request, locals } = context;
  const name = params.name ?? '';
  if (!MEDIA_NAME.test(name)) return text(404, 'No such file.');
  // The session could not be checked because Strapi failed: neither can the file.
  if (locals.problem) return text(locals.problem.status, 'The file cannot be checked right now. Try again in a minute.');
  const session = locals.session;
  if (!session) return expireSession(context);

  let decision;
  try {
    decision = mediaDecision(name, await mediaOwners(cms(), session.token, name));
  } catch (err) {
    const outcome = describeFailure(err);
    if (outcome.kind === 'reauth') return expireSession(context);
    if (outcome.log) logFailure(`media ${name}: who owns it`, err);
    // Without knowing whether the file was retracted, it is not served.
    return text(outcome.problem.status === 403 ? 403 : 503, 'The file cannot be checked right now. Try again in a minute.');
  }
  if (decision.action === 'gone') {
    return text(410, `This file belonged to “${decision.title}”, which was retracted. Do not use it. Why, and what to use instead: /collateral/${decision.slug}`, {
      link: `</collateral/${decision.slug}>; rel="alternate"`,
    });
  }
  if (decision.action === 'download') return new Response(null, { status: 303, headers: { location: decision.href, 'cache-control': 'no-store' } });
  if (decision.action === 'missing') return text(404, 'No such file. Documents are downloaded from their collateral page.');

  const { strapiUrl, cmsTimeoutMs } = getConfig();
  const got = await fetchUpload({ strapiUrl, name, jwt: session.token, timeoutMs: cmsTimeoutMs, forward: request.headers });
  if (!got.ok) {
    return uploadFailure(got.status, { missing: 'No such file.', gone: 'This file belonged to an item that was just retracted. Do not use it.', failed: 'The file could not be loaded. Try again in a minute.' });
  }
  const { upstream } = got;
  const headers = uploadHeaders(upstream, { filename: name, disposition: 'auto', cacheControl: 'private, max-age=3600' });
  return new Response(upstream.status === 304 ? null : upstream.body, { status: upstream.status, headers });
};
