/**
 * Content API (REST, /api/change-notices/…): users-permissions roles decide who may call what (reps
 * read history and their inbox; marketers change standing and restore). Admin API (/change-notices/…):
 * the same subject handlers plus the notices dashboard, for signed-in admins.
 */
import { searchAdminRoutes, searchContentRoutes } from '../search/routes';

// A fresh config object per route: Strapi writes each route's permission scope into it in place, so
// a shared object would give every route the first route's scope.
const subjectRoutes = (config: () => Record<string, unknown>) => [
  { method: 'GET', path: '/versions/:kind/:documentId', handler: 'versions.find', config: config() },
  { method: 'GET', path: '/versions/:kind/:documentId/:number', handler: 'versions.findOne', config: config() },
  { method: 'POST', path: '/versions/:kind/:documentId/:number/restore', handler: 'versions.restore', config: config() },
  { method: 'POST', path: '/standing/:kind/:documentId', handler: 'standing.change', config: config() },
];
const admin = () => ({ policies: ['admin::isAuthenticatedAdmin'] });

export default {
  'content-api': {
    type: 'content-api',
    routes: [
      { method: 'GET', path: '/health', handler: 'health.show', config: { auth: false } },
      ...subjectRoutes(() => ({})),
      { method: 'GET', path: '/recent', handler: 'versions.recent', config: {} },
      { method: 'GET', path: '/inbox', handler: 'inbox.find', config: {} },
      { method: 'GET', path: '/inbox/count', handler: 'inbox.count', config: {} },
      { method: 'POST', path: '/inbox/:id/read', handler: 'inbox.read', config: {} },
      { method: 'POST', path: '/inbox/:id/acknowledge', handler: 'inbox.acknowledge', config: {} },
      { method: 'GET', path: '/subscription', handler: 'inbox.getSubscription', config: {} },
      { method: 'PUT', path: '/subscription', handler: 'inbox.putSubscription', config: {} },
      { method: 'POST', path: '/views', handler: 'inbox.recordView', config: {} },
      ...searchContentRoutes(),
      // The signed token is the credential: reps acknowledge from their mail client.
      { method: 'GET', path: '/acks/:token', handler: 'inbox.acknowledgeByLink', config: { auth: false } },
    ],
  },
  admin: {
    type: 'admin',
    routes: [
      ...subjectRoutes(admin),
      { method: 'GET', path: '/notices', handler: 'notices.find', config: admin() },
      { method: 'GET', path: '/notices/:id', handler: 'notices.findOne', config: admin() },
      { method: 'GET', path: '/dead-letters', handler: 'notices.deadLetters', config: admin() },
      { method: 'POST', path: '/dead-letters/:id/retry', handler: 'notices.retry', config: admin() },
      { method: 'GET', path: '/outbox/stats', handler: 'notices.outboxStats', config: admin() },
      { method: 'GET', path: '/weekly-update', handler: 'notices.weeklyUpdate', config: admin() },
      ...searchAdminRoutes(),
    ],
  },
};
