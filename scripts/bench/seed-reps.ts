/**
 * A child process of `bench:notices`: boots the CMS in-process on the running stack's database (its
 * dispatcher off, no HTTP traffic) and creates subscribed reps with the test fixture, then exits.
 * Usage: node --import tsx seed-reps.ts (BENCH_DATABASE = a SharedDatabase as JSON, BENCH_REPS = count,
 * BENCH_SECRETS = the stack's Strapi secrets as JSON).
 */
import { createReps } from '../../cms/tests/fixtures/reps';
import { startTestCms, type SharedDatabase } from '../../cms/tests/harness';

const database = JSON.parse(process.env.BENCH_DATABASE!) as SharedDatabase;
const count = Number(process.env.BENCH_REPS);
const secrets = JSON.parse(process.env.BENCH_SECRETS ?? '{}') as Record<string, string>;
// Several short transactions rather than one: on SQLite the stack's processes wait for the one writer
// lock, and a single 10,000-row transaction would outlast their busy timeout.
const CHUNK = 500;

const cms = await startTestCms({ database, env: { ...secrets, LOG_LEVEL: 'error', SEARCH_RECONCILE_AT_BOOT: 'false' } });
for (let done = 0; done < count; done += CHUNK) {
  // No rep has a subscription row: the default subscription is everything, inbox and email, instant.
  await createReps(cms.strapi, Math.min(CHUNK, count - done), { prefix: `bench-rep-${done / CHUNK}` });
}
// Everything is committed; a throwaway process need not tear Strapi down.
process.exit(0);
