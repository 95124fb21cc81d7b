import type { Core } from '@strapi/strapi';

// LOG_LEVEL=warn keeps test output readable; the local stack logs requests (http).
export default ({ env }: Core.Config.Shared.ConfigParams) => ({ level: env('LOG_LEVEL', 'http') });
