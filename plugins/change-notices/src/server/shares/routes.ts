import { adminRoute } from '../permissions';

/**
 * Share routes. Reps share, list, revoke and send replacements over the content API; buyers read over
 * `/public/shares/:token…` with no sign-in (the token is the credential); marketing sees an item's
 * links and revokes any in the admin.
 */
export const sharesRoutes = {
  content: [
    { method: 'POST', path: '/shares', handler: 'shares.create', config: {} },
    { method: 'GET', path: '/shares', handler: 'shares.find', config: {} },
    { method: 'POST', path: '/shares/:id/revoke', handler: 'shares.revoke', config: {} },
    { method: 'POST', path: '/shares/:id/replacement', handler: 'shares.sendReplacement', config: {} },
    { method: 'GET', path: '/public/shares/:token', handler: 'buyer.view', config: { auth: false } },
    { method: 'GET', path: '/public/shares/:token/files/:file', handler: 'buyer.file', config: { auth: false } },
    { method: 'GET', path: '/public/shares/:token/files/:file/pages/:page', handler: 'buyer.page', config: { auth: false } },
  ],
  admin: [
    { method: 'GET', path: '/shares/items/:documentId', handler: 'sharesAdmin.forItem', config: adminRoute('read')() },
    { method: 'POST', path: '/shares/:id/revoke', handler: 'sharesAdmin.revoke', config: adminRoute('changeStanding')() },
  ],
};
