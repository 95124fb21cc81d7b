import type { Core } from '@strapi/strapi';
import { getService } from './services';

export default async function destroy({ strapi }: { strapi: Core.Strapi }) {
  await getService(strapi, 'dispatcher').stop();
}
