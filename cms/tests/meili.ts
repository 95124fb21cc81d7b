/**
 * A real Meilisearch for one test file (or a benchmark): the bundled binary on a free port with a
 * temporary data directory. `stop()` + `start()` restarts it on the same port and data, the way an
 * outage looks to the CMS; `close()` ends it and removes the data.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Meilisearch } from 'meilisearch';
import { meilisearchArgs, meilisearchBinary } from '../../scripts/lib/meilisearch';
import { freePort } from '../../scripts/lib/ports';
import { startService, type RunningService } from '../../scripts/lib/services';

export interface TestMeili {
  url: string;
  port: number;
  masterKey: string;
  /** A unique index name for this run, as the meilisearch plugin's own tests do. */
  indexName: string;
  /** A master-key client for assertions. */
  client: Meilisearch;
  /** The environment the CMS needs to use this Meilisearch. */
  env: Record<string, string>;
  /** Stops the process and keeps its data (an outage). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it for good and deletes its data. */
  close(): Promise<void>;
}

export async function startMeili(opts: { logFile?: string } = {}): Promise<TestMeili> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-meili-'));
  const port = await freePort();
  const masterKey = crypto.randomBytes(24).toString('base64url');
  const url = `http://127.0.0.1:${port}`;
  const indexName = `test_${Date.now()}_${process.pid}`;
  let service: RunningService | null = null;

  const start = async () => {
    if (service) return;
    service = await startService({
      name: 'meili',
      command: meilisearchBinary(),
      args: meilisearchArgs({ dataDir: path.join(dir, 'data'), port, masterKey }),
      cwd: dir,
      healthUrl: `${url}/health`,
      output: opts.logFile ?? path.join(dir, 'meilisearch.log'),
      startTimeoutMs: 60_000,
    });
  };
  const stop = async () => {
    await service?.stop();
    service = null;
  };
  await start();

  return {
    url,
    port,
    masterKey,
    indexName,
    // The client's 5 s default for waitTask was seen running out on a loaded 2-core machine; a task's
    // duration is not what any test asserts, so wait as long as the CMS itself does (taskTimeoutMs).
    client: new Meilisearch({ host: url, apiKey: masterKey, defaultWaitOptions: { timeout: 30_000 } }),
    env: { MEILI_URL: url, MEILI_MASTER_KEY: masterKey, MEILI_INDEX: indexName },
    stop,
    start,
    async close() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
