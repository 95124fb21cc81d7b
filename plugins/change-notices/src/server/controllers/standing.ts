import type { Core } from '@strapi/strapi';
import { standingChangeSchema } from '../../shared/contracts';
import { actorFromUser } from '../utils/actor';
import { getService } from '../utils/get-service';
import { parseOrThrow } from '../utils/validation';
import { subjectOf } from './params';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST …/standing/:kind/:documentId with { standing, reason, nowTrue?, replacement?, note? }. */
  async change(ctx: any) {
    const { uid, documentId } = subjectOf(ctx.params);
    const body = ctx.request.body?.data ?? ctx.request.body;
    const change = parseOrThrow(standingChangeSchema, body, 'The standing change');
    const result = await getService(strapi, 'standing').change(uid, documentId, change, actorFromUser(ctx.state.user));
    ctx.body = { data: result };
  },
});
