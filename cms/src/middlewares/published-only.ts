import type { Core, UID } from '@strapi/strapi';

/**
 * Query parameters that choose drafts (`status`), or tell published items with pending drafts apart
 * (`publicationFilter`, the older `hasPublishedVersion`).
 */
const PUBLICATION_PARAMS = new Set(['status', 'publicationFilter', 'hasPublishedVersion']);

interface Config {
  uid: UID.ContentType;
}

/** True when the request's credentials (a users-permissions role or an API token) may edit `uid`. */
async function mayEdit(strapi: Core.Strapi, auth: unknown, uid: UID.ContentType): Promise<boolean> {
  try {
    await strapi.auth.verify(auth as never, { scope: [`${uid}.update`] });
    return true;
  } catch {
    return false;
  }
}

/**
 * Route middleware for content-API reads: whoever may not edit a content type reads its published
 * versions only. Strapi 5 answers `?status=draft` to anyone with `find`, and populated relations and
 * relation filters follow the status of the query, so one forced `status=published` closes all of
 * them: drafts are marketing's unreleased work. Marketers, who write the drafts, keep reading them.
 */
export default (config: Config, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  if (!config?.uid) throw new Error('global::published-only needs { uid } in its route config');
  return async (ctx, next) => {
    if (!(await mayEdit(strapi, ctx.state.auth, config.uid))) {
      const query = Object.fromEntries(Object.entries((ctx.query ?? {}) as Record<string, unknown>).filter(([key]) => !PUBLICATION_PARAMS.has(key)));
      ctx.query = { ...query, status: 'published' };
    }
    return next();
  };
};

/** Core-router config that makes a content type's `find` and `findOne` published-only for readers. */
export function publishedOnlyReads(uid: UID.ContentType) {
  const middlewares = [{ name: 'global::published-only', config: { uid } }];
  return { find: { middlewares }, findOne: { middlewares } };
}
