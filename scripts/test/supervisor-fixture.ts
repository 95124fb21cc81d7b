/**
 * `npm start`'s supervisor with only Meilisearch and maildev (a native binary and a Node service), run
 * by scripts/lib/supervise.test.ts: the same launcher, leashes, pid records and signal handling as
 * `npm start`, without its builds and Strapi's boot. Reads CANDOR_DATA_DIR, MEILI_PORT and the
 * MAILDEV_* ports as `npm start` does, and prints `fixture: up` once both answer.
 */
import path from 'node:path';
import { portsOf, readLocalConfig } from '../lib/config.js';
import { DATA_DIR } from '../lib/paths.js';
import { exitWith } from '../lib/run.js';
import { resolveSecrets } from '../lib/secrets.js';
import { launchStack, stackServices, type StackOptions } from '../lib/stack.js';
import { supervise } from '../lib/supervise.js';

try {
  const opts: StackOptions = {
    dataDir: DATA_DIR,
    ports: portsOf(readLocalConfig()),
    secrets: resolveSecrets(path.join(DATA_DIR, 'secrets.env')),
    output: 'inherit',
  };
  const stack = launchStack(opts, stackServices(opts).filter((s) => s.spec.name === 'meili' || s.spec.name === 'mail'));
  supervise(stack, { onUp: () => console.log('fixture: up') });
} catch (err) {
  exitWith(err);
}
