import type { Core } from '@strapi/strapi';
import { createDocumentEventsMiddleware } from './middlewares/document-events';

export default function register({ strapi }: { strapi: Core.Strapi }) {
  strapi.documents.use(createDocumentEventsMiddleware({ strapi }));
}
