import { adminRoute } from '../permissions';

/**
 * Search routes. Content API: reps (users-permissions sales_rep role, granted in
 * cms/src/bootstrap/roles.ts). Admin API: marketers with the plugin's permissions.
 */
export const searchRoutes = {
  content: [
    { method: 'GET', path: '/search/token', handler: 'search.token', config: {} },
    { method: 'GET', path: '/search/truth', handler: 'search.truth', config: {} },
    { method: 'POST', path: '/search/log', handler: 'search.log', config: {} },
  ],
  admin: [
    { method: 'GET', path: '/search/content-requests', handler: 'search.contentRequests', config: adminRoute('read')() },
    { method: 'GET', path: '/search/status', handler: 'search.status', config: adminRoute('read')() },
    { method: 'POST', path: '/search/reconcile', handler: 'search.reconcile', config: adminRoute('reindex')() },
  ],
};
