import { errors } from '@strapi/utils';
import type { z } from 'zod';

/**
 * Parses input with a zod schema or throws Strapi's ValidationError (HTTP 400) whose message names the
 * fields, and whose details list each problem with its path, as Strapi's own validation does.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what = 'Request'): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
        : issue.message;
    return { path: issue.path.map(String), message, name: 'ValidationError' };
  });
  throw new errors.ValidationError(`${what} is invalid: ${problems.map((p) => p.message).join('; ')}`, { errors: problems });
}
