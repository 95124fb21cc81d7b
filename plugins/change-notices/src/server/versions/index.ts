/**
 * Versions and standing: every publish is a version with a readable "what changed"; standing changes
 * (scale back, retract, reconfirm) and what follows them (claim propagation, the outbox rows for
 * notices and search) happen in the change's transaction. The document-service middleware is the hook.
 */
export { createVersionsService, toView, TRUTH_FIELDS, type VersionsService, type RecordedVersion } from './versions';
export { createStandingService, type StandingService } from './standing';
export { createChangesService, type ChangesService } from './changes';
export { createDocumentEventsMiddleware, WATCHED_UIDS } from './document-events';
export { summarizeChanges, TRACKED_FIELDS, type Snapshot } from './snapshot';
export { versionsRoutes } from './routes';
import standing from './standing.controller';
import versions from './versions.controller';
export const versionsControllers = { standing, versions };
