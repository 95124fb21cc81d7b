/**
 * `npm run reindex`: rebuilds the Meilisearch index from the CMS, with a progress bar and a summary.
 *
 * It boots Strapi in-process (`lib/in-process.ts`: `load()`, no HTTP server, no dispatcher, no cron)
 * with the environment `npm start` uses (.data/secrets.env, the same database and Meilisearch) and
 * runs the plugin's own `search.rebuild()`: a fresh index filled page by page, swapped in atomically,
 * the old one dropped, then a reconcile for what changed meanwhile. Why in-process rather than
 * calling an admin endpoint: a reindex is what you reach for when something is broken, so it should
 * not need a healthy CMS server, an admin login or an HTTP request that outlives its timeout at 100k
 * items; and it runs the very code the server runs, not a second implementation. The cheap repair of
 * a running server is `POST /change-notices/search/reconcile` (admin).
 *
 * In production run it where the CMS runs, with the CMS's environment (DATABASE_URL, MEILI_URL,
 * MEILI_MASTER_KEY and the Strapi secrets).
 */
import cliProgress from 'cli-progress';
import { loadCmsInProcess, type InProcessCms } from './lib/in-process.js';
import { exitWith } from './lib/run.js';

let cms: InProcessCms | undefined;
try {
  cms = await loadCmsInProcess({ purpose: 'reindex' });
  const search = cms.strapi.plugin('change-notices').service('search');
  const indexName: string = search.config().indexName;
  console.log(`Rebuilding search index "${indexName}" at ${cms.meiliUrl} from ${cms.database}`);

  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | {value}/{total} collateral | {duration_formatted}', hideCursor: true, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 5000 },
    cliProgress.Presets.shades_classic
  );
  const result = await search.rebuild({
    onStart: (total: number) => bar.start(total, 0),
    onProgress: (done: number) => bar.update(done),
  });
  bar.stop();
  const r = result.reconcile;
  console.log(
    `\nDone in ${(result.ms / 1000).toFixed(1)} s: ${result.indexed} indexed, ${result.removed} removed from the old index.` +
      `\nReconcile after the swap: ${r.missing} missing, ${r.outdated} outdated, ${r.removed} removed.`
  );
  await cms.stop();
  process.exit(0);
} catch (err) {
  await cms?.stop();
  exitWith(err);
}
