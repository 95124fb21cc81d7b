/**
 * `npm run reindex`: rebuilds the Meilisearch index from the CMS, with a progress bar and a summary.
 *
 * It boots Strapi in-process (`load()`, no HTTP server, no dispatcher, no cron) with the environment
 * `npm start` uses (.data/secrets.env, the same database and Meilisearch) and runs the plugin's own
 * `search.rebuild()`: a fresh index filled page by page, swapped in atomically, the old one dropped,
 * then a reconcile for what changed meanwhile. Why in-process rather than calling an admin endpoint:
 * a reindex is what you reach for when something is broken, so it should not need a healthy CMS
 * server, an admin login or an HTTP request that outlives its timeout at 100k items; and it runs the
 * very code the server runs, not a second implementation. The cheap repair of a running server is
 * `POST /change-notices/search/reconcile` (admin).
 *
 * In production run it where the CMS runs, with the CMS's environment (DATABASE_URL, MEILI_URL,
 * MEILI_MASTER_KEY and the Strapi secrets).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import cliProgress from 'cli-progress';
import type { Core } from '@strapi/strapi';
import { buildAll } from './lib/build.js';
import { readLocalConfig, SECRETS_FILE } from './lib/config.js';
import { meilisearchArgs, meilisearchBinary } from './lib/meilisearch.js';
import { CMS_DIR, DATA_DIR } from './lib/paths.js';
import { assertNodeVersion, exitWith } from './lib/run.js';
import { resolveSecrets } from './lib/secrets.js';
import { StackError, startService, type RunningService } from './lib/services.js';

const require = createRequire(import.meta.url);

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

let strapi: Core.Strapi | undefined;
let meili: RunningService | undefined;
try {
  assertNodeVersion();
  let config;
  let secrets;
  try {
    config = readLocalConfig();
    secrets = resolveSecrets(SECRETS_FILE);
  } catch (err) {
    throw new StackError((err as Error).message);
  }
  const meiliUrl = config.MEILI_URL ?? `http://127.0.0.1:${config.MEILI_PORT}`;
  if (!(await reachable(meiliUrl))) {
    if (config.MEILI_URL) throw new StackError(`Meilisearch at ${meiliUrl} (MEILI_URL) does not answer: start it first.`);
    // `npm start` is not running: start the bundled Meilisearch on its data for the duration.
    console.log(`Meilisearch is not running; starting the bundled one on port ${config.MEILI_PORT} for this reindex…`);
    fs.mkdirSync(DATA_DIR, { recursive: true });
    meili = await startService({
      name: 'meili',
      command: meilisearchBinary(),
      args: meilisearchArgs({ dataDir: path.join(DATA_DIR, 'meilisearch'), port: config.MEILI_PORT, masterKey: secrets.MEILI_MASTER_KEY! }),
      cwd: DATA_DIR,
      healthUrl: `${meiliUrl}/health`,
      output: path.join(DATA_DIR, 'meilisearch-reindex.log'),
    });
  }

  await buildAll({ admin: false, portal: false });
  const usesPostgres = Boolean(process.env.DATABASE_URL || process.env.DATABASE_CLIENT === 'postgres');
  Object.assign(process.env, secrets, {
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    STRAPI_TELEMETRY_DISABLED: 'true',
    MEILI_URL: meiliUrl,
    // Only the rebuild runs here: no outbox worker, no cron, no demo seed, quiet logs.
    NOTICES_DISPATCHER: 'false',
    CRON_ENABLED: 'false',
    CANDOR_DEMO_CONTENT: 'false',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...(usesPostgres || process.env.DATABASE_FILENAME ? {} : { DATABASE_FILENAME: path.join(DATA_DIR, 'cms.db') }),
  });
  // @strapi/strapi is CommonJS-only in practice (lodash/fp): require it, as the test harness does.
  const { createStrapi } = require('@strapi/strapi');
  strapi = (await createStrapi({ appDir: CMS_DIR, distDir: path.join(CMS_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load()) as Core.Strapi;
  const search = strapi.plugin('change-notices').service('search');
  const indexName: string = search.config().indexName;
  console.log(`Rebuilding search index "${indexName}" at ${meiliUrl} from ${usesPostgres ? 'PostgreSQL' : process.env.DATABASE_FILENAME}`);

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
  await strapi.destroy();
  await meili?.stop();
  process.exit(0);
} catch (err) {
  await strapi?.destroy().catch(() => undefined);
  await meili?.stop();
  exitWith(err);
}
