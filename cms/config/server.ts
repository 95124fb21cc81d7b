import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  // Trust X-Forwarded-* only when Strapi is reachable from the portal and a load balancer alone.
  proxy: { koa: env.bool('PROXY_TRUSTED', false) },
  app: {
    keys: env.array('APP_KEYS')!,
  },
  // Review-by and reminder jobs of the change-notices plugin.
  cron: { enabled: env.bool('CRON_ENABLED', true) },
  webhooks: {
    populateRelations: false,
  },
});

export default config;
