/**
 * One import, start to end, against a loaded Strapi: open the source, read the metadata and the
 * mapping, read every file, plan, apply (unless a dry run) and write the report beside the source.
 * The CLI (scripts/import.ts) and the tests call this; nothing here parses argv or prints.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { changeNotices } from '@candor/change-notices/server';
import { applyPlan, ImportInterrupted, loadTaxonomies, type ApplyResult } from './apply';
import { parseMapping, type MappingInput } from './mapping';
import { parseMetadata, type Metadata } from './metadata';
import { planImport, type Plan } from './plan';
import { renderHtml, renderMarkdown } from './report';
import { scanSource } from './scan';
import { openSource, type SourceLimits } from './sources';

export interface ImportProgress {
  phase(label: string, total: number): void;
  tick(done: number): void;
  end(): void;
}

export interface ImportOptions {
  source: string;
  /** The library's metadata export (CSV). */
  metadata?: string;
  /** A mapping file's path, or the mapping itself. */
  mapping?: string | MappingInput;
  dryRun?: boolean;
  publish?: boolean;
  /** Where the reports go; beside the source by default. */
  reportDir?: string;
  signal?: AbortSignal;
  /** Stop after this many versions written (tests of resuming). */
  stopAfter?: number;
  now?: number;
  progress?: ImportProgress;
  sourceLimits?: Partial<SourceLimits>;
}

export interface ImportRun {
  plan: Plan;
  /** Dry run: how many of the plan's versions the ledger already has (a re-run would skip them). */
  alreadyImported: number | null;
  result: ApplyResult | null;
  interrupted: string | null;
  reports: { markdown: string; html: string };
}

export async function runImport(strapi: Core.Strapi, opts: ImportOptions): Promise<ImportRun> {
  const startedAt = Date.now();
  const mapping = parseMapping(typeof opts.mapping === 'string' ? JSON.parse(fs.readFileSync(opts.mapping, 'utf8')) : (opts.mapping ?? {}));
  let metadata: Metadata | null = null;
  if (opts.metadata) {
    try {
      metadata = parseMetadata(fs.readFileSync(opts.metadata), { dateOrder: mapping.dateOrder });
    } catch (err) {
      metadata = { encoding: 'unknown', rows: [], problems: [`The metadata file could not be read (${(err as Error).message}): it is not used.`] };
    }
  }
  const source = await openSource(opts.source, opts.sourceLimits);
  let plan: Plan;
  let result: ApplyResult | null = null;
  let interrupted: string | null = null;
  let alreadyImported: number | null = null;
  try {
    opts.progress?.phase('Reading files', source.files.length);
    let scanned: Awaited<ReturnType<typeof scanSource>>;
    try {
      scanned = await scanSource(source, { signal: opts.signal, onFile: (done) => opts.progress?.tick(done) });
    } catch (err) {
      // Stopped while reading: nothing was written, and there is no plan to report yet.
      if ((err as Error).name === 'AbortError') throw new ImportInterrupted(0);
      throw err;
    } finally {
      opts.progress?.end();
    }
    plan = planImport({ files: scanned.files, problems: [...source.problems, ...scanned.problems], metadata, mapping, taxonomies: await loadTaxonomies(strapi), now: opts.now ?? Date.now() });
    if (opts.dryRun) {
      const { imports } = changeNotices(strapi);
      const known = await imports.filesByKey(plan.items.flatMap((it) => it.versions.map((v) => v.files[0]!.sourceKey)));
      alreadyImported = [...known.values()].filter((f) => f.outcome === 'version').length;
    } else {
      opts.progress?.phase('Importing versions', plan.counts.versions);
      const byPath = new Map(source.files.map((f) => [f.path, f]));
      try {
        result = await applyPlan(strapi, plan, {
          publish: Boolean(opts.publish),
          sourceLabel: path.basename(opts.source),
          readBytes: (p) => byPath.get(p)!.read(),
          signal: opts.signal,
          stopAfter: opts.stopAfter,
          onVersion: (done) => opts.progress?.tick(done),
        });
      } catch (err) {
        if (!(err instanceof ImportInterrupted)) throw err;
        interrupted = err.message;
        result = err.result ?? null;
      } finally {
        opts.progress?.end();
      }
    }
  } finally {
    await source.close();
  }
  const reportBase = opts.reportDir ? path.join(opts.reportDir, path.basename(opts.source)) : path.resolve(opts.source);
  const reports = { markdown: `${reportBase}.import-report.md`, html: `${reportBase}.import-report.html` };
  const input = { source: opts.source, dryRun: Boolean(opts.dryRun), publish: Boolean(opts.publish), plan, result, alreadyImported, interrupted, startedAt, finishedAt: Date.now(), staleAfterDays: mapping.staleAfterDays };
  fs.mkdirSync(path.dirname(reports.markdown), { recursive: true });
  fs.writeFileSync(reports.markdown, renderMarkdown(input));
  fs.writeFileSync(reports.html, renderHtml(input));
  return { plan, result, alreadyImported, interrupted, reports };
}
