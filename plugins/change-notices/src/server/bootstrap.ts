import type { Core } from '@strapi/strapi';

export default async function bootstrap(_: { strapi: Core.Strapi }) {}
