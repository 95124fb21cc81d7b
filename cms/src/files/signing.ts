/**
 * Signed upload URLs for the private local store: `/uploads/<name>?expires=<unix s>&signature=<hmac>`.
 * Strapi hands these to the admin (media library, previews) because the provider is private; the
 * `private-uploads` middleware serves a file only for a valid, unexpired signature. The key is derived
 * from the app keys, so there is no extra secret to configure or leak.
 */
import crypto from 'node:crypto';

export const UPLOAD_PREFIX = '/uploads/';

/** What a stored upload is called on disk and in its URL: `<hash><ext>`, no folders, no dots first. */
export const UPLOAD_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;

export function isUploadName(name: string): boolean {
  return UPLOAD_NAME.test(name) && !name.includes('..');
}

export interface UrlSigner {
  sign(name: string, now?: number): string;
  verify(name: string, query: { expires?: unknown; signature?: unknown }, now?: number): 'valid' | 'expired' | 'invalid';
}

export function urlSigner(appKeys: readonly string[], ttlSeconds: number): UrlSigner {
  if (appKeys.length === 0 || !appKeys[0]) throw new Error('private uploads: APP_KEYS is empty, so upload URLs cannot be signed');
  const key = crypto.createHash('sha256').update(`candor-private-uploads\0${appKeys[0]}`).digest();
  const mac = (name: string, expires: number) => crypto.createHmac('sha256', key).update(`${name}\n${expires}`).digest('base64url');
  return {
    sign(name, now = Date.now()) {
      const expires = Math.floor(now / 1000) + ttlSeconds;
      return `${UPLOAD_PREFIX}${encodeURIComponent(name)}?expires=${expires}&signature=${mac(name, expires)}`;
    },
    verify(name, query, now = Date.now()) {
      const expires = typeof query.expires === 'string' && /^\d{1,12}$/.test(query.expires) ? Number(query.expires) : NaN;
      if (!Number.isFinite(expires) || typeof query.signature !== 'string') return 'invalid';
      const given = Buffer.from(query.signature);
      const wanted = Buffer.from(mac(name, expires));
      if (given.length !== wanted.length || !crypto.timingSafeEqual(given, wanted)) return 'invalid';
      return expires * 1000 < now ? 'expired' : 'valid';
    },
  };
}
