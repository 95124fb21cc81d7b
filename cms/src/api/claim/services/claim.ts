import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::claim.claim');
