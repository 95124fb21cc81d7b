import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../constants';
import { getService } from '../services';

/**
 * Wires search into the plugin's bootstrap: the `search.sync` outbox handler, the reconcile cron, and
 * once the server listens (never during a plain `load()`, as in `npm run reindex`), index, settings,
 * search key and a background reconcile.
 */
export function bootstrapSearch(strapi: Core.Strapi): void {
  const search = getService(strapi, 'search');
  getService(strapi, 'dispatcher').register('search.sync', (job) => search.handleSyncJob(job));
  strapi.cron.add({
    [`${PLUGIN_ID}-search-reconcile`]: { task: async () => search.reconcileInBackground('cron'), options: { rule: search.config().reconcileCron } },
  });
  strapi.server.httpServer.once('listening', () => search.start());
  strapi.server.httpServer.once('close', () => search.stop());
}
