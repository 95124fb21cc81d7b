import { adminRoute } from '../permissions';

type Config = () => Record<string, unknown>;

// Reps read history over the content API; marketers restore and change standing there or in the admin.
const subjectRoutes = (read: Config, restore: Config, standing: Config) => [
  { method: 'GET', path: '/versions/:kind/:documentId', handler: 'versions.find', config: read() },
  { method: 'GET', path: '/versions/:kind/:documentId/:number', handler: 'versions.findOne', config: read() },
  { method: 'POST', path: '/versions/:kind/:documentId/:number/restore', handler: 'versions.restore', config: restore() },
  { method: 'POST', path: '/standing/:kind/:documentId', handler: 'standing.change', config: standing() },
];

const contentApi = () => ({});

export const versionsRoutes = {
  content: [...subjectRoutes(contentApi, contentApi, contentApi), { method: 'GET', path: '/recent', handler: 'versions.recent', config: {} }],
  admin: [
    ...subjectRoutes(adminRoute('read'), adminRoute('restoreVersion'), adminRoute('changeStanding')),
    // Which versions buyers' links may serve while the item is scaled back.
    { method: 'PUT', path: '/versions/:kind/:documentId/:number/customer-safe', handler: 'versions.setCustomerSafe', config: adminRoute('changeStanding')() },
  ],
};
