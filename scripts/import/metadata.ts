/**
 * A SharePoint library's metadata export (the "Export to CSV/Excel" of a document library): decoded
 * from whatever encoding it came in, parsed, and matched to the files. Columns it uses: Name, Path
 * (or Folder/URL Path), Modified, Modified By, Content Type, and custom ones (Product, Region, …).
 * Missing columns and bad rows become problems for the report, never a failed import. Pure.
 */
import chardet from 'chardet';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { comparable } from './mapping';

export interface MetadataRow {
  /** The line in the CSV, for the report. */
  line: number;
  name: string;
  /** Folder or full path, when the export has one. */
  path: string | null;
  modified: number | null;
  modifiedBy: string | null;
  contentType: string | null;
  /** Every other column, by its header. */
  custom: Record<string, string>;
}

export interface Metadata {
  encoding: string;
  rows: MetadataRow[];
  /** What could not be used, one sentence each. */
  problems: string[];
}

/**
 * The CSV's text: a BOM decides (UTF-8, UTF-16LE/BE; Excel's "Unicode text" is UTF-16LE), else valid
 * UTF-8 is UTF-8, else chardet's guess (windows-1252 for most Western exports).
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: string } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'UTF-8 (with BOM)' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'UTF-16LE' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'UTF-16BE' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'UTF-8' };
  } catch {
    // Not UTF-8: guess below.
  }
  const guess = chardet.detect(buf);
  // chardet says ISO-8859-1 for most windows-1252 text; 1252 is its superset (curly quotes, €).
  const encoding = !guess || /^ISO-8859-1$/i.test(guess) || !iconv.encodingExists(guess) ? 'windows-1252' : guess;
  return { text: iconv.decode(buf, encoding), encoding };
}

const COLUMNS = {
  name: ['name', 'file name', 'filename', 'fileleafref', 'document name', 'title'],
  path: ['path', 'folder', 'folder path', 'url path', 'item path', 'fileref', 'relative path', 'server relative url', 'location'],
  modified: ['modified', 'date modified', 'last modified', 'modified at'],
  modifiedBy: ['modified by', 'editor', 'last modified by', 'author'],
  contentType: ['content type', 'contenttype'],
} as const;
type Known = keyof typeof COLUMNS;

/** The delimiter the header line uses most (Excel writes `;` in many locales, tabs in UTF-16 "Unicode text"). */
function delimiterOf(text: string): string {
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![1] > 0 ? counts[0]![0] : ',';
}

/** A SharePoint date: ISO 8601, "3/14/2024 10:02 AM" (month or day first, per `order`), "14.03.2024 10:02". */
export function parseDate(value: string, order: 'MDY' | 'DMY' = 'MDY'): number | null {
  const v = value.trim();
  if (!v) return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v.replace(' ', 'T'));
    return Number.isFinite(t) ? t : null;
  }
  const m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/.exec(v);
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[3])];
  // Dots are day-first everywhere they are used.
  const dayFirst = m[2] === '.' || order === 'DMY';
  const [month, day] = dayFirst ? [b, a] : [a, b];
  const year = m[4]!.length === 2 ? 2000 + Number(m[4]) : Number(m[4]);
  let hour = m[5] ? Number(m[5]) : 0;
  if (m[8]) hour = (hour % 12) + (/p/i.test(m[8]) ? 12 : 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23) return null;
  const t = Date.UTC(year, month - 1, day, hour, m[6] ? Number(m[6]) : 0, m[7] ? Number(m[7]) : 0);
  return new Date(t).getUTCDate() === day ? t : null;
}

/** Decodes and parses the export. Never throws for bad content: what cannot be used is a problem. */
export function parseMetadata(bytes: Uint8Array, opts: { dateOrder?: 'MDY' | 'DMY' } = {}): Metadata {
  const { text, encoding } = decodeCsv(bytes);
  const problems: string[] = [];
  let records: string[][];
  const skipped: number[] = [];
  try {
    records = parse(text.replace(/^\ufeff/, ''), {
      delimiter: delimiterOf(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        skipped.push((err as { lines?: number } | undefined)?.lines ?? 0);
      },
    }) as string[][];
  } catch (err) {
    return { encoding, rows: [], problems: [`The metadata file could not be read as CSV (${(err as Error).message}): it is not used.`] };
  }
  for (const line of skipped) problems.push(`Metadata line ${line} is malformed and was left out.`);
  const [header, ...body] = records;
  if (!header) return { encoding, rows: [], problems: [...problems, 'The metadata file is empty: it is not used.'] };
  const heads = header.map((h) => comparable(h));
  const indexOf = (k: Known) => heads.findIndex((h) => (COLUMNS[k] as readonly string[]).includes(h));
  const at = Object.fromEntries((Object.keys(COLUMNS) as Known[]).map((k) => [k, indexOf(k)])) as Record<Known, number>;
  if (at.name < 0) {
    return { encoding, rows: [], problems: [...problems, `The metadata has no Name column (it has: ${header.join(', ') || 'none'}), so its rows cannot be matched to files: it is not used.`] };
  }
  if (at.modified < 0) problems.push('The metadata has no Modified column: dates come from the files themselves.');
  if (at.modifiedBy < 0) problems.push('The metadata has no Modified By column: versions are not attributed to anyone.');
  const used = new Set(Object.values(at).filter((i) => i >= 0));
  const rows: MetadataRow[] = [];
  let badDates = 0;
  body.forEach((r, i) => {
    const cell = (k: Known) => (at[k] >= 0 ? (r[at[k]] ?? '').trim() : '');
    const name = cell('name');
    if (!name) return;
    const modifiedText = cell('modified');
    const modified = modifiedText ? parseDate(modifiedText, opts.dateOrder) : null;
    if (modifiedText && modified === null) badDates++;
    const custom: Record<string, string> = {};
    header.forEach((h, c) => {
      if (!used.has(c) && (r[c] ?? '').trim()) custom[h.trim()] = r[c]!.trim();
    });
    rows.push({ line: i + 2, name, path: cell('path') || null, modified, modifiedBy: cell('modifiedBy') || null, contentType: cell('contentType') || null, custom });
  });
  if (badDates) problems.push(`${badDates} Modified value(s) in the metadata are not dates this import reads: those files keep their own dates.`);
  return { encoding, rows, problems };
}

const normPath = (p: string) =>
  p
    .replace(/\\/g, '/')
    .split('/')
    .filter(Boolean)
    .map((s) => s.normalize('NFC').toLowerCase())
    .join('/');

/**
 * Which row describes which file (by relative path). With a Path column a row matches the file whose
 * path its path ends with; without, by name, and a name that several rows share is not guessed.
 */
export function matchMetadata(rows: MetadataRow[], filePaths: string[]): { byPath: Map<string, MetadataRow>; unmatched: MetadataRow[]; problems: string[] } {
  const byPath = new Map<string, MetadataRow>();
  const unmatched: MetadataRow[] = [];
  const problems: string[] = [];
  const files = filePaths.map((p) => ({ p, norm: normPath(p), name: normPath(p).split('/').pop()! }));
  const rowsByName = new Map<string, MetadataRow[]>();
  for (const r of rows) rowsByName.set(normPath(r.name), [...(rowsByName.get(normPath(r.name)) ?? []), r]);
  for (const row of rows) {
    const name = normPath(row.name);
    let matches: typeof files;
    if (row.path) {
      const full = normPath(row.path).endsWith(name) ? normPath(row.path) : `${normPath(row.path)}/${name}`;
      matches = files.filter((f) => f.name === name && (`/${full}`.endsWith(`/${f.norm}`) || `/${f.norm}`.endsWith(`/${full}`)));
    } else {
      matches = files.filter((f) => f.name === name);
      if (matches.length > 1 && rowsByName.get(name)!.length > 1) {
        problems.push(`Metadata line ${row.line}: ${rowsByName.get(name)!.length} rows and ${matches.length} files are named “${row.name}” and there is no Path column: not matched.`);
        continue;
      }
    }
    if (!matches.length) unmatched.push(row);
    for (const m of matches) if (!byPath.has(m.p)) byPath.set(m.p, row);
  }
  return { byPath, unmatched, problems };
}
