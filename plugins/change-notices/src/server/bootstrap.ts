import type { Core } from '@strapi/strapi';
import { ensureTables } from './database/tables';

export default async function bootstrap({ strapi }: { strapi: Core.Strapi }) {
  await ensureTables(strapi);
}
