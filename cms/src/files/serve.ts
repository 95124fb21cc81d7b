/**
 * Sends a stored object's bytes after the caller's checks: from the private folder with the local
 * store, or as a redirect to a short-lived signed URL of the private S3 bucket.
 */
import fs from 'node:fs';
import path from 'node:path';
import contentDisposition from 'content-disposition';
import type { Context } from 'koa';
import { providerSignedUrl } from './install';
import { localStore } from './private-local-provider';
import type { StoredObject } from './access';

const INLINE = /^(image\/(png|jpe?g|gif|webp|avif)|application\/pdf|video\/(mp4|webm)|audio\/)/;

export async function sendStoredObject(ctx: Context, object: StoredObject, opts: { cacheControl: string }): Promise<void> {
  const store = localStore();
  if (!store) {
    // S3: the bucket is private; the signed URL works for a few minutes and only after the checks.
    ctx.set('cache-control', 'no-store');
    ctx.redirect(await providerSignedUrl(object));
    return;
  }
  const name = path.basename(object.url.split('?')[0]!);
  const file = path.join(store.rootDir, name);
  const stat = await fs.promises.stat(file).catch(() => null);
  if (!stat?.isFile()) {
    ctx.status = 404;
    ctx.body = { data: null, error: { status: 404, name: 'NotFoundError', message: `The file store has no ${object.filename}. Tell marketing.` } };
    return;
  }
  const inline = INLINE.test(object.mime);
  ctx.status = 200;
  ctx.set('content-type', inline ? object.mime : 'application/octet-stream');
  ctx.set('content-length', String(stat.size));
  ctx.set('last-modified', stat.mtime.toUTCString());
  ctx.set('cache-control', opts.cacheControl);
  ctx.set('x-content-type-options', 'nosniff');
  ctx.set('content-disposition', contentDisposition(object.filename, { type: inline ? 'inline' : 'attachment' }));
  // Nothing from the store may run as a page of this origin (a PDF viewer runs no page script).
  if (!object.mime.startsWith('application/pdf')) ctx.set('content-security-policy', "sandbox; default-src 'none'");
  ctx.body = fs.createReadStream(file);
}
