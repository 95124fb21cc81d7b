import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::claim.claim');
