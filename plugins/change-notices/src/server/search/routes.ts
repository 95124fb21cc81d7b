/**
 * Search routes, spread into routes/index.ts. Content API: reps (users-permissions sales_rep role,
 * granted in cms/src/bootstrap/roles.ts). Admin API: signed-in admins (marketers).
 */
export const searchContentRoutes = () => [
  { method: 'GET', path: '/search/token', handler: 'search.token', config: {} },
  { method: 'GET', path: '/search/truth', handler: 'search.truth', config: {} },
  { method: 'POST', path: '/search/log', handler: 'search.log', config: {} },
];

export const searchAdminRoutes = () => {
  const admin = () => ({ policies: ['admin::isAuthenticatedAdmin'] });
  return [
    { method: 'GET', path: '/search/content-requests', handler: 'search.contentRequests', config: admin() },
    { method: 'GET', path: '/search/status', handler: 'search.status', config: admin() },
    { method: 'POST', path: '/search/reconcile', handler: 'search.reconcile', config: admin() },
  ];
};
