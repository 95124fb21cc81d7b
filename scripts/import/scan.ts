/**
 * Reads each source file once: its sha256 and its text through the plugin's own extraction (the
 * same reader the worker runs) and MinHash signature, so the plan can tell copies and versions
 * apart. Bytes are dropped after each file; identical bytes are read once.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { extractText } from '../../plugins/change-notices/src/server/files/extract';
import { minhashOf } from '../../plugins/change-notices/src/server/files/similarity';
import type { ScannedFile } from './plan';
import type { Source, SourceProblem } from './sources';

/** Pictures, films and sound are imported, but have no text to compare. */
const NO_TEXT = /\.(png|jpe?g|gif|webp|heic|tiff?|bmp|mp4|mov|m4v|webm|avi|wmv|mp3|wav|m4a)$/i;

export async function scanSource(source: Source, opts: { signal?: AbortSignal; onFile?: (done: number, total: number) => void } = {}): Promise<{ files: ScannedFile[]; problems: SourceProblem[] }> {
  const files: ScannedFile[] = [];
  const problems: SourceProblem[] = [];
  const byHash = new Map<string, ScannedFile['text']>();
  let done = 0;
  for (const f of source.files) {
    opts.signal?.throwIfAborted();
    let bytes: Buffer;
    try {
      bytes = await f.read();
    } catch (err) {
      problems.push({ path: f.path, problem: `file could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): not imported` });
      opts.onFile?.(++done, source.files.length);
      continue;
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    let text = byHash.get(hash);
    if (!text) {
      if (NO_TEXT.test(f.path)) text = { status: 'ok', minhash: null, snippet: '' };
      else {
        const read = await extractText(bytes, { name: path.posix.basename(f.path) });
        if (read.status === 'ok') {
          const all = read.parts.map((p) => p.text).join('\n');
          text = { status: 'ok', minhash: minhashOf(all), snippet: all.slice(0, 400) };
        } else text = { status: 'unreadable', message: read.message };
      }
      byHash.set(hash, text);
    }
    files.push({ path: f.path, size: bytes.length, mtime: f.mtime, hash, text });
    opts.onFile?.(++done, source.files.length);
  }
  return { files, problems };
}
