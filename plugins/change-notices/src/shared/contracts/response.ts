import { z } from 'zod';

/**
 * What every response contract shares: Strapi's pagination, the tolerant nullable fields, and the one
 * way a server turns a body into the response its contract describes.
 */

/** A text the server may leave out or send as null; readers always get null. */
export const nullableText = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

/** A whole number the server may leave out or send as null; readers always get null. */
export const nullableInt = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? null);

/** `meta.pagination` of a Strapi list (the CMS's own lists and the plugin's). */
export const paginationSchema = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  pageCount: z.number().int(),
  total: z.number().int(),
});
export type Pagination = z.infer<typeof paginationSchema>;

/** Where a body breaks its contract, in one line: `data.0.why: Invalid input; …` (the first three). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** A response body that does not match its contract: a bug on the server that sends it. */
export class ContractError extends Error {
  override name = 'ContractError';
}

/**
 * The body a server answers with, checked and shaped by its contract: fields the contract does not
 * name are dropped, and a body that breaks it throws a {@link ContractError} (a 500, never a wrong
 * 200). The body is checked as JSON, the form the portal and the admin parse it in (dates become
 * strings, undefined fields disappear), so what passes here passes there.
 */
export function shapeResponse<S extends z.ZodType>(schema: S, body: z.input<S>, what: string): z.output<S> {
  const parsed = schema.safeParse(JSON.parse(JSON.stringify(body ?? null)));
  if (parsed.success) return parsed.data;
  throw new ContractError(`The response of ${what} does not match its contract (${describeIssues(parsed.error)}).`, { cause: parsed.error });
}
