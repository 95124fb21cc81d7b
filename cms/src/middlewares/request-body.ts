import type { Core } from '@strapi/strapi';
import { bodyProblemResponse, charsetProblem, describeBodyError, type BodyProblem } from '../utils/request-body';

type Context = Parameters<Core.MiddlewareHandler>[0];

/** The methods koa-body parses bodies for (its default `parsedMethods`). */
const PARSED_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** The bodies koa-body decodes as text: JSON (its json types), forms and text/*. */
const TEXTUAL_TYPES = ['json', '+json', 'application/csp-report', 'urlencoded', 'text/*'];

/** Carries a refusal from strapi::body's `onError` back to the middleware below, which answers it. */
class BodyRefused extends Error {
  constructor(readonly problem: BodyProblem) {
    super(problem.message);
  }
}

function answer(ctx: Context, problem: BodyProblem): void {
  ctx.status = problem.status;
  ctx.body = bodyProblemResponse(problem);
}

/**
 * Global middleware, right before strapi::body. It refuses a textual body declared in a charset other
 * than UTF-8 (415), which the parser would otherwise misread as UTF-8 without a word, and it answers
 * the parser's refusals (see {@link rethrowAsClientError}) itself: strapi::errors would log each of
 * them with a stack trace, as if a client's broken body were a server fault.
 */
export default (): Core.MiddlewareHandler => async (ctx, next) => {
  if (PARSED_METHODS.has(ctx.method) && ctx.is(TEXTUAL_TYPES)) {
    const problem = charsetProblem(ctx.request.charset);
    if (problem) return answer(ctx, problem);
  }
  try {
    await next();
  } catch (err) {
    if (err instanceof BodyRefused) return answer(ctx, err.problem);
    throw err;
  }
};

/**
 * strapi::body's `onError` (cms/config/middlewares.ts): a body the client got wrong (multipart without
 * boundary, a gzip header on a body that is not gzip, broken JSON, too large) answers 400, 413 or 415
 * instead of Strapi's 500. Errors that are the server's own are rethrown unchanged.
 */
export function rethrowAsClientError(error: Error, ctx: Context): never {
  const problem = describeBodyError(error, { contentEncoding: ctx.get('content-encoding') });
  throw problem ? new BodyRefused(problem) : error;
}
