/**
 * A generated SharePoint library for the import's tests and trial runs: real PDFs, decks and Word
 * files (built by the plugin's test fixtures), version families ("v1", "v2", "v3 FINAL", "FINAL (2)"),
 * the same PDF in three folders, folders named after products and regions, an Archive the mapping
 * skips, system files, encrypted and damaged files, a name with a bidi override, a too-deep folder,
 * look-alike pairs a person must decide on, and a metadata CSV in UTF-16LE. It returns what a correct
 * import makes of it, counted from how it was built (not from the importer).
 *
 * `npx tsx scripts/import/fixture-library.ts <dir> [files]` writes one for a trial run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { docxWith, encryptedPdf, pdfWithPages, pptxWithSlides } from '../../plugins/change-notices/src/test-support/documents';

export const FIXTURE_PRODUCTS = ['Aurora Pulse', 'Aurora Relay', 'Aurora Vault'];
export const FIXTURE_REGIONS = ['North America', 'EMEA', 'APAC', 'LATAM'];
export const FIXTURE_MAPPING = { folders: { Archive: { skip: true } }, values: { products: { Pulse: 'Aurora Pulse' } } };

export interface FixtureLibrary {
  root: string;
  metadata: string;
  mapping: string;
  expected: {
    /** Files the source lists (the too-deep folder's file is not one). */
    files: number;
    skipped: number;
    items: number;
    versions: number;
    copies: number;
    families: number;
    ambiguous: number;
    unreadable: number;
    stale: number;
    hidden: number;
  };
  /** A version family to look for: its title, its versions and a phrase only its current version has. */
  deck: { title: string; versions: number; phrase: string; product: string };
}

const DAY = 86_400_000;
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'to', 'vas', 'qui', 'dor', 'sel', 'pra', 'nu', 'bex', 'fal', 'gor', 'hin', 'jus', 'lem', 'mox', 'nir', 'pol'];
const TOPICS_A = ['pipeline', 'renewal', 'onboarding', 'security', 'pricing', 'migration', 'rollout', 'forecast', 'compliance', 'expansion', 'partner', 'retention', 'integration', 'launch', 'audit', 'budget', 'workflow', 'analytics', 'support', 'governance'];
const TOPICS_B = ['basics', 'playbook', 'overview', 'story', 'guide', 'essentials', 'roadmap', 'primer', 'brief', 'insights', 'handbook', 'walkthrough', 'summary', 'notes', 'checklist', 'update', 'digest', 'field guide', 'blueprint', 'snapshot'];
const KIND_WORDS = ['battlecard', 'case study', 'one-pager', 'deck', 'talk track'];

/** A small seeded PRNG (mulberry32): the same library every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const wordsOf = (seed: number, n: number) => {
  const r = random(seed);
  return Array.from({ length: n }, () => SYLLABLES[Math.floor(r() * 20)]! + SYLLABLES[Math.floor(r() * 20)]! + SYLLABLES[Math.floor(r() * 20)]!);
};
/**
 * Pages of a document: 5 pages of 3 lines of 10 words. A later version rewrites the first line of each
 * page in `edits`, as an edit does: versions stay alike, a family's first and last less so.
 */
const pagesOf = (seed: number, edits: number[] = []) =>
  Array.from({ length: 5 }, (_, p) => (edits.includes(p) ? [...wordsOf(seed * 100 + p + 7, 10), ...wordsOf(seed * 10 + p, 30).slice(10)] : wordsOf(seed * 10 + p, 30)));
const linesOf = (pages: string[][], extra: string[] = []) => (n: number) => {
  const words = pages[n - 1] ?? [];
  return [...[0, 1, 2].map((i) => words.slice(i * 10, i * 10 + 10).join(' ')), ...(n === 1 ? extra : [])];
};

type Format = 'pdf' | 'pptx' | 'docx';
async function documentOf(format: Format, pages: string[][], extra: string[] = []): Promise<Buffer> {
  if (format === 'pptx') return pptxWithSlides(pages.length, linesOf(pages, extra));
  if (format === 'docx') return docxWith(pages.flatMap((_, i) => linesOf(pages, extra)(i + 1)));
  return pdfWithPages(pages.length, linesOf(pages, extra));
}

const usDate = (ms: number) => {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
};

/** Writes the library under `dir` (which must not exist or be empty) with about `files` files. */
export async function writeFixtureLibrary(dir: string, opts: { files?: number; now?: number } = {}): Promise<FixtureLibrary> {
  const target = opts.files ?? 500;
  const now = opts.now ?? Date.now();
  const root = path.join(dir, 'Shared Documents');
  const csv: string[][] = [['Name', 'Path', 'Modified', 'Modified By', 'Content Type', 'Product', 'Region']];
  let written = 0;
  const write = (rel: string, bytes: Buffer | Uint8Array, modified: number, meta: { by?: string; product?: string; region?: string; inCsv?: boolean } = {}) => {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, bytes);
    fs.utimesSync(full, new Date(modified), new Date(modified));
    written++;
    if (meta.inCsv !== false) {
      csv.push([path.posix.basename(rel), `/sites/marketing/Shared Documents/${path.posix.dirname(rel)}`, usDate(modified), meta.by ?? 'marketing@candor.local', 'Document', meta.product ?? '', meta.region ?? '']);
    }
  };
  // Distinct for every i (a third word past 400), so groups drawing from different ranges never share a name.
  const topic = (i: number) => `${TOPICS_A[i % 20]} ${TOPICS_B[Math.floor(i / 20) % 20]}${i >= 400 ? ` ${TOPICS_A[Math.floor(i / 400) % 20]} edition` : ''}`;
  const product = (i: number) => FIXTURE_PRODUCTS[i % 3]!;
  const region = (i: number) => FIXTURE_REGIONS[i % 4]!;
  const e = { files: 0, skipped: 0, items: 0, versions: 0, copies: 0, families: 0, ambiguous: 0, unreadable: 0, stale: 0, hidden: 0 };
  let deck: FixtureLibrary['deck'] | null = null;

  // Version families: 2, 3 or 4 versions, every fourth with an identical "FINAL (2)" in another region.
  const FAMILIES = Math.round(target * 0.08);
  for (let i = 0; i < FAMILIES; i++) {
    const count = 2 + (i % 3);
    const format: Format = (['pptx', 'pdf', 'docx'] as const)[i % 3]!;
    const name = `${product(i)} ${topic(i)}`;
    const folder = `${region(i)}/${product(i)}`;
    const phrase = `Family ${i} current wording ${wordsOf(9000 + i, 3).join(' ')}`;
    let last: Buffer | null = null;
    for (let v = 1; v <= count; v++) {
      const edits = Array.from({ length: v - 1 }, (_, k) => k + 1);
      last = await documentOf(format, pagesOf(1000 + i, edits), v === count ? [phrase] : []);
      write(`${folder}/${name} v${v}${v === count ? ' FINAL' : ''}.${format}`, last, now - (200 - i) * DAY + v * 10 * DAY, { by: `author${v}@candor.local`, product: product(i), region: region(i) });
    }
    if (i % 4 === 0) {
      write(`${region(i + 1)}/${name} v${count} FINAL (2).${format}`, last!, now - (200 - i) * DAY + (count * 10 + 1) * DAY, { product: product(i), region: region(i + 1) });
      e.copies++;
    }
    if (format === 'pptx' && !deck) deck = { title: name, versions: count, phrase, product: product(i) };
    e.items++;
    e.versions += count;
    e.families++;
  }

  // The same PDF in three folders.
  const DUPLICATES = Math.round(target * 0.06);
  for (let i = 0; i < DUPLICATES; i++) {
    const bytes = await documentOf('pdf', pagesOf(2000 + i));
    for (let c = 0; c < 3; c++) write(`${region(i + c)}/${product(i)} ${topic(2000 + i)} one-pager.pdf`, bytes, now - 30 * DAY, { region: region(i + c), product: product(i) });
    e.items++;
    e.versions++;
    e.copies += 2;
  }

  // Look-alikes a person decides on: one family name with unrelated texts; near-identical texts under two names.
  for (let i = 0; i < 2; i++) {
    write(`EMEA/${topic(4000 + i)} pricing overview.pdf`, await documentOf('pdf', pagesOf(3000 + i)), now - 20 * DAY);
    write(`APAC/${topic(4000 + i)} pricing overview v2.pdf`, await documentOf('pdf', pagesOf(3100 + i)), now - 10 * DAY);
    const pages = pagesOf(3200 + i);
    write(`EMEA/Partner pitch ${TOPICS_A[i]}.pptx`, await documentOf('pptx', pages), now - 15 * DAY);
    write(`LATAM/Channel story ${TOPICS_A[i]}.pptx`, await documentOf('pptx', pages, ['One closing line']), now - 14 * DAY);
    e.items += 4;
    e.versions += 4;
    e.ambiguous += 2;
  }

  // Files whose text cannot be read: still imported, listed.
  write(`North America/Board roadmap confidential.pdf`, await encryptedPdf('Secret roadmap for the board'), now - 5 * DAY);
  write(`EMEA/Legal terms protected.pdf`, await encryptedPdf('Protected legal terms'), now - 5 * DAY);
  write(`APAC/Damaged brochure.pdf`, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(wordsOf(77, 50).join(' '))]), now - 5 * DAY);
  e.items += 3;
  e.versions += 3;
  e.unreadable += 3;

  // Not documents, or skipped by the mapping; a folder too deep to walk (its file is not listed).
  write('EMEA/Thumbs.db', Buffer.from('thumbs'), now, { inCsv: false });
  write('APAC/.DS_Store', Buffer.from('ds'), now, { inCsv: false });
  write('EMEA/~$Pulse deck.pptx', Buffer.from('lock'), now, { inCsv: false });
  write('Tools/setup.exe', Buffer.from('MZ'), now, { inCsv: false });
  write('Archive/Old pricing 2019.pdf', await documentOf('pdf', pagesOf(4000)), now - 2000 * DAY);
  write('Archive/Old deck.pptx', await documentOf('pptx', pagesOf(4001)), now - 2000 * DAY);
  e.skipped += 6;
  write(`${Array.from({ length: 40 }, (_, i) => `level ${i}`).join('/')}/Lost deck.pdf`, await documentOf('pdf', pagesOf(4002)), now, { inCsv: false });
  written--; // the walker stops above it

  // Single documents for the rest; every fifth untouched for two years; one name with a bidi override.
  for (let i = 0; written < target; i++) {
    const kind = KIND_WORDS[i % 5]!;
    const format: Format = kind === 'deck' ? 'pptx' : i % 7 === 0 ? 'docx' : 'pdf';
    const stale = i % 5 === 0;
    const base = i === 1 ? `Présentation ${product(i)} ${topic(6000 + i)} ${kind}` : i === 2 ? `${product(i)} ${topic(6000 + i)} ${kind} \u202Efdp.exe` : `${product(i)} ${topic(6000 + i)} ${kind}`;
    write(`${region(i)}/${i % 2 ? `${product(i)}/` : ''}${base}.${format}`, await documentOf(format, pagesOf(5000 + i)), now - (stale ? 730 + i : 40 + (i % 100)) * DAY, { product: i === 3 ? 'Aurora Nimbus' : i === 4 ? 'Pulse' : '', region: region(i) });
    e.items++;
    e.versions++;
    if (stale) e.stale++;
    if (i === 2) e.hidden++;
  }
  e.files = written;

  // A row for a file that is not there, as exports of libraries in use have.
  csv.push(['Deleted deck.pptx', '/sites/marketing/Shared Documents/EMEA', usDate(now - 100 * DAY), 'someone@candor.local', 'Document', '', '']);
  const metadata = path.join(dir, 'library.csv');
  const text = csv.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
  // Excel's "Unicode" export: UTF-16LE with a BOM.
  fs.writeFileSync(metadata, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]));
  const mapping = path.join(dir, 'mapping.json');
  fs.writeFileSync(mapping, JSON.stringify(FIXTURE_MAPPING, null, 2));
  return { root, metadata, mapping, expected: e, deck: deck! };
}

/** The library as a zip (what "Download" of a SharePoint folder gives), with a zip-slip entry added. */
export function zipFixtureLibrary(root: string, zipPath: string): void {
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else entries[r] = [new Uint8Array(fs.readFileSync(path.join(root, r))), { mtime: fs.statSync(path.join(root, r)).mtime }];
    }
  };
  walk('');
  entries['../../escaped.pdf'] = [new TextEncoder().encode('%PDF-1.4 not really'), { mtime: new Date() }];
  fs.writeFileSync(zipPath, zipSync(entries));
}

if (process.argv[1] && /fixture-library\.ts$/.test(process.argv[1])) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx scripts/import/fixture-library.ts <dir> [files]');
    process.exit(1);
  }
  const started = Date.now();
  const lib = await writeFixtureLibrary(path.resolve(dir), { files: Number(process.argv[3] ?? 500) });
  console.log(`Wrote ${lib.expected.files} files in ${((Date.now() - started) / 1000).toFixed(1)} s to ${lib.root}\nMetadata: ${lib.metadata}\nMapping: ${lib.mapping}\nExpected: ${JSON.stringify(lib.expected)}`);
}
