import type { PluginDefinition } from '@strapi/strapi/admin';
import type { ContentManagerPlugin } from '@strapi/content-manager/strapi-admin';
import { HistoryPanel } from './components/HistoryPanel';
import { STANDING_ACTIONS } from './components/StandingActions';
import { PLUGIN_ID } from './pluginId';

type ContentManagerApis = ContentManagerPlugin['config']['apis'];

/**
 * The admin side of change-notices: a History panel and the Reconfirm / Scale back / Retract actions
 * on the edit view of collateral and claims. Both decide per content type themselves, because the
 * content manager offers one list of panels and actions for every type.
 */
const admin: PluginDefinition = {
  register(app) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Change notices' });
  },

  bootstrap(app) {
    const contentManager = app.getPlugin('content-manager').apis as unknown as ContentManagerApis;
    contentManager.addEditViewSidePanel([HistoryPanel]);
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
