import type { Core } from '@strapi/strapi';
import { standingChangeResponseSchema, standingChangeSchema } from '../../shared/contracts';
import { actorFromUser } from '../common/actor';
import { getService } from '../services';
import { type Ctx, bodyOf, respond } from '../common/http';
import { parseOrThrow } from '../common/validation';
import { subjectOf } from '../common/params';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST …/standing/:kind/:documentId with { standing, reason, nowTrue?, replacement?, note? }. */
  async change(ctx: Ctx) {
    const { uid, documentId } = subjectOf(ctx.params);
    const body = bodyOf(ctx);
    const change = parseOrThrow(standingChangeSchema, body, 'The standing change');
    const result = await getService(strapi, 'standing').change(uid, documentId, change, actorFromUser(ctx.state.user));
    respond(ctx, standingChangeResponseSchema, { data: result });
  },
});
