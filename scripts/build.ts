/** `npm run build`: everything the stack runs from, including the Strapi admin panel. */
import { buildAll } from './lib/build.js';
import { assertNodeVersion, exitWith } from './lib/run.js';

try {
  assertNodeVersion();
  await buildAll({ admin: !process.argv.includes('--no-admin'), portal: !process.argv.includes('--no-portal') });
} catch (err) {
  exitWith(err);
}
