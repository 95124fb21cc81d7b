/**
 * Unlinked mentions of a claim: collateral whose fields or files say what a claim says without being
 * linked to it, found through the search index, and linking one in a click.
 */
export { createMentionsService, type MentionsService } from './service';
export { mentionsRoutes } from './routes';
import mentions from './mentions.controller';
export const mentionsControllers = { mentions };
