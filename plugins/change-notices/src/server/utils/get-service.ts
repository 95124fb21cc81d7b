import type { Core } from '@strapi/strapi';
import type { ChangesService } from '../services/changes';
import type { ChannelsService } from '../services/channels';
import type { DigestsService } from '../services/digests';
import type { DispatcherService } from '../services/dispatcher';
import type { JobsService } from '../services/jobs';
import type { NoticesService } from '../services/notices';
import type { OutboxService } from '../services/outbox';
import type { SearchService } from '../search/service';
import type { StandingService } from '../services/standing';
import type { VersionsService } from '../services/versions';
import { PLUGIN_ID } from '../constants';

interface Services {
  changes: ChangesService;
  channels: ChannelsService;
  digests: DigestsService;
  dispatcher: DispatcherService;
  jobs: JobsService;
  notices: NoticesService;
  outbox: OutboxService;
  search: SearchService;
  standing: StandingService;
  versions: VersionsService;
}

/** The plugin's services, typed. */
export function getService<K extends keyof Services>(strapi: Core.Strapi, name: K): Services[K] {
  return strapi.plugin(PLUGIN_ID).service(name) as Services[K];
}
