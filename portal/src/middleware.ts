import { ActionError, getActionContext } from 'astro:actions';
import { defineMiddleware } from 'astro:middleware';
import type { APIContext } from 'astro';
import { getConfig } from './lib/config';
import { formPostProblem, oversizePost, type PostProblem } from './lib/form-posts';
import { isAllowedOrigin } from './lib/origin';
import { describeFailure, logFailure } from './lib/problems';
import { cms, expireSession } from './lib/server';
import { isBuyerPath, isPublicPath, loginPath, SESSION_COOKIE, sessionTokenFrom } from './lib/session';
import { allowBuyer } from './lib/shares';

/** Headers every answer carries: no framing, no sniffing, no referrer leaking collateral URLs. */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

function withHeaders(response: Response, extra: Record<string, string>): Response {
  // Redirects and some error responses have immutable headers: copy them when needed.
  let res = response;
  try {
    for (const [k, v] of Object.entries(extra)) res.headers.set(k, v);
  } catch {
    res = new Response(response.body, response);
    for (const [k, v] of Object.entries(extra)) res.headers.set(k, v);
  }
  return res;
}

/**
 * A post whose body the portal will not read. Calls to `/_actions/…` get the action error JSON
 * Astro's own client reads; form posts to a page get the sentence as text.
 */
function refusePost(context: APIContext, problem: PostProblem): Response {
  const { action, serializeActionResult } = getActionContext(context);
  if (action?.calledFrom === 'rpc') {
    const code = problem.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : problem.status === 413 ? 'CONTENT_TOO_LARGE' : 'BAD_REQUEST';
    const error = new ActionError({ code, message: problem.message });
    const serialized = serializeActionResult({ data: undefined, error });
    if (serialized.type === 'error') return new Response(serialized.body, { status: serialized.status, headers: { 'content-type': serialized.contentType, ...SECURITY_HEADERS } });
  }
  return new Response(problem.message, { status: problem.status, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });
}

/**
 * Guards every request: form posts must come from our own pages and be forms, and every page but
 * sign-in and the health probe needs a rep whose session Strapi still accepts.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  const { request, url, cookies, locals } = context;

  let portalOrigin: string | null = null;
  try {
    portalOrigin = getConfig().portalOrigin;
  } catch {
    // A broken configuration is reported by the page that needs it; the origin check still runs.
  }
  const originOk = isAllowedOrigin({
    method: request.method,
    origin: request.headers.get('origin'),
    secFetchSite: request.headers.get('sec-fetch-site'),
    requestOrigin: url.origin,
    portalOrigin,
  });
  if (!originOk) {
    return new Response('This form was sent from another site, so it was refused. Reload the page and try again.', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
    });
  }

  if (request.method === 'POST') {
    const problem = formPostProblem(request.headers.get('content-type')) ?? (await oversizePost(request));
    if (problem) return refusePost(context, problem);
  }

  if (isBuyerPath(url.pathname)) {
    // Buyers: never indexed, never cached by others, the token never leaks in a Referer; and slowed
    // down per client once they ask too often.
    const buyerHeaders = { ...SECURITY_HEADERS, 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex, nofollow', 'cache-control': 'private, no-store' };
    // Per client and link: one buyer paging fast is not held up by a guesser on the same network.
    if (!(await allowBuyer(`${context.clientAddress} ${url.pathname.split('/')[2] ?? ''}`, 'request'))) {
      return new Response('Too many requests. Wait a minute, then reload the page.', { status: 429, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '60', ...buyerHeaders } });
    }
    return withHeaders(await next(), buyerHeaders);
  }

  if (isPublicPath(url.pathname)) return withHeaders(await next(), SECURITY_HEADERS);

  const cookie = cookies.get(SESSION_COOKIE)?.value;
  const token = sessionTokenFrom(cookie);
  if (!token) {
    // A cookie that cannot hold a JWT (tampered, truncated) ends like an expired session: cleared.
    if (cookie !== undefined) return withHeaders(expireSession(context), SECURITY_HEADERS);
    return withHeaders(context.redirect(loginPath(url.pathname + url.search), 303), SECURITY_HEADERS);
  }

  try {
    locals.session = { token, user: await cms().me(token) };
  } catch (err) {
    const outcome = describeFailure(err);
    if (outcome.kind === 'reauth') return withHeaders(expireSession(context), SECURITY_HEADERS);
    if (outcome.log) logFailure(`session check for ${url.pathname}`, err);
    locals.problem = outcome.problem;
  }

  const response = await next();
  // Pages behind sign-in are personal: no shared cache may keep them. Media set their own caching.
  const caching: Record<string, string> = response.headers.has('cache-control') ? {} : { 'cache-control': 'private, no-store' };
  return withHeaders(response, { ...SECURITY_HEADERS, ...caching });
});
