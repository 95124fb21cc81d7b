import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { findStoredObject } from '../files/access';
import { localStore } from '../files/private-local-provider';
import { sendStoredObject } from '../files/serve';
import { isUploadName, UPLOAD_PREFIX } from '../files/signing';

const refuse = (ctx: Context, status: number, name: string, message: string) => {
  ctx.status = status;
  ctx.set('cache-control', 'no-store');
  ctx.body = { data: null, error: { status, name, message } };
};

/**
 * `/uploads/<name>`: what used to be Strapi's public upload folder. Files are private now
 * (src/files): this path serves only the short-lived signed URLs the admin's media library gets.
 * Reps and API clients get their files through `/api/collaterals/files/<name>`, which checks the
 * item's standing first.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: Context, next: Next) => {
    if (!ctx.path.startsWith(UPLOAD_PREFIX)) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('allow', 'GET, HEAD');
      return refuse(ctx, 405, 'MethodNotAllowedError', 'Uploads are read-only here; marketers upload in the admin.');
    }
    let name: string;
    try {
      name = decodeURIComponent(ctx.path.slice(UPLOAD_PREFIX.length));
    } catch {
      return refuse(ctx, 400, 'ValidationError', 'The file name in the URL is not valid percent-encoding.');
    }
    const store = localStore();
    if (!isUploadName(name) || !store) return refuse(ctx, 404, 'NotFoundError', 'No such file.');
    const signature = store.signer.verify(name, ctx.query);
    if (signature === 'invalid') {
      return refuse(ctx, 401, 'UnauthorizedError', 'Files are private: reps open them from the portal, marketers from the admin’s media library.');
    }
    if (signature === 'expired') return refuse(ctx, 401, 'UnauthorizedError', 'This file link has expired. Reload the page it came from.');
    const object = await findStoredObject(strapi, name, { orObject: true });
    if (!object) return refuse(ctx, 404, 'NotFoundError', 'No such file.');
    await sendStoredObject(ctx, object, { cacheControl: 'private, max-age=300' });
  };
