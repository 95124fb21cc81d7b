/**
 * Private files, wired into Strapi's upload plugin (called from the app's register):
 * - file URLs handed to anyone but a signed-in admin point at the checked route (./access.ts), so a
 *   rep's REST answer never carries a URL that skips the standing check;
 * - files an older Candor wrote into `public/uploads` (served to anyone) move into the private store.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { CHECKED_FILES_PATH, type StoredObject } from './access';
import { localStore } from './private-local-provider';
import { contentKeyOf } from './stored-once';

interface SignableProvider {
  getSignedUrl(file: { id?: number; url: string; hash?: string; ext?: string | null }): Promise<{ url: string }> | { url: string };
}

let providerSign: SignableProvider['getSignedUrl'] | null = null;

/** The provider's own short-lived URL for a stored object (local: `/uploads/…?signature`, S3: presigned). */
export async function providerSignedUrl(object: StoredObject): Promise<string> {
  if (!providerSign) throw new Error('private files: installPrivateFiles() has not run');
  // A generated size is its own object: its hash and extension, not the original's, name its key.
  const variant = object.format ? object.row.formats?.[object.format] : undefined;
  return (await providerSign({ ...object.row, ...(variant ? { hash: variant.hash, ext: variant.ext } : {}), url: object.url })).url;
}

function isAdminRequest(strapi: Core.Strapi): boolean {
  const ctx = strapi.requestContext.get() as { state?: { auth?: { strategy?: { name?: string } } } } | undefined;
  // Outside a request (the worker, the seed) nothing is sent to anyone: the provider's URL is kept.
  if (!ctx) return true;
  return ctx.state?.auth?.strategy?.name === 'admin';
}

/**
 * The upload's own name (`<hash><ext>`), which the checked route resolves to its row. Its URL may name
 * an object it shares with identical uploads (./stored-once.ts); a response that did not select the
 * hash (a REST populate of `url` only) costs one lookup by id.
 */
async function uploadNameOf(strapi: Core.Strapi, file: { id?: number; url: string; hash?: string; ext?: string | null }): Promise<string> {
  if (file.hash) return `${file.hash}${file.ext ?? ''}`;
  const stored = path.posix.basename(new URL(file.url, 'http://candor.invalid').pathname);
  if (!contentKeyOf(file.url) || file.id == null) return stored;
  const row = (await strapi.db.query('plugin::upload.file').findOne({ where: { id: file.id }, select: ['hash', 'ext'] })) as { hash: string; ext: string | null } | null;
  return row ? `${row.hash}${row.ext ?? ''}` : stored;
}

export function installPrivateFiles(strapi: Core.Strapi): void {
  // Strapi signs only files whose row says the configured provider, so a REST populate of `url` alone
  // would hand out the raw storage URL (unusable without a signature, but naming the stored object,
  // not the upload). Every upload here is the configured provider's (adoptLegacyUploads), so such a
  // file is signed too and gets the checked route like any other.
  const files = strapi.plugin('upload').service('file') as { signFileUrls(file: { provider?: string }): Promise<unknown> };
  const signFileUrls = files.signFileUrls.bind(files);
  files.signFileUrls = async (file) => {
    // Without a url (a populate of `name` only) there is nothing to sign.
    if (!file || file.provider || !(file as { url?: string }).url) return signFileUrls(file);
    const signed = (await signFileUrls({ ...file, provider: strapi.config.get<string>('plugin::upload.provider') })) as { provider?: string };
    delete signed.provider; // not asked for: not answered
    return signed;
  };

  const provider = strapi.plugin('upload').provider as unknown as SignableProvider;
  const original = provider.getSignedUrl.bind(provider);
  providerSign = original;
  provider.getSignedUrl = async (file) => {
    if (isAdminRequest(strapi)) return original(file);
    return { url: `${CHECKED_FILES_PATH}${encodeURIComponent(await uploadNameOf(strapi, file))}` };
  };
}

/**
 * Adopts what an earlier version stored with Strapi's public local provider: its files move from
 * the public folder into the private store, and their rows name the private provider (Strapi signs
 * only URLs of the configured provider).
 */
export async function adoptLegacyUploads(strapi: Core.Strapi): Promise<void> {
  const store = localStore();
  if (!store) return;
  const provider = strapi.config.get<string>('plugin::upload.provider');
  const { count } = await strapi.db.query('plugin::upload.file').updateMany({ where: { provider: 'local' }, data: { provider } });
  if (count) strapi.log.info(`private files: ${count} upload(s) of the public local provider now belong to the private store`);
  const legacy = path.join(strapi.dirs.static.public, 'uploads');
  if (!fs.existsSync(legacy)) return;
  let moved = 0;
  for (const entry of fs.readdirSync(legacy, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const from = path.join(legacy, entry.name);
    const to = path.join(store.rootDir, entry.name);
    if (!fs.existsSync(to)) fs.copyFileSync(from, to);
    fs.rmSync(from);
    moved++;
  }
  if (moved) strapi.log.info(`private files: moved ${moved} upload(s) from ${legacy}, where anyone could fetch them, into ${store.rootDir}`);
}
