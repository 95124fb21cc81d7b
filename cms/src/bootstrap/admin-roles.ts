import type { Core } from '@strapi/strapi';
import { ADMIN_ACTIONS } from '@candor/change-notices/server';

/** The content types marketers edit in the admin's Content Manager. */
const EDITED = ['api::collateral.collateral', 'api::claim.claim', 'api::product.product', 'api::region.region', 'api::persona.persona', 'api::feedback.feedback'];
const CONTENT_ACTIONS = ['create', 'read', 'update', 'delete', 'publish'].map((a) => `plugin::content-manager.explorer.${a}`);
const MEDIA_ACTIONS = ['read', 'assets.create', 'assets.update', 'assets.download', 'assets.copy-link'].map((a) => `plugin::upload.${a}`);

export const MARKETER_ADMIN_ROLE = { code: 'candor-marketer', name: 'Marketer', description: 'Publishes collateral and claims, changes their standing, reads notices and reports.' };

/**
 * An admin role for marketing that is not Super Admin: the Content Manager on the app's content
 * types, the media library, and every change-notices action. Added on every boot when missing;
 * permissions a person added by hand in the admin are kept.
 */
export async function ensureMarketerAdminRole(strapi: Core.Strapi): Promise<number> {
  const roles = strapi.service('admin::role');
  let role = await strapi.db.query('admin::role').findOne({ where: { code: MARKETER_ADMIN_ROLE.code } });
  if (!role) role = await roles.create(MARKETER_ADMIN_ROLE);
  const have = new Set(
    ((await strapi.db.query('admin::permission').findMany({ where: { role: role.id } })) as { action: string; subject: string | null }[]).map((p) => `${p.action}|${p.subject ?? ''}`)
  );
  const wanted = [
    ...EDITED.flatMap((subject) => CONTENT_ACTIONS.filter((a) => !(a.endsWith('.publish') && subject === 'api::feedback.feedback')).map((action) => ({ action, subject }))),
    ...MEDIA_ACTIONS.map((action) => ({ action, subject: null })),
    ...Object.values(ADMIN_ACTIONS).map((action) => ({ action, subject: null })),
  ].filter((p) => !have.has(`${p.action}|${p.subject ?? ''}`));
  if (wanted.length) await roles.addPermissions(role.id, wanted.map((p) => ({ ...p, properties: {}, conditions: [] })));
  return role.id;
}
