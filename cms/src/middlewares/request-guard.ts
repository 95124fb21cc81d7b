import type { Core } from '@strapi/strapi';
import { bodyProblemResponse } from '../utils/request-body';

/** Deeper than any body this API takes (Strapi's own deepest, a component in a dynamic zone, is ~10). */
export const MAX_BODY_DEPTH = 64;

/**
 * PostgreSQL "data exception" codes a client's value causes: text where a number goes (22P02), a number
 * past the column's range (22003), bytes the encoding refuses (22021, e.g. U+0000) and a \u0000 escape
 * in jsonb (22P05). Strapi's own query filters pass such values through, and they answered 500.
 */
const CLIENT_DATA_EXCEPTIONS = new Set(['22P02', '22003', '22021', '22P05']);

/** What is wrong with a parsed body no route here can use, or null: too deep, or a NUL in a string. */
export function bodyProblem(value: unknown, limit = MAX_BODY_DEPTH): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return 'The body contains a NUL character (U+0000); text sent to this API may not.';
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return `The body nests arrays or objects more than ${limit} levels deep; no request to this API needs that.`;
    for (const [key, child] of Object.entries(v)) {
      if (key.includes('\u0000')) return 'The body contains a NUL character (U+0000) in a field name.';
      stack.push([child, depth + 1]);
    }
  }
  return null;
}

function refuse(ctx: Parameters<Core.MiddlewareHandler>[0], message: string) {
  ctx.status = 400;
  ctx.body = bodyProblemResponse({ status: 400, message });
}

/**
 * Global middleware, right after strapi::body: refuses with 400 what no route can use and what broke
 * Strapi with a 500 instead: a NUL character in the URL or the body (PostgreSQL cannot store or
 * compare U+0000 in text), bodies nested past MAX_BODY_DEPTH (Strapi's yup validation prints a refused
 * value recursively, so arrays nested thousands deep in `POST /api/auth/local` overflowed the stack),
 * and values PostgreSQL refuses as data (e.g. `?filters[id][$eq]=2147483648`, past an integer column).
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => async (ctx, next) => {
  if (/%00/i.test(ctx.url)) return refuse(ctx, 'The address contains a NUL character (%00); addresses of this API may not.');
  const problem = bodyProblem((ctx.request as { body?: unknown }).body);
  if (problem) return refuse(ctx, problem);
  try {
    await next();
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !CLIENT_DATA_EXCEPTIONS.has(code)) throw err;
    // A client's value, not a fault of ours: no stack trace in the error log, one line for whoever looks.
    strapi.log.warn(`${ctx.method} ${ctx.path}: the database refused a value of the request (${code}): ${(err as Error).message.split(' - ').pop()}`);
    refuse(ctx, 'A value in the request does not fit the field it is compared with or stored in (a number out of range, or text where a number goes).');
  }
};
