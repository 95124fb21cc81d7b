import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::persona.persona');
