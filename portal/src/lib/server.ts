/** Server-side wiring shared by the middleware and pages: the CMS client and page loading. */
import { STATUS_CODES } from 'node:http';
import type { AstroCookies } from 'astro';
import { createCmsClient, type CmsClient } from './cms';
import { getConfig } from './config';
import { describeFailure, logFailure, type Problem } from './problems';
import { loginPath, SESSION_COOKIE } from './session';

let client: CmsClient | undefined;

/** The process's CMS client. @throws ConfigError while the configuration is invalid. */
export function cms(): CmsClient {
  if (!client) {
    const config = getConfig();
    client = createCmsClient({ baseUrl: config.strapiUrl, timeoutMs: config.cmsTimeoutMs });
  }
  return client;
}

/** The parts of Astro's page context that loading needs. */
export interface PageContext {
  locals: App.Locals;
  cookies: AstroCookies;
  url: URL;
  redirect(path: string, status?: 301 | 302 | 303 | 307 | 308): Response;
  response: { status?: number; statusText?: string };
}

/** Sets a page's status with its standard reason phrase (Astro would keep the default "OK"). */
export function setStatus(response: { status?: number; statusText?: string }, status: number): void {
  response.status = status;
  response.statusText = STATUS_CODES[status] ?? '';
}

export type Loaded<T> = { ok: true; data: T } | { ok: false; problem: Problem } | { ok: false; redirect: Response };

/** Ends the session and sends the rep to sign in, back to where they were afterwards. */
export function expireSession(ctx: Pick<PageContext, 'cookies' | 'url' | 'redirect'>): Response {
  ctx.cookies.delete(SESSION_COOKIE, { path: '/' });
  return ctx.redirect(loginPath(ctx.url.pathname + ctx.url.search, 'expired'), 303);
}

/**
 * Runs a page's CMS reads for the signed-in rep. Failures become a problem (with the response status
 * set) or a redirect to sign in, so a page renders one of three things and never throws.
 */
export async function loadForRep<T>(ctx: PageContext, loader: (client: CmsClient, token: string) => Promise<T>): Promise<Loaded<T>> {
  if (ctx.locals.problem) {
    setStatus(ctx.response, ctx.locals.problem.status);
    return { ok: false, problem: ctx.locals.problem };
  }
  const session = ctx.locals.session;
  if (!session) return { ok: false, redirect: expireSession(ctx) };
  try {
    return { ok: true, data: await loader(cms(), session.token) };
  } catch (err) {
    const outcome = describeFailure(err);
    if (outcome.kind === 'reauth') return { ok: false, redirect: expireSession(ctx) };
    if (outcome.log) logFailure(`${ctx.url.pathname}`, err);
    setStatus(ctx.response, outcome.problem.status);
    return { ok: false, problem: outcome.problem };
  }
}
