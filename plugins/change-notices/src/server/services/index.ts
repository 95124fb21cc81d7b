import { createChangesService } from './changes';
import { createChannelsService } from './channels';
import { createDigestsService } from './digests';
import { createDispatcherService } from './dispatcher';
import { createJobsService } from './jobs';
import { createNoticesService } from './notices';
import { createOutboxService } from './outbox';
import { createSearchService } from '../search/service';
import { createStandingService } from './standing';
import { createVersionsService } from './versions';

export default {
  changes: createChangesService,
  channels: createChannelsService,
  digests: createDigestsService,
  dispatcher: createDispatcherService,
  jobs: createJobsService,
  notices: createNoticesService,
  outbox: createOutboxService,
  search: createSearchService,
  standing: createStandingService,
  versions: createVersionsService,
};
