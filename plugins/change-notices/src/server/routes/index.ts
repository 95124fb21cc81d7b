/**
 * Content API (REST, /api/change-notices/…): users-permissions roles decide who may call what
 * (reps read history; marketers change standing and restore). Admin API (/change-notices/…): the same
 * handlers for the admin panel, for any signed-in admin.
 */
// A fresh config object per route: Strapi writes each route's permission scope into it in place, so
// a shared object would give every route the first route's scope.
const subjectRoutes = (config: () => Record<string, unknown>) => [
  { method: 'GET', path: '/versions/:kind/:documentId', handler: 'versions.find', config: config() },
  { method: 'GET', path: '/versions/:kind/:documentId/:number', handler: 'versions.findOne', config: config() },
  { method: 'POST', path: '/versions/:kind/:documentId/:number/restore', handler: 'versions.restore', config: config() },
  { method: 'POST', path: '/standing/:kind/:documentId', handler: 'standing.change', config: config() },
];

export default {
  'content-api': {
    type: 'content-api',
    routes: [{ method: 'GET', path: '/health', handler: 'health.show', config: { auth: false } }, ...subjectRoutes(() => ({}))],
  },
  admin: {
    type: 'admin',
    routes: subjectRoutes(() => ({ policies: ['admin::isAuthenticatedAdmin'] })),
  },
};
