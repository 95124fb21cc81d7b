import type { Core } from '@strapi/strapi';
import { changeNotices } from '@candor/change-notices/server';
import { ensureRoles } from './bootstrap/roles';
import { ensureMarketerAdminRole } from './bootstrap/admin-roles';
import { removeDefaultApiTokens } from './bootstrap/api-tokens';
import { seedDemoContent } from './seed';
import { feedbackResolutionMiddleware } from './middlewares/feedback-resolution';
import { installPrivateFiles, adoptLegacyUploads } from './files/install';
import { forgetUnusedObjects, storeDocumentsOnce } from './files/stored-once';
import { readStoredFile } from './files/read';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    strapi.documents.use(feedbackResolutionMiddleware({ strapi }));
    // Innermost first: the private-files wrapper signs through the stored-once one.
    storeDocumentsOnce(strapi);
    installPrivateFiles(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await adoptLegacyUploads(strapi);
    forgetUnusedObjects(strapi);
    // The plugin reads uploaded files for search in its worker; where they are stored is ours to say.
    changeNotices(strapi).files.useReader(readStoredFile);
    await ensureRoles(strapi);
    await ensureMarketerAdminRole(strapi);
    await removeDefaultApiTokens(strapi);
    if (process.env.CANDOR_DEMO_CONTENT === 'true') await seedDemoContent(strapi);
  },
};
