/**
 * Search: keeps the Meilisearch index equal to the current published collateral (sync, reconcile,
 * rebuild), issues tenant tokens, answers the truth overlay and records searches. Registers its own
 * `search.sync` handler (bootstrap.ts).
 */
export { createSearchService, type SearchService } from './service';
export { bootstrapSearch } from './bootstrap';
export { searchRoutes } from './routes';
import search from './search.controller';
export const searchControllers = { search };
