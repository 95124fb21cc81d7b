/**
 * The change-notices plugin, gathered from its feature modules (outbox, versions, notices, delivery,
 * search). Each module owns its routes, controllers and services; this file only puts them together.
 */
import bootstrap from './bootstrap';
import config from './config';
import destroy from './destroy';
import { healthController, healthRoutes } from './health';
import { noticesControllers, noticesRoutes } from './notices';
import register from './register';
import { searchControllers, searchRoutes } from './search';
import { filesControllers, filesRoutes } from './files';
import { mentionsControllers, mentionsRoutes } from './mentions';
import { services } from './services';
import { sharesControllers, sharesRoutes } from './shares';
import { versionsControllers, versionsRoutes } from './versions';

export default {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes: {},
  controllers: { health: healthController, ...versionsControllers, ...noticesControllers, ...searchControllers, ...filesControllers, ...mentionsControllers, ...sharesControllers },
  routes: {
    // Content API (/api/change-notices/…): users-permissions roles decide who may call what.
    'content-api': { type: 'content-api', routes: [...healthRoutes, ...versionsRoutes.content, ...noticesRoutes.content, ...searchRoutes.content, ...sharesRoutes.content] },
    // Admin API (/change-notices/…): signed-in admins with the plugin's permissions (permissions.ts).
    admin: { type: 'admin', routes: [...versionsRoutes.admin, ...noticesRoutes.admin, ...searchRoutes.admin, ...filesRoutes.admin, ...mentionsRoutes.admin, ...sharesRoutes.admin] },
  },
  services,
};
