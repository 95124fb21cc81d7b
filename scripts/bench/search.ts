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
 * Then, on a fresh stack, the file-text scenario: `--file-items` items that each carry one uploaded file
 * of 20 pages (a PDF, or a PPTX for decks) with its text as the worker stores it (cn_file_texts); the
 * same rebuild, a check that a phrase found only on page N of item i brings item i with "Page N" as its
 * passage, then file-phrase queries and the query mix timed direct and on the portal path.
 * Before all of it, text extraction throughput (extraction.ts, as `bench:extract`) for a 20-page PDF
 * and a 20-slide PPTX of the scenario's pages, with the raw pdfjs-dist baseline.
 * Prints a table and writes bench-results/search.md. Timings are measured, never asserted.
 *
 * Options: --sizes 10000,100000 (default), --rounds 5 (passes over the query mix), --baseline-rounds 1,
 * --file-items 10000 (0 skips the file scenario), --extract-rounds 20, --meili-log <file> (keep
 * Meilisearch's log). FILE_TEXT_INDEX_CHARS sets the file text budget per item, as in production.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { Meilisearch, type Index } from 'meilisearch';
import { TABLES } from '../../plugins/change-notices/src/server/database/tables';
import { SEARCH_DISPLAY, SEARCH_HTTP_HEADERS, SEARCH_PASSAGES, type TruthResponse } from '../../plugins/change-notices/src/shared/contracts/search';
import { createCmsClient } from '../../portal/src/lib/cms';
import { parseSearchParams } from '../../portal/src/lib/search';
import { runSearch, TokenCache } from '../../portal/src/lib/search-server';
import { startTestCms, type TestCms } from '../../cms/tests/harness';
import { startMeili, type TestMeili } from '../../cms/tests/meili';
import { startSmtpReceiver } from '../../cms/tests/receivers';
import { measureExtraction } from './extraction';
import { FILE_PAGES, fileKindOf, filePage, pagePhrase, QUERIES, refOf, synthetic, type BenchQuery, type SyntheticCollateral } from './search-data';
import { ms, report, s } from './table';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const sizes = arg('sizes', '10000,100000').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const rounds = Number(arg('rounds', '5'));
const baselineRounds = Number(arg('baseline-rounds', '1'));
const fileItems = Number(arg('file-items', '10000'));
const extractRounds = Number(arg('extract-rounds', '20'));
if (!sizes.length || !(rounds > 0) || !(baselineRounds > 0) || !Number.isInteger(fileItems) || fileItems < 0 || !(extractRounds > 0)) {
  console.error('usage: npm run bench:search -- [--sizes 10000,100000] [--rounds 5] [--baseline-rounds 1] [--file-items 10000] [--extract-rounds 20]');
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

// SQLite caps a compound SELECT (knex's multi-row insert) at 500 terms.
const insertRows = async (trx: Knex.Transaction, table: string, rows: Record<string, unknown>[]) => {
  for (let i = 0; i < rows.length; i += 200) await trx(table).insert(rows.slice(i, i + 200));
};

/** One batch of loaded items, for what is loaded beside them (files). */
type LoadedBatch = { trx: Knex.Transaction; items: { i: number; item: SyntheticCollateral; id: number }[] };

/**
 * Bulk-loads `count` synthetic items: published rows, relation links and a first version each;
 * `withEach` adds more rows per batch in the same transaction.
 */
async function loadSynthetic(cms: TestCms, count: number, withEach?: (batch: LoadedBatch) => Promise<void>): Promise<void> {
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
        await insertRows(trx, jt.name, links);
      }
      // Version 1 of each, with the snapshot the plugin would have taken, so history and diffs work.
      await insertRows(
        trx,
        TABLES.versions,
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
      await withEach?.({ trx, items: items.map((item, k) => ({ i: start + k, item, id: ids[k]! })) });
    });
    if ((start / BATCH) % 20 === 19) log(`loaded ${start + items.length} / ${count}`);
  }
}

/** What the file loader wrote, and how the search documents' file text budget treats it. */
interface FileLoad {
  files: number;
  chars: number;
  /** Characters the search documents carry (each file's text up to the budget). */
  indexedChars: number;
  /** The longest file's text. */
  maxChars: number;
  /** Items whose file text is longer than the budget: their last pages are left out of the index. */
  cut: number;
  /** The fewest pages any item keeps whole in its search document. */
  minPagesWhole: number;
}

/** The page texts of item i's file and where each phrase sits in the text the search document carries. */
const fileOf = (i: number) => {
  const pages = Array.from({ length: FILE_PAGES }, (_, k) => filePage(i, k + 1));
  let offset = 0;
  const ends = pages.map((p, k) => {
    const at = offset + p.indexOf(pagePhrase(i, k + 1));
    offset += p.length;
    return { phraseEnd: at + pagePhrase(i, k + 1).length, pageEnd: offset };
  });
  return { pages, ends };
};

/** Whether page `page` of item i's phrase is inside the file text budget (document.ts attachFileTexts). */
const phraseIndexed = (i: number, page: number, budget: number) => fileOf(i).ends[page - 1]!.phraseEnd <= budget;

/**
 * Rows for one uploaded file per item, as Strapi and the worker leave them: the upload
 * (plugin::upload.file), its link to the item's `files` field (the morph table Strapi's metadata
 * names), and its text in cn_file_texts, read and 'ok', one part per page. The content hash stands in
 * for the sha256 of the bytes; no MinHash (only the admin's near-duplicate list reads it).
 */
function fileLoader(cms: TestCms, budget: number) {
  const { strapi } = cms;
  const upload = strapi.db.metadata.get('plugin::upload.file') as any;
  const col = (attr: string): string => upload.attributes[attr].columnName ?? attr;
  const morph = upload.attributes.related.joinTable as { name: string; joinColumn: { name: string }; morphColumn: { idColumn: { name: string }; typeColumn: { name: string } } };
  const stats: FileLoad = { files: 0, chars: 0, indexedChars: 0, maxChars: 0, cut: 0, minPagesWhole: FILE_PAGES };
  const withEach = async ({ trx, items }: LoadedBatch) => {
    const now = new Date();
    const files = items.map(({ i, item }) => {
      const kind = fileKindOf(item.kind);
      const { pages, ends } = fileOf(i);
      const chars = ends[FILE_PAGES - 1]!.pageEnd;
      stats.chars += chars;
      stats.indexedChars += Math.min(chars, budget);
      stats.maxChars = Math.max(stats.maxChars, chars);
      if (chars > budget) stats.cut++;
      stats.minPagesWhole = Math.min(stats.minPagesWhole, ends.filter((e) => e.pageEnd <= budget).length);
      const hash = `bench_file_${i}_${crypto.createHash('sha1').update(`candor-bench-file-${i}`).digest('hex').slice(0, 10)}`;
      return { i, kind, pages, chars, hash, ext: `.${kind}`, name: `${item.slug}.${kind}` };
    });
    const rows = files.map((f) => ({
      [col('documentId')]: crypto.createHash('sha1').update(`candor-bench-upload-${f.i}`).digest('hex').slice(0, 24),
      [col('name')]: f.name,
      [col('hash')]: f.hash,
      [col('ext')]: f.ext,
      [col('mime')]: f.kind === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      // In KB, as Strapi records it: about what a file of that text weighs.
      [col('size')]: Math.round(((f.chars * 2) / 1024) * 100) / 100,
      [col('url')]: `/uploads/${f.hash}${f.ext}`,
      [col('provider')]: 'local',
      [col('folderPath')]: '/',
      [col('createdAt')]: now,
      [col('updatedAt')]: now,
      [col('publishedAt')]: now,
    }));
    const ids: number[] = [];
    for (let k = 0; k < rows.length; k += 200) {
      const inserted = (await trx(upload.tableName).insert(rows.slice(k, k + 200)).returning('id')) as (number | { id: number })[];
      ids.push(...inserted.map((r) => (typeof r === 'object' ? r.id : r)));
    }
    // The columns Strapi's entity manager writes for a morphMany link (field and order included).
    await insertRows(
      trx,
      morph.name,
      items.map(({ id }, k) => ({ [morph.joinColumn.name]: ids[k], [morph.morphColumn.idColumn.name]: id, [morph.morphColumn.typeColumn.name]: UID, field: 'files', order: 1 }))
    );
    await insertRows(
      trx,
      TABLES.fileTexts,
      files.map((f, k) => {
        const parts = f.pages.map((text, n) => ({ label: `${f.kind === 'pdf' ? 'Page' : 'Slide'} ${n + 1}`, index: n + 1, text }));
        const json = JSON.stringify(parts);
        return {
          file_id: ids[k], content_hash: crypto.createHash('sha256').update(json).digest('hex'), status: 'ok', kind: f.kind, mime: rows[k]![col('mime')],
          reason: null, message: null, parts: json, truncated: false, chars: f.chars, minhash: null, extracted_at: now.getTime(),
        };
      })
    );
    stats.files += files.length;
  };
  return { withEach, stats };
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

/** A fresh Strapi (demo content, signed-in reps) and Meilisearch, and the portal's ways to search them. */
async function openStack() {
  const meiliLog = arg('meili-log', '');
  const meili: TestMeili = await startMeili(meiliLog ? { logFile: meiliLog } : {});
  const smtp = await startSmtpReceiver();
  let cms: TestCms | undefined;
  const close = async () => {
    await cms?.stop();
    await meili.close();
    await smtp.close();
  };
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
    const directSearch = async (q: BenchQuery) => (await tokenIndex()).search(q.q, params(q));
    const truthOf = async (ids: string[]): Promise<TruthResponse['data']> => {
      const res = await fetch(`${cms!.url}/api/change-notices/search/truth?ids=${ids.join(',')}`, { headers: { authorization: `Bearer ${rep}` } });
      if (!res.ok) throw new Error(`truth API answered ${res.status}`);
      return ((await res.json()) as TruthResponse).data;
    };
    /** What the portal shows: hits with their current truth; unpublished or retracted ones dropped. */
    const portalSearch = async (q: BenchQuery) => {
      const found = await directSearch(q);
      if (!found.hits.length) return [];
      const truth = await truthOf(found.hits.map((h) => h.id as string));
      return found.hits
        .map((h) => ({ hit: h, truth: truth[h.id as string]! }))
        .filter((x) => x.truth.published && x.truth.standing !== 'retracted');
    };
    return { cms, strapi, search, marketer, rep, tokenIndex, params, directSearch, truthOf, portalSearch, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function benchSize(count: number) {
  console.log(`\n${count.toLocaleString('en')} items (${process.env.CANDOR_TEST_DB ?? 'sqlite'})`);
  const stack = await openStack();
  try {
    const { cms, strapi, search, marketer, tokenIndex, directSearch, truthOf, portalSearch } = stack;
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
      const res = await cms.api(`/api/collaterals?${p}`, { token: stack.rep });
      if (res.status !== 200) throw new Error(`REST search answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
      return res.body.meta.pagination.total as number;
    };

    // One untimed pass warms caches on every path.
    for (const q of QUERIES) {
      await directSearch(q);
      await portalSearch(q);
    }
    const direct = await timeQueries(async (q) => (await directSearch(q)).estimatedTotalHits ?? 0, rounds);
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
    await stack.close();
  }
}

/** Phrase queries of the file scenario: pages 1 to 20 in turn, over items spread across the load. */
const FILE_QUERIES = 40;

async function benchFiles(count: number) {
  console.log(`\n${count.toLocaleString('en')} items with a ${FILE_PAGES}-page file each (${process.env.CANDOR_TEST_DB ?? 'sqlite'})`);
  const stack = await openStack();
  try {
    const { cms, strapi, search, rep, tokenIndex, params, directSearch, portalSearch } = stack;
    // The budget the running CMS applies (FILE_TEXT_INDEX_CHARS or the default).
    const budget = (strapi.config.get('plugin::change-notices') as { files: { indexChars: number } }).files.indexChars;
    const loader = fileLoader(cms, budget);
    let t0 = performance.now();
    await loadSynthetic(cms, count, loader.withEach);
    const loadMs = performance.now() - t0;
    log(`loaded ${count} items and ${loader.stats.files} files (${(loader.stats.chars / 1e6).toFixed(0)} M characters of text) in ${s(loadMs)}`);

    t0 = performance.now();
    const rebuilt = await search.rebuild({ onProgress: (n: number) => n % 2000 < 1000 && log(`indexed ${n}`) });
    const indexMs = performance.now() - t0;
    log(`indexed ${rebuilt.indexed} documents with file text in ${s(indexMs)}`);

    // The portal's own search (multi-search, truth overlay, the passage it shows), for the check.
    const deps = { client: createCmsClient({ baseUrl: cms.url }), jwt: rep, tokens: new TokenCache() };
    const portalView = (q: string) => runSearch(deps, parseSearchParams(new URLSearchParams({ q })), { log: false });

    // Phrases on pages the budget left out must find nothing; the others bring their item and page.
    const targets = Array.from({ length: FILE_QUERIES }, (_, k) => {
      const i = (k * 7919 + 13) % count;
      const page = 1 + (k % FILE_PAGES);
      const item = synthetic(i, { products: 1, regions: 1, personas: 1, claims: 0 });
      const label = `${fileKindOf(item.kind) === 'pdf' ? 'Page' : 'Slide'} ${page}`;
      return { i, page, label, documentId: item.documentId, q: pagePhrase(i, page), indexed: phraseIndexed(i, page, budget) };
    });
    for (const t of targets) {
      const view = await portalView(t.q);
      const top = view.results[0];
      const shows = top ? `${top.id === t.documentId ? 'item' : 'another item'} ${top.id}, passage ${JSON.stringify(top.passage?.label ?? null)}` : 'no results';
      if (!t.indexed) {
        if (view.results.some((r) => r.id === t.documentId)) throw new Error(`"${t.q}" (item ${t.i}, ${t.label}) lies beyond the file text budget of ${budget} characters but was found`);
        continue;
      }
      if (top?.id !== t.documentId || top.passage?.label !== t.label) throw new Error(`"${t.q}" is only on ${t.label} of item ${t.i} (${t.documentId}), but the portal shows ${shows}`);
      const marked = top.passage.text.filter((seg) => seg.mark).map((seg) => seg.text.toLowerCase());
      if (!t.q.split(' ').every((w) => marked.includes(w))) throw new Error(`"${t.q}": the ${t.label} passage of item ${t.i} does not mark the phrase (${JSON.stringify(marked)})`);
      const direct = await directSearch({ q: t.q, label: 'phrase' });
      if (direct.hits[0]?.id !== t.documentId) throw new Error(`"${t.q}": Meilisearch direct does not bring item ${t.i} first`);
    }
    const phrases: BenchQuery[] = targets.filter((t) => t.indexed).map((t) => ({ q: t.q, label: 'phrase' }));
    log(`checked ${targets.length} page phrases (${phrases.length} inside the budget, each found on its page)`);

    // One untimed pass warms caches on every path (the check warmed the portal's own).
    for (const q of [...phrases, ...QUERIES]) {
      await directSearch(q);
      await portalSearch(q);
    }
    const phraseDirect = await timeQueries(async (q) => (await directSearch(q)).estimatedTotalHits ?? 0, rounds, phrases);
    const phrasePortal = await timeQueries(async (q) => (await portalSearch(q)).length, rounds, phrases);
    const phraseRunSearch = await timeQueries(async (q) => (await portalView(q.q)).results.length, rounds, phrases);
    const mixDirect = await timeQueries(async (q) => (await directSearch(q)).estimatedTotalHits ?? 0, rounds);
    const mixPortal = await timeQueries(async (q) => (await portalSearch(q)).length, rounds);
    // The portal's own path, with its second search for the passages of hits that matched only in a file.
    const mixRunSearch = await timeQueries(async (q) => (await portalView(q.q)).results.length, rounds);
    // What it replaced: one search marking and cropping every hit's file passages.
    const mixAllPassages = await timeQueries(async (q) => {
      const p = params(q);
      return (await (await tokenIndex()).search(q.q, { ...p, attributesToHighlight: [...p.attributesToHighlight, ...SEARCH_PASSAGES.attributesToHighlight], attributesToCrop: [...p.attributesToCrop, ...SEARCH_PASSAGES.attributesToCrop] })).estimatedTotalHits ?? 0;
    }, rounds);
    log(`timed ${phraseDirect.samples.length * 3} file-phrase and ${mixDirect.samples.length * 3} query-mix searches`);

    return { count, total: rebuilt.indexed, loadMs, indexMs, budget, load: loader.stats, targets, phrases: phrases.length, phraseDirect, phrasePortal, phraseRunSearch, mixDirect, mixPortal, mixRunSearch, mixAllPassages };
  } finally {
    await stack.close();
  }
}

// The machine is shared: the load average before, after and at its highest (sampled every 10 s).
const loadBefore = os.loadavg()[0]!;
let loadPeak = loadBefore;
setInterval(() => (loadPeak = Math.max(loadPeak, os.loadavg()[0]!)), 10_000).unref();
const started = performance.now();

console.log(`Text extraction: a ${FILE_PAGES}-page PDF and a ${FILE_PAGES}-slide PPTX, ${extractRounds} rounds each…`);
const extraction = await measureExtraction({ kinds: ['pdf', 'pptx'], pages: FILE_PAGES, rounds: extractRounds, textOf: (page) => filePage(0, page) });
const results = [];
for (const size of sizes) results.push(await benchSize(size));
const withFiles = fileItems > 0 ? await benchFiles(fileItems) : null;
const loadAfter = os.loadavg()[0]!;
log(`done in ${s(performance.now() - started)}`);

const rows: (string | number)[][] = [];
for (const t of extraction) {
  rows.push([`${t.pages} ${t.kind === 'pptx' ? 'slides' : 'pages'}`, `Extract: ${t.label}`, ms(t.p50), ms(t.p95), `${t.pagesPerSecond.toFixed(0)} pages/s, ${ms(t.p50 / t.pages)} a page, ${(t.bytes / 1024).toFixed(0)} KB, ${t.parts} parts`]);
}
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
const fileNotes: string[] = [];
if (withFiles) {
  const r = withFiles;
  const n = `${r.count.toLocaleString('en')} + files`;
  const phraseNote = (t: Timed) => `${t.samples.length} queries over ${r.phrases} page phrases, ${t.zero} with no hits`;
  rows.push(
    [n, 'Bulk load with a 20-page file each (knex, setup)', s(r.loadMs), '', `${Math.round(r.count / (r.loadMs / 1000)).toLocaleString('en')} items/s, ${r.load.files.toLocaleString('en')} files, ${(r.load.chars / 1e6).toFixed(0)} M characters`],
    [n, 'Index with file text: `search.rebuild()`', s(r.indexMs), '', `${Math.round(r.total / (r.indexMs / 1000)).toLocaleString('en')} docs/s, ${r.total.toLocaleString('en')} docs, ~${Math.round(r.load.indexedChars / r.load.files / 1000)} K characters of file text indexed each`],
    [n, 'File phrase: Meilisearch direct (tenant token)', ms(median(r.phraseDirect.samples)), ms(pct(r.phraseDirect.samples, 95)), phraseNote(r.phraseDirect)],
    [n, 'File phrase: portal path (Meilisearch + truth overlay)', ms(median(r.phrasePortal.samples)), ms(pct(r.phrasePortal.samples, 95)), phraseNote(r.phrasePortal)],
    [n, "File phrase: the portal's runSearch", ms(median(r.phraseRunSearch.samples)), ms(pct(r.phraseRunSearch.samples, 95)), phraseNote(r.phraseRunSearch)],
    [n, 'Query mix: Meilisearch direct, index with file text', ms(median(r.mixDirect.samples)), ms(pct(r.mixDirect.samples, 95)), `${r.mixDirect.samples.length} queries, ${r.mixDirect.zero}/${QUERIES.length} with no hits`],
    [n, 'Query mix: portal path, index with file text', ms(median(r.mixPortal.samples)), ms(pct(r.mixPortal.samples, 95)), `${r.mixPortal.samples.length} queries`],
    [n, "Query mix: the portal's runSearch (passages searched apart)", ms(median(r.mixRunSearch.samples)), ms(pct(r.mixRunSearch.samples, 95)), `${r.mixRunSearch.samples.length} queries (the mix's words, without its facet filters)`],
    [n, "Query mix: direct, every hit's file passages marked (before)", ms(median(r.mixAllPassages.samples)), ms(pct(r.mixAllPassages.samples, 95)), `${r.mixAllPassages.samples.length} queries (what one search cost when it marked them all)`]
  );
  const outside = r.targets.filter((t) => !t.indexed);
  fileNotes.push(
    `Files: each of the ${r.count.toLocaleString('en')} items carries one upload of ${FILE_PAGES} pages (a PDF; a PPTX of ${FILE_PAGES} slides for decks) of ~150–300 words a page (${Math.round(r.load.chars / r.load.files).toLocaleString('en')} characters a file on average), loaded as Strapi and the worker leave it: the upload row, its morph link to the item's \`files\`, and cn_file_texts 'ok' with one part per page. Nothing is extracted in this run (the Extract rows measure that).`,
    r.load.cut === 0
      ? `File text budget: FILE_TEXT_INDEX_CHARS = ${r.budget.toLocaleString('en')} characters an item (the running CMS's value); the longest file has ${r.load.maxChars.toLocaleString('en')}, so all ${FILE_PAGES} pages of every file are indexed.`
      : `File text budget: FILE_TEXT_INDEX_CHARS = ${r.budget.toLocaleString('en')} characters an item cuts the text of ${r.load.cut.toLocaleString('en')} of ${r.load.files.toLocaleString('en')} files (the longest has ${r.load.maxChars.toLocaleString('en')}; every item keeps at least ${r.load.minPagesWhole} pages whole). ${outside.length} of the ${r.targets.length} sampled phrases lie beyond it: checked to find nothing, and left out of the timings.`,
    `Check before timing: each of the ${r.phrases} page phrases (two made-up words found on one page of one item; pages 1–${FILE_PAGES} in turn) brings its item first, Meilisearch direct and through the portal's runSearch, and the portal shows that page ("Page 7: …", "Slide 7: …") with the phrase marked; the run stops otherwise.`,
    'A page of results marks no file text (SEARCH_DISPLAY); the portal asks a second, small search (SEARCH_PASSAGES, by id) for the passages of the hits whose shown fields do not account for the query. The "before" row marks every hit\'s passages in the one search, as the portal did until this change.',
    "The portal's runSearch = the portal's own code (portal/src/lib/search-server.ts) in-process: one multi-search with page/hitsPerPage (an exact hit count) and facets, zod checks, then the truth overlay and the passage; no search log.",
    `Extract rows: the measuring core of \`bench:extract\` (scripts/bench/extraction.ts) on files built from the scenario's page text (item 0's ${FILE_PAGES} pages), ${extractRounds} rounds after a warm-up; pages/s from the median, one core, in process.`
  );
}
report('search', 'Search: Meilisearch vs. naive Strapi REST, text inside files, and how fast a standing change shows', ['Items', 'Measure', 'p50 / time', 'p95 / max', 'Notes'], rows, [
  `Database: ${process.env.CANDOR_TEST_DB ?? 'sqlite'}; one in-process Strapi and one Meilisearch 1.21 process per size (and for the file scenario), on ${os.cpus().length} cores; load average ${loadBefore.toFixed(1)} before, ${loadPeak.toFixed(1)} at most, ${loadAfter.toFixed(1)} after (other work on the machine skews timings).`,
  `Items are deterministic synthetic collateral of ~300 words (scripts/bench/search-data.ts), plus the demo content; only published rows are loaded.`,
  `Query mix (${QUERIES.length}): words, phrases, typos, synonyms and facet filters; ${rounds} timed passes after one warm-up pass (baseline: ${baselineRounds} pass).`,
  'Meilisearch queries ask for 20 hits with highlight, crop and 7 facet distributions (SEARCH_DISPLAY); REST asks for 20 rows of 5 fields, sorted by date, with its total count.',
  'Portal path = the tenant token the CMS issues (cached until 30 s before it expires), Meilisearch, then GET /api/change-notices/search/truth for the hits over HTTP, uncached (the portal caches per id and version).',
  'Meilisearch requests send accept-encoding: identity (SEARCH_HTTP_HEADERS): with fetch\'s default br/gzip, Meilisearch brotli-compresses every response and a search costs ~40 ms more.',
  'Standing changes go through POST /api/change-notices/standing/…; the dispatcher runs in-process (kicked after commit, 200 ms poll).',
  ...fileNotes,
]);
process.exit(0);
