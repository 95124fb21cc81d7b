/**
 * The measuring core of `bench:extract`, also run by `bench:search`: how fast the worker reads the text
 * of uploaded files (plugin files/extract), beside a raw pdfjs-dist baseline in the same run.
 *
 * Files are built by the test fixtures (plugins/change-notices/src/test-support/documents.ts, i.e. the
 * libraries that write them in the wild), then each is read `rounds` times after one warm-up read.
 */
import { performance } from 'node:perf_hooks';
import { extractText } from '../../plugins/change-notices/src/server/files/extract';
import { docxWith, pdfWithPages, pptxWithSlides, xlsxWith } from '../../plugins/change-notices/src/test-support/documents';

export type BenchFileKind = 'pdf' | 'pptx' | 'docx' | 'xlsx';

/** One timed reader over one file. */
export interface ExtractionTiming {
  label: string;
  kind: BenchFileKind;
  /** The raw pdfjs-dist row, not the product's reader. */
  baseline: boolean;
  bytes: number;
  /** Parts extractText returned (pages read, for the baseline). */
  parts: number;
  pages: number;
  /** Milliseconds per file. */
  p50: number;
  p95: number;
  pagesPerSecond: number;
}

/** Words in lines of `per` words: a PDF line, a slide's text box, a sheet row. */
const lines = (text: string, per: number) => {
  const words = text.split(' ');
  return Array.from({ length: Math.ceil(words.length / per) }, (_, i) => words.slice(i * per, (i + 1) * per).join(' '));
};

/** The file of each kind with `pages` pages (slides, sheets; a DOCX has one paragraph per page). */
const BUILDERS: Record<BenchFileKind, (pages: number, textOf: (page: number) => string) => Promise<Uint8Array>> = {
  pdf: (pages, textOf) => pdfWithPages(pages, (n) => lines(textOf(n), 12)),
  pptx: (pages, textOf) => pptxWithSlides(pages, (n) => lines(textOf(n), 40)),
  docx: (pages, textOf) => docxWith(Array.from({ length: pages }, (_, i) => textOf(i + 1))),
  xlsx: (pages, textOf) => xlsxWith(Object.fromEntries(Array.from({ length: pages }, (_, i) => [`Sheet ${i + 1}`, lines(textOf(i + 1), 6).map((l) => l.split(' '))]))),
};

/** The floor for PDFs: pdfjs-dist alone, text of every page, no limits, no normalising. */
async function rawPdfjs(bytes: Uint8Array): Promise<number> {
  const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({ data: bytes.slice(), verbosity: VerbosityLevel.ERRORS, disableFontFace: true, useSystemFonts: false });
  const doc = await task.promise;
  let chars = 0;
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    for (const item of content.items) if ('str' in item) chars += item.str.length;
  }
  await task.destroy();
  return chars > 0 ? doc.numPages : 0;
}

/** The product's reader, as the `file.extract` job calls it (type from the bytes, limits, per-page parts). */
const viaProduct = (name: string) => async (bytes: Uint8Array) => {
  const result = await extractText(Buffer.from(bytes), { name });
  if (result.status !== 'ok') throw new Error(`${name}: ${result.message}`);
  return result.parts.length;
};

async function time(label: string, kind: BenchFileKind, baseline: boolean, bytes: Uint8Array, pages: number, rounds: number, read: (b: Uint8Array) => Promise<number>): Promise<ExtractionTiming> {
  await read(bytes); // warm-up: module load, JIT
  const times: number[] = [];
  let parts = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    parts = await read(bytes);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)]!;
  const p95 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!;
  return { label, kind, baseline, bytes: bytes.length, parts, pages, p50, p95, pagesPerSecond: (pages * 1000) / p50 };
}

/**
 * Builds one file of each kind with `pages` pages of `textOf(page)` and times reading it: raw
 * pdfjs-dist first when a PDF is asked for, then extractText for each kind. Measured, never asserted.
 */
export async function measureExtraction(opts: { kinds: BenchFileKind[]; pages: number; rounds: number; textOf: (page: number) => string }): Promise<ExtractionTiming[]> {
  const { pages, rounds } = opts;
  const out: ExtractionTiming[] = [];
  for (const kind of opts.kinds) {
    // A plain Uint8Array (the fixtures give Buffers): pdfjs-dist refuses Buffers.
    const bytes = new Uint8Array(await BUILDERS[kind](pages, opts.textOf));
    const name = kind.toUpperCase();
    if (kind === 'pdf') out.push(await time('PDF: raw pdfjs-dist (baseline)', kind, true, bytes, pages, rounds, rawPdfjs));
    out.push(await time(`${name}: extractText`, kind, false, bytes, pages, rounds, viaProduct(`bench.${kind}`)));
  }
  return out;
}
