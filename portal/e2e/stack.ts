/** The real stack (Meilisearch, mail catcher, Strapi with demo content, the built portal) on free ports. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CMS_DIR, PORTAL_DIR } from '../../scripts/lib/paths';
import { freePort } from '../../scripts/lib/ports';
import { startStack } from '../../scripts/lib/stack';

export interface TestStack {
  portalUrl: string;
  strapiUrl: string;
  /** One log file per service, kept after the run for failures. */
  logDir: string;
  /**
   * The environment a script needs to work on this stack's data as `npm start`'s scripts do on
   * .data/ (`npm run import`): its data folder, Meilisearch and secrets.
   */
  scriptEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** Throwaway secrets: every run gets a fresh database, nothing outlives it. */
const TEST_SECRETS = {
  APP_KEYS: 'e2e-key-a,e2e-key-b',
  ADMIN_JWT_SECRET: 'e2e-admin-jwt-secret',
  API_TOKEN_SALT: 'e2e-api-token-salt',
  JWT_SECRET: 'e2e-jwt-secret',
  TRANSFER_TOKEN_SALT: 'e2e-transfer-token-salt',
  ENCRYPTION_KEY: 'e2e-encryption-key',
  MEILI_MASTER_KEY: 'e2e-meili-master-key-0123456789',
};

/**
 * Starts the stack from the last build with the demo content in a temporary data directory. `admin`
 * asks for the built Strapi admin panel too (the e2e tests click through it; screenshots do not).
 */
export async function startTestStack(opts: { admin?: boolean } = {}): Promise<TestStack> {
  const entry = path.join(PORTAL_DIR, 'dist', 'server', 'entry.mjs');
  if (!fs.existsSync(entry)) throw new Error(`The portal is not built (${entry} is missing): run \`npm run build -- --no-admin\` first.`);
  // Without it Strapi still starts, with no admin to serve: say so here rather than in a browser timeout.
  const adminIndex = path.join(CMS_DIR, 'dist', 'build', 'index.html');
  if (opts.admin && !fs.existsSync(adminIndex)) throw new Error(`The Strapi admin is not built (${adminIndex} is missing): run \`npm run build\` first.`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-e2e-data-'));
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-e2e-logs-'));
  const ports = { strapi: await freePort(), portal: await freePort(), meili: await freePort(), mailWeb: await freePort(), mailSmtp: await freePort() };
  try {
    const stack = await startStack({
      dataDir,
      ports,
      secrets: TEST_SECRETS,
      output: logDir,
      env: { CANDOR_DEMO_CONTENT: 'true', LOG_LEVEL: 'warn' },
      // The dispatcher runs inside the web Strapi here: on SQLite a separate worker sees a commit only at
      // its next poll, and a worker's fixed port (Strapi's + 10) could collide with another free port.
      // Worker processes are covered by the crash tests and `npm start`.
      workers: 0,
    });
    return {
      portalUrl: stack.urls.portal,
      strapiUrl: stack.urls.strapi,
      logDir,
      scriptEnv: { ...TEST_SECRETS, CANDOR_DATA_DIR: dataDir, MEILI_URL: stack.urls.meili },
      async stop() {
        await stack.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    throw new Error(`The e2e stack did not start (logs in ${logDir}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
