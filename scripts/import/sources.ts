/**
 * Where an import's files come from: a folder tree, or a zip of one read entry by entry in memory
 * (never extracted, so a hostile entry name cannot write anywhere). Both give the same list of files
 * with relative '/'-separated paths, plus the problems met on the way (links not followed, folders
 * too deep, unsafe or encrypted zip entries), each a line for the report.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';

export interface SourceFile {
  /** Relative to the source's root, '/'-separated, as the library named it (hidden characters kept). */
  path: string;
  size: number;
  /** Last modification the source knows (file mtime, zip entry time), epoch ms. */
  mtime: number | null;
  read(): Promise<Buffer>;
}

export interface SourceProblem {
  path: string;
  problem: string;
}

export interface Source {
  kind: 'folder' | 'zip';
  root: string;
  files: SourceFile[];
  problems: SourceProblem[];
  close(): Promise<void>;
}

export interface SourceLimits {
  /** Folders below this depth are not walked (a 1,000-deep tree is a mistake or an attack). */
  maxDepth: number;
  /** Larger files are not read. */
  maxFileBytes: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = { maxDepth: 32, maxFileBytes: 200 * 1024 * 1024 };

/**
 * Why a zip entry's name is unsafe, or null: absolute paths, drive letters, `..` segments (zip slip),
 * NUL bytes. Backslashes count as separators, as Windows zip tools write them.
 */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\0')) return 'the name contains a NUL byte';
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(slashed)) return 'a path with a drive letter';
  if (slashed.split('/').some((s) => s === '..')) return 'a path that climbs out of the archive (..)';
  return null;
}

export async function openSource(input: string, limits: Partial<SourceLimits> = {}): Promise<Source> {
  const lim = { ...DEFAULT_SOURCE_LIMITS, ...limits };
  const stat = await fs.promises.stat(input);
  if (stat.isDirectory()) return walkFolder(input, lim);
  if (stat.isFile() && /\.zip$/i.test(input)) return readZip(input, lim);
  throw new Error(`${input} is neither a folder nor a .zip file.`);
}

/** Walks the tree without recursion (no stack to overflow), never following links. */
async function walkFolder(root: string, lim: SourceLimits): Promise<Source> {
  const files: SourceFile[] = [];
  const problems: SourceProblem[] = [];
  const stack: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
  while (stack.length) {
    const { rel, depth } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(path.join(root, rel), { withFileTypes: true });
    } catch (err) {
      problems.push({ path: rel || '.', problem: `folder could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
      continue;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) {
        problems.push({ path: childRel, problem: 'a symbolic link: not followed' });
      } else if (e.isDirectory()) {
        if (depth + 1 >= lim.maxDepth) problems.push({ path: childRel, problem: `folder nested deeper than ${lim.maxDepth} levels: its contents were not imported` });
        else stack.push({ rel: childRel, depth: depth + 1 });
      } else if (e.isFile()) {
        const full = path.join(root, childRel);
        try {
          const st = await fs.promises.lstat(full);
          files.push({ path: childRel, size: st.size, mtime: st.mtimeMs, read: () => fs.promises.readFile(full) });
        } catch (err) {
          problems.push({ path: childRel, problem: `file could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
        }
      }
    }
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { kind: 'folder', root, files, problems, close: async () => undefined };
}

const openZip = (file: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    // decodeStrings off: yauzl would stop the whole archive at the first unsafe name; we check each.
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, zip) => (err ? reject(err) : resolve(zip!)))
  );

async function readZip(file: string, lim: SourceLimits): Promise<Source> {
  const zip = await openZip(file);
  const files: SourceFile[] = [];
  const problems: SourceProblem[] = [];
  const tooDeep = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const raw = entry.fileName as unknown as Buffer;
      // Bit 11: the name is UTF-8; otherwise it is CP437, as the zip format says.
      const name = (entry.generalPurposeBitFlag & 0x800 ? raw.toString('utf8') : iconv.decode(raw, 'cp437')).replace(/\\/g, '/');
      const next = () => zip.readEntry();
      const unsafe = unsafeEntryName(name);
      if (unsafe) {
        problems.push({ path: name, problem: `unsafe zip entry: ${unsafe}; not imported` });
        return next();
      }
      if (name.endsWith('/')) return next();
      const segments = name.split('/').filter(Boolean);
      if (segments.length > lim.maxDepth) {
        const folder = segments.slice(0, lim.maxDepth).join('/');
        if (!tooDeep.has(folder)) problems.push({ path: folder, problem: `folder nested deeper than ${lim.maxDepth} levels: its contents were not imported` });
        tooDeep.add(folder);
        return next();
      }
      if (entry.generalPurposeBitFlag & 0x1) {
        problems.push({ path: name, problem: 'an encrypted zip entry: not imported' });
        return next();
      }
      if (entry.uncompressedSize > lim.maxFileBytes) {
        problems.push({ path: name, problem: `larger than ${Math.round(lim.maxFileBytes / 1024 / 1024)} MB unpacked: not imported` });
        return next();
      }
      files.push({ path: segments.join('/'), size: entry.uncompressedSize, mtime: entry.getLastModDate().getTime(), read: () => readEntry(zip, entry, lim.maxFileBytes) });
      next();
    });
    zip.readEntry();
  });
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { kind: 'zip', root: file, files, problems, close: async () => zip.close() };
}

/** One entry's bytes, in memory; yauzl checks the size against the declared one as it streams. */
function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('no stream'));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) stream.destroy(new Error(`larger than ${max} bytes unpacked`));
        else chunks.push(c);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}
