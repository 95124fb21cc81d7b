/**
 * Who may have an upload's bytes, decided per request from the database (never a cache: a retraction
 * holds from the next request on).
 *
 * - The admin (media library, previews) gets the provider's own signed URLs: short-lived, for
 *   marketers, whatever the item's standing.
 * - Everyone else (reps through the portal, REST clients) gets `/api/collaterals/files/<name>`, the
 *   checked route: a file of a published, current item is served; a file whose items are all
 *   retracted answers 410; a file of no published item (a draft's, an orphan) is 404.
 */
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { isUploadName } from './signing';
import { contentKeyOf } from './stored-once';

const COLLATERAL = 'api::collateral.collateral';
const FILE = 'plugin::upload.file';

/** Where reps' and API clients' file URLs point: the route that checks before it serves. */
export const CHECKED_FILES_PATH = '/api/collaterals/files/';

export interface UploadFormat {
  hash: string;
  ext?: string;
  url: string;
  mime?: string;
  size?: number;
}

export interface UploadRow {
  id: number;
  name: string;
  hash: string;
  ext: string | null;
  mime: string | null;
  size: number | null;
  url: string;
  provider: string;
  formats: Record<string, UploadFormat> | null;
}

/** One stored object: the original upload or one of the sizes Strapi generated for an image. */
export interface StoredObject {
  row: UploadRow;
  /** `thumbnail`, `small`, … for a generated size; null for the original. */
  format: string | null;
  url: string;
  mime: string;
  /** What a person's download is called: the original's name (with the format's prefix for a size). */
  filename: string;
}

export interface Owner {
  documentId: string;
  slug: string;
  title: string;
  standing: string;
  standingReason: string | null;
}

export type FileAccess =
  | { kind: 'serve'; object: StoredObject; owners: Owner[] }
  | { kind: 'gone'; object: StoredObject; retracted: Owner }
  | { kind: 'missing' };

/** The stored object behind a URL's last segment (`<hash><ext>`), original or generated size. */
export async function findStoredObject(strapi: Core.Strapi, name: string, opts: { orObject?: boolean } = {}): Promise<StoredObject | null> {
  if (!isUploadName(name)) return null;
  const ext = path.extname(name);
  const hash = ext ? name.slice(0, -ext.length) : name;
  const format = /^(thumbnail|small|medium|large)_(.+)$/.exec(hash);
  const candidates = (await strapi.db.query(FILE).findMany({
    where: { hash: { $in: format ? [hash, format[2]] : [hash] } },
    select: ['id', 'name', 'hash', 'ext', 'mime', 'size', 'url', 'provider', 'formats'],
    limit: 5,
  })) as UploadRow[];
  for (const row of candidates) {
    if (row.hash === hash && (row.ext ?? '') === ext) return { row, format: null, url: row.url, mime: row.mime ?? 'application/octet-stream', filename: row.name };
  }
  if (format) {
    for (const row of candidates) {
      const variant = row.formats?.[format[1]!];
      if (row.hash === format[2] && variant && variant.hash === hash && (variant.ext ?? ext) === ext) {
        return { row, format: format[1]!, url: variant.url, mime: variant.mime ?? row.mime ?? 'application/octet-stream', filename: `${format[1]}_${row.name}` };
      }
    }
  }
  // `orObject` (the admin's signed URLs): a document stored once under its content (./stored-once.ts)
  // is named by its object, which any of the rows sharing it describes. The checked route never
  // resolves such names: there, each row's own items decide.
  if (opts.orObject && contentKeyOf(`/${name}`)) {
    const row = (await strapi.db.query(FILE).findOne({ where: { url: { $endsWith: `/${name}` } }, select: ['id', 'name', 'hash', 'ext', 'mime', 'size', 'url', 'provider', 'formats'] })) as UploadRow | null;
    if (row) return { row, format: null, url: row.url, mime: row.mime ?? 'application/octet-stream', filename: row.name };
  }
  return null;
}

/** Published collateral using the upload as a file or as its cover. */
export async function ownersOf(strapi: Core.Strapi, uploadId: number): Promise<Owner[]> {
  return (await strapi.db.query(COLLATERAL).findMany({
    where: { publishedAt: { $notNull: true }, $or: [{ files: { id: uploadId } }, { cover: { id: uploadId } }] },
    select: ['documentId', 'slug', 'title', 'standing', 'standingReason'],
    limit: 50,
  })) as Owner[];
}

/** What a rep (or any non-admin caller) gets for `/api/collaterals/files/<name>`. */
export async function fileAccess(strapi: Core.Strapi, name: string): Promise<FileAccess> {
  const object = await findStoredObject(strapi, name);
  if (!object) return { kind: 'missing' };
  const owners = await ownersOf(strapi, object.row.id);
  const current = owners.filter((o) => o.standing !== 'retracted');
  if (current.length > 0) return { kind: 'serve', object, owners: current };
  const retracted = owners.find((o) => o.standing === 'retracted');
  return retracted ? { kind: 'gone', object, retracted } : { kind: 'missing' };
}
