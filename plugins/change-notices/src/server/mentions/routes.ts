import { adminRoute } from '../permissions';

/** Mentions routes: admin API. Finding needs the read permission; linking changes collateral, as a standing change does. */
export const mentionsRoutes = {
  admin: [
    { method: 'GET', path: '/claims/:documentId/mentions', handler: 'mentions.find', config: adminRoute('read')() },
    { method: 'POST', path: '/claims/:documentId/mentions/:collateral/link', handler: 'mentions.link', config: adminRoute('changeStanding')() },
  ],
};
