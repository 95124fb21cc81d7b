/**
 * `npm run bench:extract`: how fast the worker reads the text of uploaded files (plugin files/extract),
 * beside a raw baseline in the same run.
 *
 * Builds real files with the libraries that write them in the wild (pdf-lib, pptxgenjs, docx, exceljs)
 * of 20 pages, slides or sections of ~120 words each, then reads each file `--rounds` times:
 * - with `extractText`, as the `file.extract` job does (type from the bytes, limits, per-page parts);
 * - raw pdfjs-dist (getDocument + getTextContent per page, nothing else) for the PDFs: the floor.
 * Prints pages per second, ms per file and per page, and writes bench-results/extract.md. Measured,
 * never asserted.
 *
 * Options: --rounds 20, --pages 20.
 */
import { performance } from 'node:perf_hooks';
import { Document, Packer, Paragraph, PageBreak } from 'docx';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import PptxGenJS from 'pptxgenjs';
import { extractText } from '../../plugins/change-notices/src/server/files/extract';
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
const lines = (text: string, per = 12) => text.split(' ').reduce<string[]>((acc, w, i) => (i % per ? ((acc[acc.length - 1] += ` ${w}`), acc) : [...acc, w]), []);

async function pdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([595, 842]);
    lines(prose(n)).forEach((line, i) => page.drawText(line, { x: 40, y: 800 - i * 18, size: 11, font }));
  }
  return doc.save();
}
async function pptx(): Promise<Uint8Array> {
  const deck = new PptxGenJS();
  for (let n = 1; n <= pages; n++) deck.addSlide().addText(prose(n), { x: 0.5, y: 0.5, w: 9, h: 4.5, fontSize: 12 });
  return (await deck.write({ outputType: 'uint8array' })) as Uint8Array;
}
async function docx(): Promise<Uint8Array> {
  const children = Array.from({ length: pages }, (_, i) => [new Paragraph({ text: prose(i + 1) }), new Paragraph({ children: [new PageBreak()] })]).flat();
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}
async function xlsx(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  for (let n = 1; n <= pages; n++) book.addWorksheet(`Sheet ${n}`).addRows(lines(prose(n), 6).map((l) => l.split(' ')));
  return new Uint8Array(await book.xlsx.writeBuffer());
}

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
  return chars;
}

async function time(label: string, bytes: Uint8Array, read: (b: Uint8Array) => Promise<number>) {
  await read(bytes); // warm-up: module load, JIT
  const times: number[] = [];
  let parts = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    parts = await read(bytes);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const p95 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!;
  return [label, `${(bytes.length / 1024).toFixed(0)} KB`, parts, ms(median), ms(p95), ms(median / pages), ((pages * 1000) / median).toFixed(0)];
}

const viaProduct = (name: string) => async (bytes: Uint8Array) => {
  const result = await extractText(Buffer.from(bytes), { name });
  if (result.status !== 'ok') throw new Error(`${name}: ${result.message}`);
  return result.parts.length;
};

async function main() {
  console.log(`Building files of ${pages} pages, slides, sections or sheets (~120 words each); ${rounds} rounds each…`);
  const files = { pdf: await pdf(), pptx: await pptx(), docx: await docx(), xlsx: await xlsx() };
  const rows = [
    await time('PDF: raw pdfjs-dist (baseline)', files.pdf, async (b) => ((await rawPdfjs(b)) > 0 ? pages : 0)),
    await time('PDF: extractText', files.pdf, viaProduct('bench.pdf')),
    await time('PPTX: extractText', files.pptx, viaProduct('bench.pptx')),
    await time('DOCX: extractText', files.docx, viaProduct('bench.docx')),
    await time('XLSX: extractText', files.xlsx, viaProduct('bench.xlsx')),
  ];
  report('extract', `Text extraction, ${pages} pages per file, ${rounds} rounds`, ['File', 'Size', 'Parts', 'p50 per file', 'p95 per file', 'per page', 'pages/s'], rows, [
    'Parts: what extractText returns (a DOCX is one part: Word has no stored pages); the baseline row counts the pages it read.',
    'One core, in process; the worker reads one file per job, beside its sends.',
  ]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
