import { factories } from '@strapi/strapi';
import { publishedOnlyReads } from '../../../middlewares/published-only';

// Reps read published versions only, whatever the query asks for (see the middleware).
export default factories.createCoreRouter('api::region.region', { config: publishedOnlyReads('api::region.region') });
