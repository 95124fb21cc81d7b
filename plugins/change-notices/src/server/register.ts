import type { Core } from '@strapi/strapi';
import { installConfig } from './config';
import { createDocumentEventsMiddleware } from './versions';

export default function register({ strapi }: { strapi: Core.Strapi }) {
  // Parsed and defaulted once; every module reads it through `pluginConfig`.
  installConfig(strapi);
  strapi.documents.use(createDocumentEventsMiddleware({ strapi }));
}
