/**
 * `npm start`: the whole product on embedded defaults: Meilisearch, maildev, Strapi (SQLite) and the
 * portal, with demo content on the first start. Data lives in `.data/` and survives restarts.
 * Whatever ends it, no service is left running (see lib/supervise.ts and lib/leash.mjs).
 *
 * package.json runs it as `exec node --import tsx scripts/start.ts`, so that npm is our direct
 * parent: without `exec` and the tsx CLI, a `kill <npm pid>` reached only the `sh` npm runs scripts
 * in, and the supervisor and every service ran on with nobody to stop them. Now npm forwards the
 * signal to us, and if npm is SIGKILLed we are reparented and notice.
 */
import { buildAll } from './lib/build.js';
import { portsOf, readLocalConfig, secondRepEmail, SECRETS_FILE } from './lib/config.js';
import { DATA_DIR } from './lib/paths.js';
import { assertDataDirFree } from './lib/pids.js';
import { assertNodeVersion, exitWith } from './lib/run.js';
import { resolveSecrets } from './lib/secrets.js';
import { StackError } from './lib/services.js';
import { launchStack } from './lib/stack.js';
import { supervise } from './lib/supervise.js';

const started = Date.now();

try {
  assertNodeVersion();
  let config;
  try {
    config = readLocalConfig();
  } catch (err) {
    throw new StackError((err as Error).message);
  }
  // Before the build: rebuilding would rewrite the files a running stack serves.
  assertDataDirFree(DATA_DIR);
  await buildAll({ admin: true, portal: true });
  let secrets;
  try {
    secrets = resolveSecrets(SECRETS_FILE);
  } catch (err) {
    throw new StackError((err as Error).message);
  }
  const stack = launchStack({
    dataDir: DATA_DIR,
    ports: portsOf(config),
    secrets,
    output: 'inherit',
    meiliUrl: config.MEILI_URL,
    externalSmtp: Boolean(config.SMTP_HOST),
    workers: config.CANDOR_WORKERS,
    env: {
      CANDOR_DEMO_CONTENT: process.env.CANDOR_DEMO_CONTENT ?? 'true',
      CANDOR_ADMIN_EMAIL: config.CANDOR_ADMIN_EMAIL,
      CANDOR_ADMIN_PASSWORD: config.CANDOR_ADMIN_PASSWORD,
      CANDOR_REP_EMAIL: config.CANDOR_REP_EMAIL,
      CANDOR_REP_PASSWORD: config.CANDOR_REP_PASSWORD,
    },
  });
  supervise(stack, {
    onUp: () => {
      const { urls } = stack;
      console.log(`
Candor is up after ${((Date.now() - started) / 1000).toFixed(1)} s (Ctrl-C stops everything; data stays in ${DATA_DIR}).

  Portal (sales reps)    ${urls.portal}
  Strapi admin           ${urls.admin}
  Mail catcher           ${urls.mail ?? '(external SMTP)'}
  Meilisearch            ${urls.meili}

  Marketer (admin)       ${config.CANDOR_ADMIN_EMAIL} / ${config.CANDOR_ADMIN_PASSWORD}
  Sales reps (portal)    ${config.CANDOR_REP_EMAIL} / ${config.CANDOR_REP_PASSWORD}
                         ${secondRepEmail(config.CANDOR_REP_EMAIL)} / ${config.CANDOR_REP_PASSWORD}
`);
    },
  });
} catch (err) {
  exitWith(err);
}
