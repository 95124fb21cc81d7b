import type { PluginHealth } from '../../shared/contracts';
import { WATCHED_UIDS } from '../middlewares/document-events';

// Same relative depth from src/ and dist/, so this resolves in tests and in the build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../../package.json') as { version: string };

export default () => ({
  show(ctx: { body: PluginHealth }) {
    ctx.body = { ok: true, plugin: 'change-notices', version, watching: [...WATCHED_UIDS] };
  },
});
