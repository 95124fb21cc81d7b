import { pluginHealthSchema } from '../shared/contracts';
import { respond, type Ctx } from './common/http';
import { PLUGIN_ID } from './constants';
import { WATCHED_UIDS } from './versions';

// Same relative depth from src/ and dist/, so this resolves in tests and in the build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

/** GET /api/change-notices/health: the plugin is loaded, and which content types it watches. */
export const healthRoutes = [{ method: 'GET', path: '/health', handler: 'health.show', config: { auth: false } }];

export const healthController = () => ({
  show(ctx: Ctx) {
    respond(ctx, pluginHealthSchema, { ok: true, plugin: PLUGIN_ID, version, watching: [...WATCHED_UIDS] });
  },
});
