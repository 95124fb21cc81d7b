import type { Core } from '@strapi/strapi';
import { rethrowAsClientError } from '../src/middlewares/request-body';

const config: Core.Config.Middlewares = [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  // Bodies the parser would misread (a charset other than UTF-8) are refused before it runs, and its
  // errors on bodies the client got wrong answer 4xx instead of 500 (src/utils/request-body.ts).
  'global::request-body',
  { name: 'strapi::body', config: { onError: rethrowAsClientError } },
  // NUL in the URL or body, bodies nested past 64 levels, values PostgreSQL refuses as data: 400, not 500.
  'global::request-guard',
  'strapi::session',
  'strapi::favicon',
  // Uploads are private (src/files): /uploads/<name> answers only the admin's signed URLs.
  'global::private-uploads',
  'strapi::public',
];

export default config;
