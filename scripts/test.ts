/**
 * `npm test`: builds what the tests run against (plugin, CMS server, portal, and the Strapi admin when
 * the e2e project runs), then runs every vitest project (unit, integration on SQLite and PostgreSQL,
 * e2e in Chromium) and ends with the plain line `N passed, N failed` that CI reads. Extra arguments go
 * to vitest (e.g. `npm test -- --project unit`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildAll } from './lib/build.js';
import { ROOT } from './lib/paths.js';
import { probePostgres, TEST_PG_URL } from './lib/postgres.js';
import { assertNodeVersion } from './lib/run.js';
import { StackError } from './lib/services.js';
import { chromiumPath } from './lib/chromium.js';
import { SUMMARY_FILE, type TestSummary } from './test/summary-reporter.js';

const CI = process.env.CI === 'true' || process.env.CI === '1';
const args = process.argv.slice(2);
const onlyProjects = args.some((a) => a.startsWith('--project'));
/** Whether vitest will run this project: all run unless `--project` names some. */
const runs = (project: string) => !onlyProjects || args.includes(project) || args.includes(`--project=${project}`);

try {
  assertNodeVersion();
  const projects = ['unit', 'integration-sqlite', 'integration-postgres', 'e2e'];
  const skipped: string[] = [];
  if (runs('e2e') && !chromiumPath()) {
    const msg = 'No Chromium found (set CHROMIUM_PATH or `apt-get install -y chromium`).';
    if (CI) throw new StackError(msg);
    console.warn(`\n⚠ ${msg}\n⚠ Skipping the e2e project on this machine (CI runs it).\n`);
    skipped.push('e2e');
  }
  // The e2e tests click through the Strapi admin: build it then (~45 s here, reused while nothing that
  // goes into it changed); the other projects boot Strapi without it.
  await buildAll({ admin: runs('e2e') && !skipped.includes('e2e'), portal: true });

  if (runs('integration-postgres')) {
    const pgProblem = await probePostgres();
    if (pgProblem) {
      const msg = `PostgreSQL is not reachable at ${TEST_PG_URL.replace(/:[^:@/]+@/, ':***@')} (${pgProblem}); set CANDOR_TEST_PG_URL.`;
      if (CI) throw new StackError(msg);
      console.warn(`\n⚠ ${msg}\n⚠ Skipping the integration-postgres project on this machine (CI runs it).\n`);
      skipped.push('integration-postgres');
    }
  }
  const projectArgs = onlyProjects ? [] : projects.filter((p) => !skipped.includes(p)).flatMap((p) => ['--project', p]);

  fs.rmSync(SUMMARY_FILE, { force: true });
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...projectArgs, ...args], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', ASTRO_TELEMETRY_DISABLED: '1' },
    });
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });

  const summary: TestSummary | null = fs.existsSync(SUMMARY_FILE) ? JSON.parse(fs.readFileSync(SUMMARY_FILE, 'utf8')) : null;
  const passed = summary?.passed ?? 0;
  // Vitest failing without a summary (a crash, a config error) still counts as a failure.
  const failed = summary ? summary.failed + (code !== 0 && summary.failed === 0 ? 1 : 0) : 1;
  if (summary) {
    for (const [name, s] of Object.entries(summary.byProject)) console.log(`  ${name.padEnd(22)} ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  }
  if (skipped.length) console.log(`  skipped projects: ${skipped.join(', ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
} catch (err) {
  if (err instanceof StackError) console.error(`\ncandor: ${err.message}`);
  else console.error(err);
  // Even a failed setup ends with the line CI reads.
  console.log('0 passed, 1 failed');
  process.exit(1);
}
