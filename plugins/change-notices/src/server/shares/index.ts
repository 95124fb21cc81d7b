/**
 * Share links to buyers: a rep sends a link instead of an attachment; what it serves follows the item's
 * standing on every request; views are logged; a retraction tells each rep which buyers hold a link.
 */
export { createSharesService, type SharesService } from './service';
export { sharesRoutes } from './routes';
import { buyerController, sharesAdminController, sharesController } from './shares.controller';
export const sharesControllers = { shares: sharesController, sharesAdmin: sharesAdminController, buyer: buyerController };
