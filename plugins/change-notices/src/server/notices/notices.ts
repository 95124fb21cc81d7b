import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Channel, NoticeDraft } from '../../shared/contracts';
import { batchedLookup, batchedWrite } from '../common/batching';
import { pluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { TABLES, parseJson, tableIn } from '../database/tables';
import { createProviders, renderFeedbackForOwner, type ChannelProvider, type FeedbackForOwner } from '../delivery';
import { backoffMs, outboxError, outboxJob, PermanentDeliveryError, type OutboxJob } from '../outbox';
import { getService } from '../services';
import { SUBJECTS } from '../subjects';
import { audienceOf, usersByIds, type Recipient } from './audience';
import { composeFeedbackResolved, composeNotice, type ResolvedFeedback } from './compose';
import type { DeliveryRow, NoticeRow, SubscriptionRow } from './rows';
import { toSubscription } from './rows';

const CHUNK = 500;
const FIRST_CHUNK = 50;
type NewDelivery = Pick<DeliveryRow, 'notice_id' | 'user_id' | 'channel' | 'target' | 'state'> & { sent_at?: number | null; created_at: number };
const errorText = (err: unknown) => String(err instanceof Error ? err.message : err).slice(0, 2000);
const chunks = <T>(items: T[], size = CHUNK) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/**
 * From a change to the reps it concerns: compose the notice, find the audience, store the notice with
 * one delivery per rep and channel (fan-out), and send each push delivery through its provider.
 */
export const createNoticesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const t = (table: string, trx?: Knex.Transaction | null) => tableIn(strapi, trx, table);
  let providers: Record<Channel, ChannelProvider | null> | null = null;
  const providerFor = (channel: Channel) => (providers ??= createProviders(strapi, getService(strapi, 'mail')))[channel] ?? null;

  // The deliver handler's reads and its "sent" mark, one query per batch of concurrent sends.
  const loadDelivery = batchedLookup<DeliveryRow>((ids) => t(TABLES.deliveries).whereIn('id', [...ids]), (d) => Number(d.id));
  const loadNotice = batchedLookup<NoticeRow>((ids) => t(TABLES.notices).whereIn('id', [...new Set(ids)]), (n) => Number(n.id));
  const markSent = batchedWrite((ids) => t(TABLES.deliveries).whereIn('id', [...ids]).update({ state: 'sent', sent_at: Date.now(), last_error: null }));
  // What a notice says never changes once stored, and a fan-out sends it thousands of times.
  const renderable = new Map<number, Promise<ReturnType<typeof toRenderable> | null>>();
  const renderableNotice = (id: number) => {
    let hit = renderable.get(id);
    if (!hit) {
      if (renderable.size >= 200) renderable.delete(renderable.keys().next().value!);
      hit = loadNotice(id).then((row) => (row ? toRenderable(row) : null));
      hit.catch(() => renderable.delete(id));
      renderable.set(id, hit);
    }
    return hit;
  };

  /**
   * Inserts a notice's deliveries in one statement, the rows passed as arrays (`unnest` on
   * PostgreSQL, `json_each` on SQLite): 10,000 inbox rows in a few milliseconds, where knex built and
   * bound 70,000 values in 20 statements. A row already there (a replay) is kept as it is; with
   * `returning`, the rows really inserted come back with their id and state.
   */
  async function insertDeliveries(trx: Knex.Transaction, noticeId: number, rows: Omit<NewDelivery, 'notice_id' | 'created_at'>[], now: number, returning = false): Promise<Pick<DeliveryRow, 'id' | 'state'>[]> {
    if (!rows.length) return [];
    const schema = strapi.db.getSchemaName();
    const table = schema ? `${schema}.${TABLES.deliveries}` : TABLES.deliveries;
    const pg = strapi.db.dialect.client === 'postgres';
    const from = pg
      ? { sql: 'unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::bigint[]) AS d(user_id, channel, target, state, sent_at)', params: [rows.map((r) => r.user_id), rows.map((r) => r.channel), rows.map((r) => r.target), rows.map((r) => r.state), rows.map((r) => r.sent_at ?? null)] }
      : { sql: "(SELECT json_extract(value, '$[0]') AS user_id, json_extract(value, '$[1]') AS channel, json_extract(value, '$[2]') AS target, json_extract(value, '$[3]') AS state, json_extract(value, '$[4]') AS sent_at FROM json_each(?))", params: [JSON.stringify(rows.map((r) => [r.user_id, r.channel, r.target, r.state, r.sent_at ?? null]))] };
    const result = await trx.raw(
      `INSERT INTO ?? (notice_id, user_id, channel, target, state, sent_at, created_at)
       SELECT ?, user_id, channel, target, state, sent_at, ? FROM ${from.sql} WHERE true
       ON CONFLICT (notice_id, channel, target) DO NOTHING${returning ? ' RETURNING id, state' : ''}`,
      [table, noticeId, now, ...from.params]
    );
    return returning ? ((pg ? result.rows : result) as Pick<DeliveryRow, 'id' | 'state'>[]) : [];
  }

  /** Sends one delivery through its channel's provider; email to a rep with action required carries the acknowledgement link. */
  async function send(d: DeliveryRow, notice: ReturnType<typeof toRenderable>) {
    const provider = providerFor(d.channel);
    if (!provider) throw new PermanentDeliveryError(`channel ${d.channel} has no sender`);
    const ack = d.channel === 'email' && notice.urgency === 'action_required' && d.user_id != null ? getService(strapi, 'inbox').ackLink(Number(d.notice_id), Number(d.user_id)) : null;
    await provider.send({ notice, target: d.target, ref: `delivery-${d.id}`, ack });
  }

  /**
   * How many published items mention a claim without being linked, for its notice. The notice never
   * waits on search: without Meilisearch, or when it fails, the count is left out (0) and logged.
   */
  const countUnlinkedMentions = async (claimDocumentId: string): Promise<number> => {
    if (!getService(strapi, 'search').enabled) return 0;
    try {
      return (await getService(strapi, 'mentions').find(claimDocumentId)).mentions.length;
    } catch (err) {
      strapi.log.warn(`[${PLUGIN_ID}] notices: unlinked mentions of claim ${claimDocumentId} could not be counted: ${(err as Error).message}`);
      return 0;
    }
  };

  return {
    /**
     * Stores the notice and one delivery per recipient and channel, and queues the pushes. Every
     * insert is keyed (notice key; notice + channel + target), so a replay after a crash mid fan-out
     * resumes where it stopped and never doubles anything. The notice and its inbox deliveries commit
     * first (that is when every rep has it); the pushes follow a chunk per transaction, each chunk's
     * deliveries with their outbox rows, so the first emails leave while the rest is still written.
     */
    async fanOut(draft: NoticeDraft, recipients: Recipient[]): Promise<{ noticeId: number; deliveries: number }> {
      const now = Date.now();
      const config = pluginConfig(strapi);
      const noticeId = await strapi.db.transaction(async ({ trx }) => {
        await t(TABLES.notices, trx)
          .insert({
            notice_key: draft.key,
            urgency: draft.urgency,
            subject_uid: draft.uid,
            subject_document_id: draft.documentId,
            version: draft.version,
            headline: draft.headline.slice(0, 400),
            what_changed: draft.whatChanged,
            why: draft.why,
            what_to_do: draft.whatToDo,
            link: draft.link,
            details: JSON.stringify(draft.details),
            actor_name: draft.actor,
            audience: recipients.length,
            created_at: now,
          })
          .onConflict('notice_key')
          .ignore();
        const notice: Pick<NoticeRow, 'id'> = await t(TABLES.notices, trx).where({ notice_key: draft.key }).first('id');
        const id = Number(notice.id);
        const inbox = recipients.filter((r) => r.subscription.channels.includes('inbox'));
        await insertDeliveries(trx, id, inbox.map((r) => ({ user_id: r.id, channel: 'inbox', target: `user:${r.id}`, state: 'sent', sent_at: now })), now);
        return id;
      });

      const pushes: NewDelivery[] = [];
      for (const r of recipients) {
        for (const channel of r.subscription.channels) {
          if (channel === 'inbox') continue;
          // Informational email waits for the rep's digest; action-required never waits.
          const state = draft.urgency === 'fyi' && r.subscription.cadence !== 'instant' ? 'digest' : 'pending';
          pushes.push({ notice_id: noticeId, user_id: r.id, channel, target: channel === 'email' ? r.email : `user:${r.id}`, state, sent_at: null, created_at: now });
        }
      }
      for (const team of [...config.slack.map((c) => ({ ...c, channel: 'slack' as const })), ...config.teams.map((c) => ({ ...c, channel: 'teams' as const }))]) {
        pushes.push({ notice_id: noticeId, user_id: null, channel: team.channel, target: team.name, state: 'pending', created_at: now });
      }
      const outbox = getService(strapi, 'outbox');
      // A small first chunk: its emails leave while the rest is written.
      for (const batch of [pushes.slice(0, FIRST_CHUNK), ...chunks(pushes.slice(FIRST_CHUNK))]) {
        if (!batch.length) continue;
        await strapi.db.transaction(async ({ trx }) => {
          // Only the rows inserted now get send jobs (RETURNING leaves out those already there): rows a
          // crashed run wrote got theirs in the same transaction, so a replay never puts a delivery in
          // two jobs, which two workers could send twice. Writing first also takes SQLite's write lock
          // before any read, so another process's commit cannot fail this transaction halfway.
          const inserted = await insertDeliveries(trx, noticeId, batch, now, true);
          const fresh = inserted.filter((d) => d.state === 'pending').sort((a, b) => Number(a.id) - Number(b.id));
          await outbox.enqueue(
            trx,
            chunks(fresh, config.deliveriesPerJob).map((group) => outboxJob('notice.deliver-batch', { noticeId, urgency: draft.urgency, deliveryIds: group.map((d) => Number(d.id)) }))
          );
        });
      }
      const inboxCount = recipients.filter((r) => r.subscription.channels.includes('inbox')).length;
      return { noticeId, deliveries: inboxCount + pushes.length };
    },

    /** Outbox handler for `notice.version`: compose, find the audience, fan out. */
    async handleVersionJob(job: OutboxJob<'notice.version'>) {
      const p = job.payload;
      const versions = getService(strapi, 'versions');
      const version = await versions.get(p.uid, p.documentId, p.version);
      if (!version?.snapshot) return;
      const firstAfterImport = version.cause !== 'import' && version.number > 1 && (await versions.get(p.uid, p.documentId, version.number - 1))?.cause === 'import';
      const portalUrl = pluginConfig(strapi).portalUrl;
      const flagged = p.flagged ?? [];
      const affected =
        p.uid === SUBJECTS.claim.uid && flagged.length
          ? ((await strapi.documents(SUBJECTS.collateral.uid).findMany({ status: 'published', filters: { documentId: { $in: flagged } }, fields: ['title', 'slug'] })) as unknown as { title: string; slug: string }[])
          : [];
      const unlinkedMentions = p.uid === SUBJECTS.claim.uid && version.standing !== 'confirmed' ? await countUnlinkedMentions(p.documentId) : 0;
      const draft = composeNotice({ uid: p.uid, documentId: p.documentId, urgency: p.urgency, version: { ...version, snapshot: version.snapshot }, firstAfterImport, affected, unlinkedMentions, portalUrl });
      if (!draft) return;
      let recipients: Recipient[];
      if (p.uid === SUBJECTS.collateral.uid) {
        recipients = await audienceOf(strapi, [p.documentId], { retraction: version.standing === 'retracted' });
      } else {
        const claim = (await strapi.documents(SUBJECTS.claim.uid).findOne({ documentId: p.documentId, status: 'published', populate: { products: { fields: ['slug'] } } })) as { products?: { slug: string }[] } | null;
        recipients = await audienceOf(strapi, flagged, { retraction: false, claimProducts: (claim?.products ?? []).map((x) => x.slug) });
      }
      await this.fanOut(draft, recipients);
    },

    /** Queues a notice for the given users only, in the caller's transaction. */
    async queueDirect(trx: Knex.Transaction | null, draft: NoticeDraft, userIds: number[]) {
      await getService(strapi, 'outbox').enqueue(trx, [outboxJob('notice.direct', { draft, userIds })]);
    },

    /**
     * Tells the rep who suggested an edit what became of it (accepted, declined, shipped), in the
     * caller's transaction: the app's feedback triage calls this.
     */
    async notifyFeedbackResolved(trx: Knex.Transaction | null, feedback: ResolvedFeedback, submitterId: number) {
      await this.queueDirect(trx, composeFeedbackResolved(feedback, pluginConfig(strapi).portalUrl), [submitterId]);
    },

    /**
     * Emails an item's owner (or marketing's default address) a rep's suggested edit, in the caller's
     * transaction. Returns false when there is nobody to send it to.
     */
    async queueFeedbackForOwner(trx: Knex.Transaction | null, input: { feedbackDocumentId: string; ownerEmail: string | null; feedback: FeedbackForOwner }): Promise<boolean> {
      const to = input.ownerEmail ?? getService(strapi, 'mail').defaultRecipient();
      if (!to) return false;
      const mail = renderFeedbackForOwner(input.feedback);
      await getService(strapi, 'outbox').enqueue(trx, [outboxJob('mail.send', { ref: `feedback-new:${input.feedbackDocumentId}`, to, ...mail })]);
      return true;
    },

    /** Outbox handler for `notice.direct`. */
    async handleDirectJob(job: OutboxJob<'notice.direct'>) {
      const { draft, userIds } = job.payload;
      const users = await usersByIds(strapi, userIds);
      const subs: SubscriptionRow[] = await t(TABLES.subscriptions).whereIn('user_id', users.map((u) => u.id));
      const byUser = new Map(subs.map((s) => [Number(s.user_id), toSubscription(s)]));
      const recipients: Recipient[] = users.map((u) => ({ ...u, subscription: byUser.get(u.id) ?? toSubscription(undefined) }));
      await this.fanOut(draft, recipients);
    },

    /** Outbox handler for `notice.deliver`: one delivery on its channel. A delivery already sent is not sent again. */
    async handleDeliverJob(job: OutboxJob<'notice.deliver'>) {
      const d = await loadDelivery(job.payload.deliveryId);
      if (!d || d.state === 'sent') return;
      const notice = await renderableNotice(Number(d.notice_id));
      if (!notice) throw new PermanentDeliveryError(`notice ${d.notice_id} is gone`);
      try {
        await send(d, notice);
      } catch (err) {
        await t(TABLES.deliveries).where({ id: d.id }).update({ last_error: errorText(err) });
        throw err;
      }
      await markSent(Number(d.id));
    },

    /**
     * Outbox handler for `notice.deliver-batch`: sends the batch's deliveries at once (the SMTP pool
     * queues them). One that fails is handed, in one transaction with its error, to a
     * `notice.deliver` row of its own, retried with backoff or dead at once, so it neither holds up
     * the rest nor is sent again when this row is; a delivery with an error is that row's from then on.
     */
    async handleDeliverBatchJob(job: OutboxJob<'notice.deliver-batch'>) {
      const { noticeId, urgency, deliveryIds } = job.payload;
      // By primary key alone: SQLite would otherwise walk the notice's whole index for a few rows.
      const rows = ((await t(TABLES.deliveries).whereIn('id', deliveryIds)) as DeliveryRow[]).filter((d) => Number(d.notice_id) === noticeId && d.state === 'pending' && d.last_error == null);
      if (!rows.length) return;
      const notice = await renderableNotice(noticeId);
      if (!notice) throw new PermanentDeliveryError(`notice ${noticeId} is gone`);
      const failed: { delivery: DeliveryRow; error: unknown }[] = [];
      await Promise.all(
        rows.map(async (delivery) => {
          try {
            await send(delivery, notice);
          } catch (error) {
            failed.push({ delivery, error });
            return;
          }
          await markSent(Number(delivery.id));
        })
      );
      if (!failed.length) return;
      const dispatcher = getService(strapi, 'dispatcher');
      await strapi.db.transaction(async ({ trx }) => {
        for (const { delivery, error } of failed) await t(TABLES.deliveries, trx).where({ id: delivery.id }).update({ last_error: errorText(error) });
        await getService(strapi, 'outbox').enqueue(
          trx,
          failed.map(({ delivery, error }) => {
            const permanent = error instanceof PermanentDeliveryError;
            if (permanent) strapi.log.warn(`[${PLUGIN_ID}] dead letter: delivery ${delivery.id} of notice ${noticeId}: ${errorText(error)}`);
            return outboxJob(
              'notice.deliver',
              { deliveryId: Number(delivery.id), noticeId, urgency },
              permanent ? { attempts: 1, deadLetter: outboxError(error) } : { attempts: 1, availableAt: Date.now() + backoffMs(1, dispatcher.options) }
            );
          })
        );
      });
    },

    async notice(id: number): Promise<NoticeRow | undefined> {
      return t(TABLES.notices).where({ id }).first();
    },
  };
};

/** A stored notice as the templates render it. */
export function toRenderable(row: NoticeRow) {
  return {
    urgency: row.urgency,
    headline: row.headline,
    whatChanged: row.what_changed,
    why: row.why,
    whatToDo: row.what_to_do,
    link: row.link,
    details: parseJson<string[]>(row.details),
    actor: row.actor_name,
  };
}

export type NoticesService = ReturnType<typeof createNoticesService>;
