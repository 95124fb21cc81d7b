import type { Core } from '@strapi/strapi';

/**
 * A fresh Strapi database creates "Read Only" and "Full Access" API tokens nobody asked for. Candor
 * issues its own scoped tokens, so these go.
 */
export async function removeDefaultApiTokens(strapi: Core.Strapi) {
  const tokens = strapi.db.query('admin::api-token');
  const defaults = await tokens.findMany({ where: { name: { $in: ['Read Only', 'Full Access'] }, description: { $contains: 'default' } } });
  for (const token of defaults) await strapi.service('admin::api-token').revoke(token.id);
}
