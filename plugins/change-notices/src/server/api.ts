/**
 * What the app (cms/) may call on the plugin, typed: `changeNotices(strapi).notices.…`. The app never
 * builds the plugin's internal data (notice drafts, outbox rows) itself.
 */
import type { Core } from '@strapi/strapi';
import { getService } from './services';

export function changeNotices(strapi: Core.Strapi) {
  return {
    /** Versions of a collateral or claim (the latest number, for feedback). */
    versions: getService(strapi, 'versions'),
    /** Notices for reps and mail for owners (feedback triage). */
    notices: getService(strapi, 'notices'),
    /** Scale back, retract, reconfirm (the demo seed tells its story through it). */
    standing: getService(strapi, 'standing'),
    /** Text of uploaded files: the app registers how its stored files are read (`files.useReader`). */
    files: getService(strapi, 'files'),
    /** What `npm run import` brought in (source files, uploads, items), so it never imports twice. */
    imports: getService(strapi, 'imports'),
  };
}

export { configFromEnv } from './config';
export { ADMIN_ACTIONS } from './permissions';
export type { FeedbackForOwner } from './delivery';
export type { ResolvedFeedback } from './notices';
export type { ImportedFile, ImportedItem } from './imports';
