/**
 * Strapi upload provider for the embedded default: files live in `UPLOADS_DIR`, outside every folder
 * Strapi serves statically, so an upload's URL alone gets nobody its bytes (Strapi's own local
 * provider writes into `public/uploads`, which it serves to anyone). The provider is private: Strapi
 * signs each URL it hands out through `getSignedUrl` (see ./access.ts for who gets which URL).
 *
 * Loaded by Strapi by module name (config/plugins.ts), so it exports `init` at the top level.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { isUploadName, UPLOAD_PREFIX, urlSigner, type UrlSigner } from './signing';

export interface PrivateLocalOptions {
  rootDir: string;
  appKeys: string[];
  /** How long a signed URL works, in seconds. */
  signedUrlTtl: number;
}

interface ProviderFile {
  hash: string;
  ext?: string;
  url?: string;
  buffer?: Buffer;
  stream?: Readable;
}

/** `<hash><ext>`: the file's name on disk and the last segment of its URL. */
export function storedName(file: Pick<ProviderFile, 'hash' | 'ext'>): string {
  const name = `${file.hash}${file.ext ?? ''}`;
  if (!isUploadName(name)) throw new Error(`private uploads: refusing to store a file named ${JSON.stringify(name)}`);
  return name;
}

export interface LocalStore {
  rootDir: string;
  signer: UrlSigner;
}

let active: LocalStore | null = null;

/** The store of this process's provider, or null when uploads go elsewhere (S3). */
export function localStore(): LocalStore | null {
  return active;
}

export function init(options: PrivateLocalOptions) {
  const rootDir = path.resolve(options.rootDir);
  fs.mkdirSync(rootDir, { recursive: true });
  const signer = urlSigner(options.appKeys, options.signedUrlTtl);
  // Strapi wraps every property of the instance as an async method, so the store's data is kept here.
  active = { rootDir, signer };
  const pathOf = (file: Pick<ProviderFile, 'hash' | 'ext'>) => path.join(rootDir, storedName(file));
  const stored = (file: ProviderFile) => {
    file.url = `${UPLOAD_PREFIX}${storedName(file)}`;
  };

  return {
    async uploadStream(file: ProviderFile) {
      if (!file.stream) throw new Error('Missing file stream');
      await pipeline(file.stream, fs.createWriteStream(pathOf(file)));
      stored(file);
    },
    async upload(file: ProviderFile) {
      if (!file.buffer) throw new Error('Missing file buffer');
      await fs.promises.writeFile(pathOf(file), file.buffer);
      stored(file);
    },
    async delete(file: ProviderFile) {
      await fs.promises.rm(pathOf(file), { force: true });
    },
    isPrivate() {
      return true;
    },
    getSignedUrl(file: ProviderFile) {
      return { url: signer.sign(storedName(file)) };
    },
  };
}

