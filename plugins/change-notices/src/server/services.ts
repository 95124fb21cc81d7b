/**
 * The plugin's services by name, typed. Strapi looks them up by these keys; modules call each other
 * through `getService` rather than importing each other's internals.
 */
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from './constants';
import { createMailService } from './delivery';
import { createFilesService } from './files';
import { createImportsService } from './imports';
import { createMentionsService } from './mentions';
import { createDigestsService, createInboxService, createJobsService, createNoticesAdminService, createNoticesService } from './notices';
import { createDispatcherService, createOutboxService } from './outbox';
import { createSearchService } from './search';
import { createSharesService } from './shares';
import { createChangesService, createStandingService, createVersionsService } from './versions';

export const services = {
  outbox: createOutboxService,
  dispatcher: createDispatcherService,
  versions: createVersionsService,
  standing: createStandingService,
  changes: createChangesService,
  notices: createNoticesService,
  inbox: createInboxService,
  jobs: createJobsService,
  digests: createDigestsService,
  'notices-admin': createNoticesAdminService,
  mail: createMailService,
  search: createSearchService,
  files: createFilesService,
  mentions: createMentionsService,
  imports: createImportsService,
  shares: createSharesService,
};

type Services = { [K in keyof typeof services]: ReturnType<(typeof services)[K]> };

/** The plugin's services, typed. */
export function getService<K extends keyof Services>(strapi: Core.Strapi, name: K): Services[K] {
  return strapi.plugin(PLUGIN_ID).service(name) as Services[K];
}
