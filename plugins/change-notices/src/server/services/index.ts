import { createChangesService } from './changes';
import { createOutboxService } from './outbox';
import { createStandingService } from './standing';
import { createVersionsService } from './versions';

export default {
  changes: createChangesService,
  outbox: createOutboxService,
  standing: createStandingService,
  versions: createVersionsService,
};
