import type { PluginDefinition } from '@strapi/strapi/admin';
import type { ContentManagerPlugin } from '@strapi/content-manager/strapi-admin';
import { Bell } from '@strapi/icons';
import { HistoryPanel } from './components/HistoryPanel';
import { SharesPanel } from './components/SharesPanel';
import { STANDING_ACTIONS } from './components/StandingActions';
import { PLUGIN_ID } from './pluginId';

type ContentManagerApis = ContentManagerPlugin['config']['apis'];

/**
 * The admin side of change-notices: a History panel, a "Shared with buyers" panel (collateral only)
 * and the Reconfirm / Scale back / Retract actions on the edit view of collateral and claims (each
 * decides per content type itself, because the content manager offers one list of panels and actions
 * for every type), and the Change notices page.
 */
const admin: PluginDefinition = {
  register(app) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Change notices' });
    // Every signed-in admin may open it, as every admin route of this plugin is guarded by
    // admin::isAuthenticatedAdmin alone. The page is loaded on demand, not with the edit view.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Bell,
      intlLabel: { id: `${PLUGIN_ID}.menu.notices`, defaultMessage: 'Change notices' },
      permissions: [],
      Component: () => import('./pages/App'),
    });
  },

  bootstrap(app) {
    const contentManager = app.getPlugin('content-manager').apis as unknown as ContentManagerApis;
    contentManager.addEditViewSidePanel([HistoryPanel, SharesPanel]);
    // Standing actions go before Unpublish and Discard: they are what a marketer looks for most in
    // the "More document actions" menu, and the destructive Strapi ones stay last.
    contentManager.addDocumentAction((actions) => {
      const at = actions.findIndex((action) => action.type === 'unpublish');
      const next = [...actions];
      next.splice(at === -1 ? next.length : at, 0, ...STANDING_ACTIONS);
      return next;
    });
  },
};

export default admin;
