import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { duplicateGroupsResponseSchema, fileTextStatusResponseSchema, mergeRequestSchema, mergeResponseSchema } from '../../shared/contracts';
import { actorFromUser } from '../common/actor';
import { bodyOf, respond, type Ctx } from '../common/http';
import { parseOrThrow } from '../common/validation';
import { getService } from '../services';
import { SUBJECTS } from '../subjects';
import type { UploadedFile } from './service';

const params = z.object({ documentId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'documentId must be a documentId (letters, digits, - and _, at most 64)' }) });

/** Admin API (marketers): what was read from each of an item's files. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /change-notices/files/collateral/:documentId: the files of the draft and the published version. */
  async status(ctx: Ctx) {
    const { documentId } = parseOrThrow(params, ctx.params, 'The URL');
    const rows = (await strapi.db.query(SUBJECTS.collateral.uid).findMany({
      where: { documentId },
      select: ['id', 'publishedAt'],
      populate: { files: { select: ['id', 'name', 'mime'] } },
    })) as { publishedAt: string | null; files?: Pick<UploadedFile, 'id' | 'name' | 'mime'>[] }[];
    if (!rows.length) throw new errors.NotFoundError(`No collateral ${documentId}.`);
    // The draft first: it is what the marketer is editing; a file only the published version has follows.
    const files = new Map<number, Pick<UploadedFile, 'id' | 'name' | 'mime'>>();
    for (const row of [...rows].sort((a, b) => Number(a.publishedAt != null) - Number(b.publishedAt != null))) for (const f of row.files ?? []) if (!files.has(f.id)) files.set(f.id, f);
    ctx.set('Cache-Control', 'no-store');
    respond(ctx, fileTextStatusResponseSchema, { data: await getService(strapi, 'files').statusOf([...files.values()]) });
  },

  /** GET /change-notices/files/duplicates: the library's copies and near-duplicates, grouped. */
  async duplicates(ctx: Ctx) {
    ctx.set('Cache-Control', 'no-store');
    respond(ctx, duplicateGroupsResponseSchema, { data: await getService(strapi, 'files').duplicateGroups() });
  },

  /** POST /change-notices/files/duplicates/merge: copies merged into one item (see the files service). */
  async merge(ctx: Ctx) {
    const { keep, merge } = parseOrThrow(mergeRequestSchema, bodyOf(ctx), 'The merge');
    respond(ctx, mergeResponseSchema, { data: await getService(strapi, 'files').merge(keep, merge, actorFromUser(ctx.state.user)) });
  },
});
