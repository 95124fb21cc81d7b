import type { Core } from '@strapi/strapi';

export default function destroy(_: { strapi: Core.Strapi }) {}
