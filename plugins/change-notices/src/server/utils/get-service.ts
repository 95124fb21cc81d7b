import type { Core } from '@strapi/strapi';
import type { ChangesService } from '../services/changes';
import type { OutboxService } from '../services/outbox';
import type { StandingService } from '../services/standing';
import type { VersionsService } from '../services/versions';
import { PLUGIN_ID } from '../constants';

interface Services {
  changes: ChangesService;
  outbox: OutboxService;
  standing: StandingService;
  versions: VersionsService;
}

/** The plugin's services, typed. */
export function getService<K extends keyof Services>(strapi: Core.Strapi, name: K): Services[K] {
  return strapi.plugin(PLUGIN_ID).service(name) as Services[K];
}
