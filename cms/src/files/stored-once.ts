/**
 * Identical documents are stored once. A team's library has the same PDF in four folders and the
 * same deck attached to five items; each upload stays its own Strapi row (its own name, items,
 * standing checks, text and previews), but the bytes of a document are kept under their SHA-256,
 * `<sha256><ext>`, so a second upload of the same bytes points at the object already stored.
 *
 * Wraps the configured upload provider (local or S3), innermost, before the private-files wrapper:
 * - upload: hash the bytes (Strapi keeps the upload in a temp file, so they are read twice, locally);
 *   when another row already uses that object, store nothing and take its URL; else store the object
 *   under the hash (never under the row's name, so replacing a file cannot overwrite shared bytes);
 * - delete: only when no other row uses the object;
 * - replace: store the new bytes first, then delete the old object if nothing else uses it;
 * - after a row is deleted: its object, once no row uses it (copies deleted together);
 * - signed URLs: for the object's key, which both providers derive from `hash` + `ext`.
 * Images are left alone: Strapi makes their sizes (thumbnail, small, …) as separate objects named
 * after the row, and covers are small.
 *
 * The one window it leaves: deleting the last row of an object while an identical file is uploading
 * can remove the bytes the new row then points at (the upload found the object a moment earlier).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';

const FILE = 'plugin::upload.file';

interface ProviderFile {
  id?: number;
  hash: string;
  ext?: string;
  mime?: string;
  url?: string;
  buffer?: Buffer;
  stream?: Readable;
  getStream?: () => Readable;
  provider_metadata?: Record<string, unknown> | null;
}

type Method = (file: ProviderFile, ...rest: unknown[]) => Promise<unknown>;
type Replace = (newFile: ProviderFile, oldFile: ProviderFile, ...rest: unknown[]) => Promise<unknown>;
interface Provider {
  upload: Method;
  uploadStream?: Method;
  delete: Method;
  getSignedUrl?: Method;
  replace?: Replace;
  replaceStream?: Replace;
}

/** An object stored by content: `<64 hex digits><ext>`. */
const CONTENT_KEY = /^([0-9a-f]{64})(\.[A-Za-z0-9]{0,16})?$/;

/** The stored object's key, when the file's URL names one stored by content. */
export function contentKeyOf(url: string | undefined): { hash: string; ext: string } | null {
  if (!url) return null;
  let last: string;
  try {
    last = path.posix.basename(new URL(url, 'http://candor.invalid').pathname);
  } catch {
    return null;
  }
  const m = CONTENT_KEY.exec(last);
  return m ? { hash: m[1]!, ext: m[2] ?? '' } : null;
}

const isImage = (file: ProviderFile) => (file.mime ?? '').toLowerCase().startsWith('image/');
/** The extension as both providers would keep it in a key. */
const cleanExt = (ext: string | undefined) => (ext ?? '').replace(/[^A-Za-z0-9.]/g, '').slice(0, 17);

async function sha256(file: ProviderFile): Promise<string> {
  const hash = createHash('sha256');
  if (file.buffer) return hash.update(file.buffer).digest('hex');
  if (!file.getStream) throw new Error('stored once: the upload has neither bytes nor a stream');
  for await (const chunk of file.getStream()) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function storeDocumentsOnce(strapi: Core.Strapi): void {
  const provider = strapi.plugin('upload').provider as unknown as Provider;
  const bound = (k: 'upload' | 'uploadStream' | 'delete' | 'getSignedUrl') => (provider[k] ? (provider[k] as Method).bind(provider) : undefined);
  const upload = bound('upload')!;
  const uploadStream = bound('uploadStream');
  const remove = bound('delete')!;
  const sign = bound('getSignedUrl');

  /** Another upload row whose URL names this object (`exceptId`: the row being deleted). */
  const rowUsing = async (key: string, exceptId?: number): Promise<{ id: number; url: string } | null> =>
    (await strapi.db.query(FILE).findOne({
      where: { url: { $endsWith: `/${key}` }, ...(exceptId != null ? { id: { $ne: exceptId } } : {}) },
      select: ['id', 'url'],
    })) as { id: number; url: string } | null;

  /** The file as the provider must see it to reach its object: the content key instead of the row's name. */
  const asObject = (file: ProviderFile): ProviderFile => {
    const key = contentKeyOf(file.url);
    return key ? { ...file, hash: key.hash, ext: key.ext } : file;
  };

  const store = (via: Method) => async (file: ProviderFile, ...rest: unknown[]) => {
    if (isImage(file)) return via(file, ...rest);
    const hash = await sha256(file);
    const ext = cleanExt(file.ext);
    const existing = await rowUsing(`${hash}${ext}`);
    if (existing) {
      // Already stored: the stream Strapi opened for us is not needed.
      file.stream?.destroy();
      file.url = existing.url.split('?')[0]!;
      return;
    }
    const object: ProviderFile = { ...file, hash, ext };
    await via(object, ...rest);
    file.url = object.url;
    if (object.provider_metadata) file.provider_metadata = object.provider_metadata;
  };

  /** Deletes the file's object unless another upload row (`exceptId` aside) still uses it. */
  const removeUnlessUsed = async (file: ProviderFile, exceptId: number | undefined, ...rest: unknown[]) => {
    const key = contentKeyOf(file.url);
    if (key && (await rowUsing(`${key.hash}${key.ext}`, exceptId))) return;
    return remove(asObject(file), ...rest);
  };
  /**
   * Replace: the new bytes are stored first (an identical upload writes nothing), then the old object is
   * deleted only when it is another object no other row uses. Strapi's fallback, delete then upload,
   * would delete bytes the replacement then points at again, and an image's failed upload would lose it.
   */
  const replaceWith = (via: Method) => async (newFile: ProviderFile, oldFile: ProviderFile, ...rest: unknown[]) => {
    await store(via)(newFile, ...rest);
    const last = (url: string | undefined) => (url ? path.posix.basename(url.split('?')[0]!) : '');
    if (!oldFile?.url || last(oldFile.url) === last(newFile.url)) return;
    await removeUnlessUsed(oldFile, oldFile.id);
  };

  provider.upload = store(upload);
  if (uploadStream) provider.uploadStream = store(uploadStream);
  provider.delete = (file: ProviderFile, ...rest: unknown[]) => removeUnlessUsed(file, file.id, ...rest);
  if (sign) provider.getSignedUrl = (file: ProviderFile, ...rest: unknown[]) => sign(asObject(file), ...rest);
  provider.replace = replaceWith(upload);
  provider.replaceStream = uploadStream ? replaceWith(uploadStream) : undefined;
}

/**
 * Two copies deleted together (the media library's bulk delete) each see the other's row still there
 * and keep their object: once a row is gone, its object goes too if no row uses it any more. Run at
 * bootstrap, when the database exists; the provider's delete is the wrapped one above.
 */
export function forgetUnusedObjects(strapi: Core.Strapi): void {
  const provider = strapi.plugin('upload').provider as unknown as Provider;
  strapi.db.lifecycles.subscribe({
    models: [FILE],
    async afterDelete(event: { result?: ProviderFile | null }) {
      const row = event.result;
      if (!row?.url || !contentKeyOf(row.url)) return;
      await provider.delete(row).catch((err: unknown) => strapi.log.warn(`stored once: the object of ${row.url} stays (${(err as Error).message})`));
    },
  } as never);
}
