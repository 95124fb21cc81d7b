/**
 * `npm run import -- <folder or .zip> [--metadata library.csv] [--mapping mapping.json] [--dry-run]
 * [--publish] [--report-dir DIR]`: brings a document library (a SharePoint export) into Candor, one
 * item per document with its files as versions, and writes a report beside the source.
 *
 * It boots Strapi in-process like `npm run reindex` (lib/in-process.ts: the same database, uploads
 * and Meilisearch as `npm start`), so it needs no running server and runs the server's own code. The
 * logic lives in scripts/import/ (run.ts gathers it). Ctrl-C stops after the current step; running
 * the same command again resumes. Items are drafts unless --publish.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadCmsInProcess, type InProcessCms } from './lib/in-process.js';
import { exitWith } from './lib/run.js';
import { StackError } from './lib/services.js';
import { ImportInterrupted } from './import/apply.js';
import { runImport, type ImportProgress } from './import/run.js';

const USAGE = 'usage: npm run import -- <folder or .zip> [--metadata library.csv] [--mapping mapping.json] [--dry-run] [--publish] [--report-dir DIR]';

/** A bar with counts and time left on a terminal; a plain line every few seconds otherwise (CI, logs). */
function progressBar(): ImportProgress {
  let bar: cliProgress.SingleBar | null = null;
  return {
    phase(label, total) {
      bar = new cliProgress.SingleBar(
        { format: ` ${label} {bar} {percentage}% | {value}/{total} | {duration_formatted} elapsed, {eta_formatted} left`, hideCursor: true, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 3000, etaBuffer: 50 },
        cliProgress.Presets.shades_classic
      );
      bar.start(total, 0);
    },
    tick: (done) => bar?.update(done),
    end() {
      bar?.stop();
      bar = null;
    },
  };
}

let cms: InProcessCms | undefined;
try {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { metadata: { type: 'string' }, mapping: { type: 'string' }, 'dry-run': { type: 'boolean' }, publish: { type: 'boolean' }, 'report-dir': { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (err) {
    throw new StackError(`${(err as Error).message}\n${USAGE}`);
  }
  if (args.values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (args.positionals.length !== 1) throw new StackError(USAGE);
  const started = Date.now();
  cms = await loadCmsInProcess({ purpose: 'import' });
  const abort = new AbortController();
  process.once('SIGINT', () => {
    console.log('\nStopping after the current step; run the same command again to resume…');
    abort.abort();
  });
  const dryRun = Boolean(args.values['dry-run']);
  console.log(`${dryRun ? 'Planning' : 'Importing'} ${args.positionals[0]} into ${cms.database}${args.values.publish ? ' (publishing)' : ' (as drafts)'}`);
  const run = await runImport(cms.strapi, {
    source: args.positionals[0]!,
    metadata: args.values.metadata,
    mapping: args.values.mapping,
    dryRun,
    publish: Boolean(args.values.publish),
    reportDir: args.values['report-dir'],
    signal: abort.signal,
    progress: progressBar(),
  });
  const c = run.plan.counts;
  console.log(
    `\n${dryRun ? 'Plan' : 'Done'} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${c.files} files → ${c.items} items with ${c.versions} versions (${c.families} version families merged, ${c.copies} copies merged), ${c.skipped} skipped, ${c.ambiguous} to decide, ${run.plan.unreadableText.length} unreadable, ${run.plan.staleItems.length} candidates to retire.`
  );
  if (run.result) {
    const r = run.result;
    console.log(`Created ${r.created.items} items, ${r.created.versions} versions, ${r.created.copies} copies (${r.created.uploads} uploads); already imported: ${r.alreadyImported.versions} versions; published ${r.published}; ${r.failures.length} failed.`);
  }
  if (dryRun) {
    if (run.alreadyImported) console.log(`Already imported by an earlier run: ${run.alreadyImported} of ${c.versions} versions (a run skips them).`);
    for (const it of run.plan.items.filter((i) => i.versions.length > 1).slice(0, 20)) console.log(`  merge: ${it.title} ← ${it.versions.map((v) => v.files[0]!.name).join(', ')}`);
    for (const a of run.plan.ambiguous.slice(0, 20)) console.log(`  decide: ${a.kind === 'similar_names_differ' ? `${a.titles.join(' ~ ')} (${a.similarity})` : a.family}`);
  }
  console.log(`Report: ${run.reports.markdown}\n        ${run.reports.html}`);
  if (run.interrupted) console.log(`Interrupted: ${run.interrupted}`);
  await cms.stop();
  process.exit(run.interrupted ? 130 : 0);
} catch (err) {
  await cms?.stop();
  if (err instanceof ImportInterrupted) {
    console.log('\nInterrupted while reading the files: nothing was imported.');
    process.exit(130);
  }
  exitWith(err);
}
