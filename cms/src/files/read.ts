/**
 * Reads a stored file's bytes for the change-notices plugin's text extraction (in the worker): from
 * the private folder with the local store, through a short-lived signed URL of the private bucket
 * with S3. Registered with the plugin at boot (src/index.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { providerSignedUrl } from './install';
import { localStore } from './private-local-provider';
import type { UploadRow } from './access';

type Readable = Pick<UploadRow, 'id' | 'name' | 'hash' | 'ext' | 'mime' | 'size' | 'url' | 'provider'>;

export async function readStoredFile(file: Readable): Promise<Buffer> {
  const store = localStore();
  if (store) return fs.promises.readFile(path.join(store.rootDir, path.posix.basename(file.url.split('?')[0]!)));
  const url = await providerSignedUrl({ row: { ...file, formats: null }, format: null, url: file.url, mime: file.mime ?? 'application/octet-stream', filename: file.name });
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`reading ${file.name} from the file store answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
