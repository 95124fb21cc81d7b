/**
 * Boots the CMS inside a script (`load()`: no HTTP server, no dispatcher, no cron) with the
 * environment `npm start` gives it: .data/secrets.env, the same database, uploads folder and
 * Meilisearch, starting the bundled Meilisearch on its data for the duration when nothing answers.
 * Used by `npm run reindex` and `npm run import`, which run the very code the server runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Core } from '@strapi/strapi';
import { buildAll } from './build.js';
import { readLocalConfig, SECRETS_FILE } from './config.js';
import { meilisearchArgs, meilisearchBinary } from './meilisearch.js';
import { CMS_DIR, DATA_DIR } from './paths.js';
import { assertNodeVersion } from './run.js';
import { resolveSecrets } from './secrets.js';
import { StackError, startService, type RunningService } from './services.js';

const require = createRequire(import.meta.url);

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

export interface InProcessCms {
  strapi: Core.Strapi;
  meiliUrl: string;
  /** Where the data lives, for the script's first line. */
  database: string;
  stop(): Promise<void>;
}

export async function loadCmsInProcess(opts: { purpose: string; env?: Record<string, string> }): Promise<InProcessCms> {
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
  let meili: RunningService | undefined;
  if (!(await reachable(meiliUrl))) {
    if (config.MEILI_URL) throw new StackError(`Meilisearch at ${meiliUrl} (MEILI_URL) does not answer: start it first.`);
    // `npm start` is not running: start the bundled Meilisearch on its data for the duration.
    console.log(`Meilisearch is not running; starting the bundled one on port ${config.MEILI_PORT} for this ${opts.purpose}…`);
    fs.mkdirSync(DATA_DIR, { recursive: true });
    meili = await startService({
      name: 'meili',
      command: meilisearchBinary(),
      args: meilisearchArgs({ dataDir: path.join(DATA_DIR, 'meilisearch'), port: config.MEILI_PORT, masterKey: secrets.MEILI_MASTER_KEY! }),
      cwd: DATA_DIR,
      healthUrl: `${meiliUrl}/health`,
      output: path.join(DATA_DIR, `meilisearch-${opts.purpose}.log`),
    });
  }
  try {
    await buildAll({ admin: false, portal: false });
    const usesPostgres = Boolean(process.env.DATABASE_URL || process.env.DATABASE_CLIENT === 'postgres');
    Object.assign(process.env, secrets, {
      NODE_ENV: process.env.NODE_ENV ?? 'production',
      STRAPI_TELEMETRY_DISABLED: 'true',
      MEILI_URL: meiliUrl,
      // Only this script's work runs here: no outbox worker, no cron, no demo seed, quiet logs.
      NOTICES_DISPATCHER: 'false',
      CRON_ENABLED: 'false',
      CANDOR_DEMO_CONTENT: 'false',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // The uploads folder `npm start` gives Strapi (scripts/lib/stack.ts), unless told otherwise.
      UPLOADS_DIR: process.env.UPLOADS_DIR ?? path.join(DATA_DIR, 'uploads'),
      ...(usesPostgres || process.env.DATABASE_FILENAME ? {} : { DATABASE_FILENAME: path.join(DATA_DIR, 'cms.db') }),
      ...opts.env,
    });
    // @strapi/strapi is CommonJS-only in practice (lodash/fp): require it, as the test harness does.
    const { createStrapi } = require('@strapi/strapi');
    const strapi = (await createStrapi({ appDir: CMS_DIR, distDir: path.join(CMS_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load()) as Core.Strapi;
    return {
      strapi,
      meiliUrl,
      database: usesPostgres ? 'PostgreSQL' : process.env.DATABASE_FILENAME!,
      async stop() {
        await strapi.destroy().catch(() => undefined);
        await meili?.stop();
      },
    };
  } catch (err) {
    await meili?.stop();
    throw err;
  }
}
