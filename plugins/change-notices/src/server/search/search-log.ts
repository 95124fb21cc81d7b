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

/** A rep logs at most this many searches a minute (search as you type logs the settled query only). */
export const SEARCH_LOG_PER_MINUTE = 60;
/** The same rep asking the same thing again within this window is one search, not another content request. */
const SAME_SEARCH_WINDOW_MS = 10 * 60_000;

/**
 * Records one search a rep ran; the normalized query is stored so grouping is plain SQL. A repeat of
 * the same query (and filters) by the same rep within ten minutes is counted once; more than
 * SEARCH_LOG_PER_MINUTE a minute answers 429. Returns whether a row was written.
 */
export async function logSearch(strapi: Core.Strapi, userId: number, input: SearchLogInput): Promise<boolean> {
  assertModel(strapi);
  const log = strapi.db.query(SEARCH_LOG_UID as never);
  const normalizedQuery = normalizeQuery(input.query).slice(0, 200);
  const now = Date.now();
  const recent = (await log.findMany({
    where: { user: { id: userId }, at: { $gte: new Date(now - SAME_SEARCH_WINDOW_MS) } },
    select: ['normalizedQuery', 'filters', 'at'],
    orderBy: { at: 'desc' },
    limit: 500,
  })) as { normalizedQuery: string; filters: unknown; at: unknown }[];
  const filters = JSON.stringify(input.filters);
  if (recent.some((r) => r.normalizedQuery === normalizedQuery && JSON.stringify(typeof r.filters === 'string' ? JSON.parse(r.filters) : r.filters) === filters)) return false;
  if (recent.filter((r) => millis(r.at) >= now - 60_000).length >= SEARCH_LOG_PER_MINUTE) {
    throw new errors.RateLimitError(`At most ${SEARCH_LOG_PER_MINUTE} searches a minute are logged; try again in a minute.`);
  }
  await log.create({
    data: {
      query: input.query,
      normalizedQuery,
      filters: input.filters,
      hitCount: input.hitCount,
      at: new Date(),
      user: userId,
    },
  });
  return true;
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
