import { adminRoute } from '../permissions';

/** Files routes: admin API only (marketers with the plugin's read permission). */
export const filesRoutes = {
  admin: [
    { method: 'GET', path: '/files/collateral/:documentId', handler: 'files.status', config: adminRoute('read')() },
    { method: 'GET', path: '/files/duplicates', handler: 'files.duplicates', config: adminRoute('read')() },
    // Merging retracts items: the standing permission.
    { method: 'POST', path: '/files/duplicates/merge', handler: 'files.merge', config: adminRoute('changeStanding')() },
  ],
};
