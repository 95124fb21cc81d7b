import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { APP_UIDS } from '../subjects';
import { normalizeQuery, type ContentRequest, type SearchLogInput } from '../../shared/contracts';

/** The app's search-log content type (cms/src/api/search-log): no REST routes, marketers read it in the admin. */
export const SEARCH_LOG_UID = APP_UIDS.searchLog;

function assertModel(strapi: Core.Strapi) {
  if (!strapi.contentTypes[SEARCH_LOG_UID as keyof typeof strapi.contentTypes]) {
    throw new errors.NotImplementedError(`Search logging needs the ${SEARCH_LOG_UID} content type, which this app does not have.`);
  }
}

/** Records one search a rep ran; the normalized query is stored so grouping is plain SQL. */
export async function logSearch(strapi: Core.Strapi, userId: number, input: SearchLogInput): Promise<void> {
  assertModel(strapi);
  await strapi.db.query(SEARCH_LOG_UID as never).create({
    data: {
      query: input.query,
      normalizedQuery: normalizeQuery(input.query).slice(0, 200),
      filters: input.filters,
      hitCount: input.hitCount,
      at: new Date(),
      user: userId,
    },
  });
}

const millis = (v: unknown): number => (v instanceof Date ? v.getTime() : typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : Date.parse(String(v)));

/**
 * Zero-result queries of the last `days`, grouped by normalized query, most asked first: what reps
 * looked for and did not find is what marketing should write next.
 */
export async function contentRequests(strapi: Core.Strapi, opts: { days: number; limit: number }): Promise<{ data: ContentRequest[]; since: string }> {
  assertModel(strapi);
  const meta = strapi.db.metadata.get(SEARCH_LOG_UID) as unknown as {
    tableName: string;
    attributes: Record<string, { columnName?: string; joinTable?: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } } } | undefined>;
  };
  const column = (attr: string): string => meta.attributes[attr]?.columnName ?? attr.replace(/[A-Z]/g, (c: string) => `_${c.toLowerCase()}`);
  const join = meta.attributes.user?.joinTable;
  const schema = strapi.db.getSchemaName();
  const qualify = (t: string) => (schema ? `${schema}.${t}` : t);
  const since = new Date(Date.now() - opts.days * 86_400_000);
  const knex = strapi.db.connection;

  const q = knex({ l: qualify(meta.tableName) })
    .where(`l.${column('hitCount')}`, 0)
    .andWhere(`l.${column('at')}`, '>=', since)
    .andWhere(`l.${column('normalizedQuery')}`, '<>', '')
    .groupBy(`l.${column('normalizedQuery')}`)
    .select({ query: `l.${column('normalizedQuery')}` })
    .count({ n: '*' })
    .max({ last: `l.${column('at')}` })
    .orderBy([{ column: 'n', order: 'desc' }, { column: 'last', order: 'desc' }])
    .limit(opts.limit);
  if (join) {
    q.leftJoin({ j: qualify(join.name) }, `j.${join.joinColumn.name}`, 'l.id').countDistinct({ users: `j.${join.inverseJoinColumn.name}` });
  }
  const rows = (await q) as { query: string; n: number | string; last: unknown; users?: number | string }[];
  return {
    data: rows.map((r) => ({ query: r.query, count: Number(r.n), users: Number(r.users ?? 0), lastSeenAt: new Date(millis(r.last)).toISOString() })),
    since: since.toISOString(),
  };
}
