import type { Core } from '@strapi/strapi';
import { ensureRoles } from './bootstrap/roles';
import { ensureMarketerAdminRole } from './bootstrap/admin-roles';
import { removeDefaultApiTokens } from './bootstrap/api-tokens';
import { seedDemoContent } from './seed';
import { feedbackResolutionMiddleware } from './middlewares/feedback-resolution';
import { installPrivateFiles, adoptLegacyUploads } from './files/install';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    strapi.documents.use(feedbackResolutionMiddleware({ strapi }));
    installPrivateFiles(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await adoptLegacyUploads(strapi);
    await ensureRoles(strapi);
    await ensureMarketerAdminRole(strapi);
    await removeDefaultApiTokens(strapi);
    if (process.env.CANDOR_DEMO_CONTENT === 'true') await seedDemoContent(strapi);
  },
};
