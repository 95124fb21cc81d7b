/**
 * The plugin's admin actions, registered with Strapi's permission system at bootstrap and checked on
 * every admin route (`admin::hasPermissions`). Super admins have them all; the app seeds a Marketer
 * role with them (cms/src/bootstrap/admin-roles.ts).
 */
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from './constants';

const ACTIONS = {
  read: { uid: 'notices.read', displayName: 'Read notices, history and reports' },
  changeStanding: { uid: 'standing.change', displayName: 'Change standing' },
  restoreVersion: { uid: 'versions.restore', displayName: 'Restore a version' },
  retryDelivery: { uid: 'deliveries.retry', displayName: 'Retry a delivery' },
  reindex: { uid: 'search.reindex', displayName: 'Reconcile the search index' },
} as const;

export type AdminAction = keyof typeof ACTIONS;

/** The action ids as roles store them, e.g. `plugin::change-notices.standing.change`. */
export const ADMIN_ACTIONS = Object.fromEntries(Object.entries(ACTIONS).map(([k, a]) => [k, `plugin::${PLUGIN_ID}.${a.uid}`])) as Record<AdminAction, string>;

interface ActionProvider {
  registerMany(actions: { section: 'plugins'; displayName: string; uid: string; pluginName: string }[]): Promise<void>;
}

export async function registerAdminActions(strapi: Core.Strapi) {
  const provider = (strapi.service('admin::permission') as { actionProvider: ActionProvider }).actionProvider;
  await provider.registerMany(Object.values(ACTIONS).map((a) => ({ section: 'plugins', displayName: a.displayName, uid: a.uid, pluginName: PLUGIN_ID })));
}

/**
 * A fresh route config for an admin route that needs `action`. Fresh per route: Strapi writes each
 * route's permission scope into its config object in place.
 */
export const adminRoute = (action: AdminAction) => () => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [ADMIN_ACTIONS[action]] } }],
});
