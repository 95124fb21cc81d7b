/**
 * `npm run bench:search`: search over 10,000 and 100,000 synthetic collateral (~300 words each).
 *
 * For each size, on a fresh in-process Strapi (SQLite, or PostgreSQL with CANDOR_TEST_DB=postgres) and
 * a fresh Meilisearch process:
 * - loads the items into Strapi's tables in bulk (knex; published rows, their relations and a version
 *   each), then indexes them with the same `search.rebuild()` that `npm run reindex` runs;
 * - times a fixed mix of queries (words, phrases, typos, synonyms, facet filters) three ways: straight
 *   to Meilisearch with a tenant token; the portal's path (tenant token from the CMS, Meilisearch, then
 *   the truth overlay over HTTP for the hits); and the naive baseline, Strapi REST `$containsi` on
 *   title, summary and body with the same filters;
 * - measures how long after a standing change the portal path shows it (truth overlay) and the index
 *   itself does (outbox → Meilisearch), with the dispatcher running.
 * Prints a table and writes bench-results/search.md. Timings are measured, never asserted.
 *
 * Options: --sizes 10000,100000 (default), --rounds 5 (passes over the query mix), --baseline-rounds 1,
 * --meili-log <file> (keep Meilisearch's log).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Meilisearch, type Index } from 'meilisearch';
import { SEARCH_DISPLAY, SEARCH_HTTP_HEADERS, type TruthResponse } from '../../plugins/change-notices/src/shared/contracts/search';
import { startTestCms, type TestCms } from '../../cms/tests/harness';
import { startMeili, type TestMeili } from '../../cms/tests/meili';
import { startSmtpReceiver } from '../../cms/tests/receivers';
import { QUERIES, refOf, synthetic, type BenchQuery } from './search-data';
import { ms, report, s } from './table';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const sizes = arg('sizes', '10000,100000').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const rounds = Number(arg('rounds', '5'));
const baselineRounds = Number(arg('baseline-rounds', '1'));
if (!sizes.length || !(rounds > 0) || !(baselineRounds > 0)) {
  console.error('usage: npm run bench:search -- [--sizes 10000,100000] [--rounds 5] [--baseline-rounds 1]');
  process.exit(2);
}

const UID = 'api::collateral.collateral';
/** How long a standing change may take to show before the run gives up. */
const WAIT_LIMIT_MS = Number(process.env.BENCH_WAIT_LIMIT_MS ?? 120_000);
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const median = (values: number[]) => pct(values, 50);
const log = (text: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${text}`);

/** Bulk-loads `count` synthetic items: published rows, relation links and a first version each. */
async function loadSynthetic(cms: TestCms, count: number): Promise<void> {
  const { strapi } = cms;
  const knex = strapi.db.connection;
  const meta = strapi.db.metadata.get(UID) as any;
  const col = (attr: string): string => meta.attributes[attr].columnName ?? attr;
  const link = (attr: string) => meta.attributes[attr].joinTable as { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string }; orderColumnName?: string; inverseOrderColumnName?: string };
  const targets = async (uid: string, published: boolean) =>
    (await strapi.db.query(uid as never).findMany({ where: published ? { publishedAt: { $notNull: true } } : {}, select: ['id', 'documentId', uid === 'api::claim.claim' ? 'statement' : 'name'] })) as any[];
  const lists = {
    products: await targets('api::product.product', false),
    regions: await targets('api::region.region', false),
    personas: await targets('api::persona.persona', false),
    claims: await targets('api::claim.claim', true),
  };
  const counts = { products: lists.products.length, regions: lists.regions.length, personas: lists.personas.length, claims: lists.claims.length };
  const ref = (item: any, label: string) => ({ ref: item.documentId, label: item[label] });
  // SQLite caps a compound SELECT (knex's multi-row insert) at 500 terms.
  const insert = async (trx: typeof knex, table: string, rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += 200) await trx(table).insert(rows.slice(i, i + 200));
  };
  const BATCH = 500;
  for (let start = 0; start < count; start += BATCH) {
    const items = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => synthetic(start + k, counts));
    const now = new Date();
    await knex.transaction(async (trx) => {
      const rows = items.map((it) => ({
        [col('documentId')]: it.documentId,
        [col('title')]: it.title,
        [col('slug')]: it.slug,
        [col('kind')]: it.kind,
        [col('summary')]: it.summary,
        [col('body')]: it.body,
        [col('funnelStage')]: it.funnelStage,
        [col('standing')]: 'confirmed',
        [col('needsReview')]: false,
        [col('stale')]: false,
        [col('createdAt')]: it.publishedAt,
        [col('updatedAt')]: it.publishedAt,
        [col('publishedAt')]: it.publishedAt,
      }));
      const ids: number[] = [];
      for (let i = 0; i < rows.length; i += 200) {
        const inserted = (await trx(meta.tableName).insert(rows.slice(i, i + 200)).returning('id')) as (number | { id: number })[];
        ids.push(...inserted.map((r) => (typeof r === 'object' ? r.id : r)));
      }
      for (const [attr, list, pickOf] of [
        ['products', lists.products, (it: (typeof items)[number]) => it.products],
        ['regions', lists.regions, (it: (typeof items)[number]) => it.regions],
        ['personas', lists.personas, (it: (typeof items)[number]) => it.personas],
        ['claims', lists.claims, (it: (typeof items)[number]) => (it.claim == null ? [] : [it.claim])],
      ] as const) {
        const jt = link(attr);
        const links = items.flatMap((it, k) =>
          pickOf(it).map((target, ord) => ({
            [jt.joinColumn.name]: ids[k],
            [jt.inverseJoinColumn.name]: list[target].id,
            ...(jt.orderColumnName ? { [jt.orderColumnName]: ord + 1 } : {}),
            ...(jt.inverseOrderColumnName ? { [jt.inverseOrderColumnName]: 1 } : {}),
          }))
        );
        await insert(trx, jt.name, links);
      }
      // Version 1 of each, with the snapshot the plugin would have taken, so history and diffs work.
      await insert(
        trx,
        'cn_versions',
        items.map((it) => {
          const snapshot = {
            title: it.title, slug: it.slug, kind: it.kind, summary: it.summary, body: it.body, standing: 'confirmed', standingReason: null, nowTrue: null,
            replacedBy: null,
            claims: it.claim == null ? [] : [ref(lists.claims[it.claim], 'statement')],
            products: it.products.map((p) => ref(lists.products[p], 'name')).sort((a, b) => a.label.localeCompare(b.label)),
            regions: it.regions.map((p) => ref(lists.regions[p], 'name')).sort((a, b) => a.label.localeCompare(b.label)),
            personas: it.personas.map((p) => ref(lists.personas[p], 'name')).sort((a, b) => a.label.localeCompare(b.label)),
            funnelStage: it.funnelStage, files: [], cover: null, reviewBy: null,
          };
          return {
            subject_uid: UID, subject_document_id: it.documentId, number: 1, cause: 'publish', title: it.title, summary: 'First published version.',
            standing: 'confirmed', snapshot: JSON.stringify(snapshot), changes: '[]', author_kind: 'system', author_name: 'Benchmark', created_at: now.getTime(),
          };
        })
      );
    });
    if ((start / BATCH) % 20 === 19) log(`loaded ${start + items.length} / ${count}`);
  }
}

interface Timed {
  samples: number[];
  zero: number;
}

async function timeQueries(run: (q: BenchQuery) => Promise<number>, passes: number, queries = QUERIES): Promise<Timed> {
  const samples: number[] = [];
  let zero = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (const q of queries) {
      const t0 = performance.now();
      const hits = await run(q);
      samples.push(performance.now() - t0);
      if (pass === 0 && hits === 0) zero++;
    }
  }
  return { samples, zero };
}

async function benchSize(count: number) {
  console.log(`\n${count.toLocaleString('en')} items (${process.env.CANDOR_TEST_DB ?? 'sqlite'})`);
  const meiliLog = arg('meili-log', '');
  const meili: TestMeili = await startMeili(meiliLog ? { logFile: meiliLog } : {});
  const smtp = await startSmtpReceiver();
  let cms: TestCms | undefined;
  try {
    cms = await startTestCms({
      demoContent: true,
      env: { ...meili.env, SEARCH_RECONCILE_AT_BOOT: 'false', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), LOG_LEVEL: 'error' },
    });
    const { strapi } = cms;
    const search = strapi.plugin('change-notices').service('search');
    const marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    const rep = await cms.login('rep@candor.local', 'Candor-Rep-1');

    // Let the demo seed's side effects (search syncs, notices) finish first: the bulk load blocks the
    // event loop, and a Meilisearch task awaited across it would time out.
    await search.ensureReady();
    await strapi.plugin('change-notices').service('dispatcher').drain();

    let t0 = performance.now();
    await loadSynthetic(cms, count);
    const loadMs = performance.now() - t0;
    log(`loaded ${count} items into the database in ${s(loadMs)}`);

    t0 = performance.now();
    const rebuilt = await search.rebuild({ onProgress: (n: number) => n % 20_000 < 1000 && log(`indexed ${n}`) });
    const indexMs = performance.now() - t0;
    log(`indexed ${rebuilt.indexed} documents in ${s(indexMs)}`);
    t0 = performance.now();
    const reconcile = await search.reconcile('bench');
    const reconcileMs = performance.now() - t0;

    // The portal's server: a tenant token cached until shortly before it expires (a 100,000-item run
    // outlives one), then Meilisearch and the truth API.
    let token: { index: Index<any>; renewAt: number } | undefined;
    const tokenIndex = async (): Promise<Index<any>> => {
      if (!token || Date.now() >= token.renewAt) {
        const res = await cms!.api('/api/change-notices/search/token', { token: rep });
        if (res.status !== 200) throw new Error(`search token answered ${res.status}`);
        const data = res.body.data as { url: string; token: string; indexName: string; expiresAt: string };
        const client = new Meilisearch({ host: data.url, apiKey: data.token, requestInit: { headers: { ...SEARCH_HTTP_HEADERS } } });
        token = { index: client.index(data.indexName), renewAt: Date.parse(data.expiresAt) - 30_000 };
      }
      return token.index;
    };
    const params = (q: BenchQuery) => ({ ...SEARCH_DISPLAY, attributesToRetrieve: [...SEARCH_DISPLAY.attributesToRetrieve], attributesToHighlight: [...SEARCH_DISPLAY.attributesToHighlight], attributesToCrop: [...SEARCH_DISPLAY.attributesToCrop], facets: [...SEARCH_DISPLAY.facets], limit: 20, ...(q.filter ? { filter: q.filter.meili } : {}) });
    const truthOf = async (ids: string[]): Promise<TruthResponse['data']> => {
      const res = await fetch(`${cms!.url}/api/change-notices/search/truth?ids=${ids.join(',')}`, { headers: { authorization: `Bearer ${rep}` } });
      if (!res.ok) throw new Error(`truth API answered ${res.status}`);
      return ((await res.json()) as TruthResponse).data;
    };
    /** What the portal shows: hits with their current truth; unpublished or retracted ones dropped. */
    const portalSearch = async (q: BenchQuery) => {
      const found = await (await tokenIndex()).search(q.q, params(q));
      if (!found.hits.length) return [];
      const truth = await truthOf(found.hits.map((h) => h.id as string));
      return found.hits
        .map((h) => ({ hit: h, truth: truth[h.id as string]! }))
        .filter((x) => x.truth.published && x.truth.standing !== 'retracted');
    };
    const restSearch = async (q: BenchQuery): Promise<number> => {
      const p = new URLSearchParams({
        'filters[$or][0][title][$containsi]': q.q,
        'filters[$or][1][summary][$containsi]': q.q,
        'filters[$or][2][body][$containsi]': q.q,
        'pagination[pageSize]': '20',
        'sort[0]': 'publishedAt:desc',
        'fields[0]': 'title',
        'fields[1]': 'slug',
        'fields[2]': 'summary',
        'fields[3]': 'kind',
        'fields[4]': 'standing',
        ...(q.filter?.rest ?? {}),
      });
      const res = await cms!.api(`/api/collaterals?${p}`, { token: rep });
      if (res.status !== 200) throw new Error(`REST search answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
      return res.body.meta.pagination.total as number;
    };

    // One untimed pass warms caches on every path.
    for (const q of QUERIES) {
      await (await tokenIndex()).search(q.q, params(q));
      await portalSearch(q);
    }
    const direct = await timeQueries(async (q) => (await (await tokenIndex()).search(q.q, params(q))).estimatedTotalHits ?? 0, rounds);
    const portal = await timeQueries(async (q) => (await portalSearch(q)).length, rounds);
    const truthSamples: number[] = [];
    for (let i = 0; i < rounds * 8; i++) {
      const ids = Array.from({ length: 20 }, (_, k) => synthetic((i * 20 + k) * 37 % count, { products: 1, regions: 1, personas: 1, claims: 0 }).documentId);
      const t = performance.now();
      await truthOf(ids);
      truthSamples.push(performance.now() - t);
    }
    log(`timed ${direct.samples.length} direct and ${portal.samples.length} portal-path searches`);
    const naive = await timeQueries(restSearch, baselineRounds);
    log(`timed ${naive.samples.length} naive REST searches`);

    // Standing change → visible: the dispatcher runs as in production (kicked after each commit).
    const dispatcher = strapi.plugin('change-notices').service('dispatcher');
    // The demo seed's notices would share the first rounds with our sync: deliver them first.
    await dispatcher.drain();
    dispatcher.configure({ pollMs: 200 });
    dispatcher.start();
    const overlay: Record<'scaled_back' | 'retracted', number[]> = { scaled_back: [], retracted: [] };
    const indexed: Record<'scaled_back' | 'retracted', number[]> = { scaled_back: [], retracted: [] };
    for (let trial = 0; trial < 6; trial++) {
      const i = (trial * 7919 + 13) % count;
      const item = synthetic(i, { products: 1, regions: 1, personas: 1, claims: 0 });
      const q: BenchQuery = { q: refOf(i), label: 'word' };
      const standing = trial % 2 === 0 ? 'scaled_back' : 'retracted';
      const before = await portalSearch(q);
      if (before[0]?.hit.id !== item.documentId) throw new Error(`trial ${trial}: item ${i} is not the top hit for ${q.q}`);
      const start = performance.now();
      const res = await cms.api(`/api/change-notices/standing/collateral/${item.documentId}`, {
        token: marketer,
        body: standing === 'scaled_back' ? { standing, reason: 'Benchmark: the claim was cut back.', nowTrue: 'Benchmark: what is true now.' } : { standing, reason: 'Benchmark: withdrawn.' },
      });
      if (res.status !== 200) throw new Error(`standing change answered ${res.status}`);
      // The portal path: the next search after the change shows it (scaled back) or hides it (retracted).
      // Both waits are bounded: a benchmark stops by itself, with what it was waiting for.
      const deadline = Date.now() + WAIT_LIMIT_MS;
      const giveUp = async (what: string) => {
        const outbox = await strapi.db.connection('cn_outbox').select('topic', 'state').count({ n: '*' }).groupBy('topic', 'state');
        throw new Error(`trial ${trial}: ${what} did not happen within ${WAIT_LIMIT_MS / 1000} s; outbox: ${JSON.stringify(outbox)}`);
      };
      for (;;) {
        if (Date.now() > deadline) await giveUp(`the portal path showing ${standing}`);
        const shown = await portalSearch(q);
        const ok = standing === 'retracted' ? shown.every((x) => x.hit.id !== item.documentId) : shown[0]?.truth.published && shown[0].truth.standing === 'scaled_back';
        if (ok) break;
      }
      overlay[standing].push(performance.now() - start);
      // The index itself, through the outbox.
      for (;;) {
        const found = await (await tokenIndex()).search(q.q, { limit: 20 });
        const mine = found.hits.find((h) => h.id === item.documentId);
        if (Date.now() > deadline) await giveUp(`the index showing ${standing} (item ${item.documentId}: ${JSON.stringify(mine ? { standing: mine.standing, version: mine.version } : 'not found')}, ${found.hits.length} hits)`);
        // Like the portal check: the query may also match other items, so look for this one.
        const ok = standing === 'retracted' ? !mine : mine?.standing === 'scaled_back';
        if (ok) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      indexed[standing].push(performance.now() - start);
    }
    await dispatcher.stop();

    return { count, total: rebuilt.indexed, loadMs, indexMs, reconcileMs, reconcile, direct, portal, truthSamples, naive, overlay, indexed };
  } finally {
    await cms?.stop();
    await meili.close();
    await smtp.close();
  }
}

const loadBefore = os.loadavg()[0]!;
const results = [];
for (const size of sizes) results.push(await benchSize(size));
const loadAfter = os.loadavg()[0]!;

const rows: (string | number)[][] = [];
for (const r of results) {
  const n = r.count.toLocaleString('en');
  rows.push(
    [n, 'Bulk load into Strapi (knex, setup)', s(r.loadMs), '', `${Math.round(r.count / (r.loadMs / 1000)).toLocaleString('en')} items/s`],
    [n, 'Index: `search.rebuild()` (reindex)', s(r.indexMs), '', `${Math.round(r.total / (r.indexMs / 1000)).toLocaleString('en')} docs/s, ${r.total.toLocaleString('en')} docs`],
    [n, 'Reconcile, no drift', s(r.reconcileMs), '', `${r.reconcile.missing + r.reconcile.outdated + r.reconcile.removed} repaired`],
    [n, 'Search: Meilisearch direct (tenant token)', ms(median(r.direct.samples)), ms(pct(r.direct.samples, 95)), `${r.direct.samples.length} queries, ${r.direct.zero}/${QUERIES.length} with no hits`],
    [n, 'Search: portal path (Meilisearch + truth overlay)', ms(median(r.portal.samples)), ms(pct(r.portal.samples, 95)), `${r.portal.samples.length} queries`],
    [n, 'Truth overlay call alone (20 ids, HTTP)', ms(median(r.truthSamples)), ms(pct(r.truthSamples, 95)), `${r.truthSamples.length} calls`],
    [n, 'Search: naive Strapi REST $containsi', ms(median(r.naive.samples)), ms(pct(r.naive.samples, 95)), `${r.naive.samples.length} queries, ${r.naive.zero}/${QUERIES.length} with no hits`],
    [n, 'Scale back → portal path shows it', ms(median(r.overlay.scaled_back)), ms(Math.max(...r.overlay.scaled_back)), 'median / max of 3, from the request'],
    [n, 'Scale back → index shows it (outbox)', ms(median(r.indexed.scaled_back)), ms(Math.max(...r.indexed.scaled_back)), 'median / max of 3'],
    [n, 'Retract → portal path hides it', ms(median(r.overlay.retracted)), ms(Math.max(...r.overlay.retracted)), 'median / max of 3'],
    [n, 'Retract → index drops it (outbox)', ms(median(r.indexed.retracted)), ms(Math.max(...r.indexed.retracted)), 'median / max of 3']
  );
}
report('search', 'Search: Meilisearch vs. naive Strapi REST, and how fast a standing change shows', ['Items', 'Measure', 'p50 / time', 'p95 / max', 'Notes'], rows, [
  `Database: ${process.env.CANDOR_TEST_DB ?? 'sqlite'}; one in-process Strapi and one Meilisearch 1.21 process per size, on ${os.cpus().length} cores; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (other work on the machine skews timings).`,
  `Items are deterministic synthetic collateral of ~300 words (scripts/bench/search-data.ts), plus the demo content; only published rows are loaded.`,
  `Query mix (${QUERIES.length}): words, phrases, typos, synonyms and facet filters; ${rounds} timed passes after one warm-up pass (baseline: ${baselineRounds} pass).`,
  'Meilisearch queries ask for 20 hits with highlight, crop and 7 facet distributions (SEARCH_DISPLAY); REST asks for 20 rows of 5 fields, sorted by date, with its total count.',
  'Portal path = the tenant token the CMS issues (cached until 30 s before it expires), Meilisearch, then GET /api/change-notices/search/truth for the hits over HTTP, uncached (the portal caches per id and version).',
  'Meilisearch requests send accept-encoding: identity (SEARCH_HTTP_HEADERS): with fetch\'s default br/gzip, Meilisearch brotli-compresses every response and a search costs ~40 ms more.',
  'Standing changes go through POST /api/change-notices/standing/…; the dispatcher runs in-process (kicked after commit, 200 ms poll).',
]);
process.exit(0);
