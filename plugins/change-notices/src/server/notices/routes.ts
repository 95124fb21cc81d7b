import { adminRoute } from '../permissions';

export const noticesRoutes = {
  content: [
    { method: 'GET', path: '/inbox', handler: 'inbox.find', config: {} },
    { method: 'GET', path: '/inbox/count', handler: 'inbox.count', config: {} },
    { method: 'POST', path: '/inbox/:id/read', handler: 'inbox.read', config: {} },
    { method: 'POST', path: '/inbox/:id/acknowledge', handler: 'inbox.acknowledge', config: {} },
    { method: 'GET', path: '/subscription', handler: 'inbox.getSubscription', config: {} },
    { method: 'PUT', path: '/subscription', handler: 'inbox.putSubscription', config: {} },
    { method: 'POST', path: '/views', handler: 'inbox.recordView', config: {} },
    // The signed token is the credential: reps acknowledge from their mail client.
    { method: 'GET', path: '/acks/:token', handler: 'inbox.acknowledgeByLink', config: { auth: false } },
  ],
  admin: [
    { method: 'GET', path: '/notices', handler: 'notices.find', config: adminRoute('read')() },
    { method: 'GET', path: '/notices/:id', handler: 'notices.findOne', config: adminRoute('read')() },
    { method: 'GET', path: '/dead-letters', handler: 'notices.deadLetters', config: adminRoute('read')() },
    { method: 'POST', path: '/dead-letters/:id/retry', handler: 'notices.retry', config: adminRoute('retryDelivery')() },
    { method: 'GET', path: '/outbox/stats', handler: 'notices.outboxStats', config: adminRoute('read')() },
    { method: 'GET', path: '/weekly-update', handler: 'notices.weeklyUpdate', config: adminRoute('read')() },
  ],
};
