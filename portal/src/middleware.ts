import { defineMiddleware } from 'astro:middleware';
import { getConfig } from './lib/config';
import { isAllowedOrigin } from './lib/origin';
import { describeFailure, logFailure } from './lib/problems';
import { cms, expireSession } from './lib/server';
import { isPublicPath, loginPath, SESSION_COOKIE } from './lib/session';

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
 * Guards every request: form posts must come from our own pages, and every page but sign-in and the
 * health probe needs a rep whose session Strapi still accepts.
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

  if (isPublicPath(url.pathname)) return withHeaders(await next(), SECURITY_HEADERS);

  const token = cookies.get(SESSION_COOKIE)?.value;
  if (!token) return withHeaders(context.redirect(loginPath(url.pathname + url.search), 303), SECURITY_HEADERS);

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
