import type { Core } from '@strapi/strapi';
import { ensureRoles } from './bootstrap/roles';
import { removeDefaultApiTokens } from './bootstrap/api-tokens';
import { seedDemoContent } from './seed';

export default {
  register() {},

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureRoles(strapi);
    await removeDefaultApiTokens(strapi);
    if (process.env.CANDOR_DEMO_CONTENT === 'true') await seedDemoContent(strapi);
  },
};
