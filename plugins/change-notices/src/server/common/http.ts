/** What every controller of the plugin shares: the typed Koa context, the signed-in user, the body, ids. */
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { z } from 'zod';
import { shapeResponse } from '../../shared/contracts';

export type Ctx = Context;

/** The signed-in users-permissions user's id, or 401. */
export function userIdOf(ctx: Ctx): number {
  const user: unknown = ctx.state.user;
  const id = user && typeof user === 'object' && 'id' in user ? Number(user.id) : NaN;
  if (!Number.isInteger(id) || id <= 0) throw new errors.UnauthorizedError('Sign in first.');
  return id;
}

/** The request body, unwrapped from Strapi's `{ data: … }` envelope when it has one. */
export function bodyOf(ctx: Ctx): unknown {
  const body: unknown = (ctx.request as { body?: unknown }).body;
  if (body && typeof body === 'object' && !Array.isArray(body) && 'data' in body) return body.data;
  return body;
}

/** The largest id our tables hold (their id columns are 32-bit integers on PostgreSQL). */
export const MAX_ID = 2_147_483_647;

/**
 * A strict positive integer from a URL: "27" yes; "0x1b", "1.00", " 1", "01", "1e3" no, so one row
 * has exactly one spelling; past MAX_ID no (PostgreSQL answered such a comparison with an error, a 500).
 */
export const positiveIntParam = (error: string) =>
  z
    .string({ error })
    .regex(/^[1-9][0-9]{0,9}$/, { error })
    .transform(Number)
    .refine((n) => n <= MAX_ID, { error: `${error} (at most ${MAX_ID})` });

export const idParam = (what: string) => positiveIntParam(`id must be ${what}`);

/**
 * Answers with `body` as its contract (a schema of `shared/contracts`) shapes it: the portal and the
 * admin parse the answer with the same schema. A body that breaks its contract is a 500, not a 200.
 */
export function respond<S extends z.ZodType>(ctx: Ctx, schema: S, body: z.input<S>): void {
  ctx.body = shapeResponse(schema, body, `${ctx.method} ${ctx.path}`);
}

/** 503 in Strapi's error shape: a dependency is off or down, and the caller may try later. */
export function unavailable(ctx: Ctx, message: string) {
  ctx.status = 503;
  ctx.set('Retry-After', '30');
  ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message, details: {} } };
}
