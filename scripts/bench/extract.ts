/**
 * `npm run bench:extract`: how fast the worker reads the text of uploaded files (plugin files/extract),
 * beside a raw baseline in the same run.
 *
 * Builds real files with the test fixtures (pdf-lib, pptxgenjs, docx, exceljs) of 20 pages, slides or
 * sections of ~120 words each, then reads each file `--rounds` times (extraction.ts, shared with
 * `bench:search`):
 * - with `extractText`, as the `file.extract` job does (type from the bytes, limits, per-page parts);
 * - raw pdfjs-dist (getDocument + getTextContent per page, nothing else) for the PDFs: the floor.
 * Prints pages per second, ms per file and per page, and writes bench-results/extract.md. Measured,
 * never asserted.
 *
 * Options: --rounds 20, --pages 20.
 */
import { measureExtraction } from './extraction';
import { ms, report } from './table';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const rounds = Number(arg('rounds', '20'));
const pages = Number(arg('pages', '20'));
if (!(rounds > 0) || !(pages > 0)) {
  console.error('usage: npm run bench:extract -- [--rounds 20] [--pages 20]');
  process.exit(2);
}

const WORDS = 'pipeline quota renewal warranty discount onboarding migration uptime regional partner launch campaign pricing tier rebate bundle'.split(' ');
/** ~120 words of sales prose, different on every page. */
const prose = (page: number) => Array.from({ length: 120 }, (_, i) => WORDS[(i * 7 + page * 3) % WORDS.length]).join(' ');

async function main() {
  console.log(`Building files of ${pages} pages, slides, sections or sheets (~120 words each); ${rounds} rounds each…`);
  const timings = await measureExtraction({ kinds: ['pdf', 'pptx', 'docx', 'xlsx'], pages, rounds, textOf: prose });
  const rows = timings.map((t) => [t.label, `${(t.bytes / 1024).toFixed(0)} KB`, t.parts, ms(t.p50), ms(t.p95), ms(t.p50 / pages), t.pagesPerSecond.toFixed(0)]);
  report('extract', `Text extraction, ${pages} pages per file, ${rounds} rounds`, ['File', 'Size', 'Parts', 'p50 per file', 'p95 per file', 'per page', 'pages/s'], rows, [
    'Parts: what extractText returns (a DOCX is one part: Word has no stored pages); the baseline row counts the pages it read.',
    'Files are built by the test fixtures (test-support/documents.ts): PDF lines of 12 words, a PPTX text box per 40 words, a DOCX paragraph and an XLSX sheet (rows of 6 words) per page.',
    'One core, in process; the worker reads one file per job, beside its sends.',
  ]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
