import type { Core } from '@strapi/strapi';
import type { Subscription } from '../../shared/contracts';
import { pluginConfig } from '../config';
import { TABLES, tableIn } from '../database/tables';
import { APP_UIDS, REP_ROLE, SUBJECTS } from '../subjects';
import { toSubscription, type SubscriptionRow } from './rows';

export interface Recipient {
  id: number;
  email: string;
  username: string;
  subscription: Subscription;
}

type User = Omit<Recipient, 'subscription'>;

/** Active users by id (blocked ones hear nothing). */
export async function usersByIds(strapi: Core.Strapi, ids: number[]): Promise<User[]> {
  if (!ids.length) return [];
  return strapi.db.query(APP_UIDS.user).findMany({ where: { id: { $in: ids }, blocked: false }, select: ['id', 'email', 'username'] });
}

/**
 * The reps a notice concerns: subscribers whose products, regions and kinds match the material
 * (empty = everything); for a retraction also everyone who viewed or downloaded it recently.
 */
export async function audienceOf(strapi: Core.Strapi, collateralIds: string[], opts: { retraction: boolean; claimProducts?: string[] }): Promise<Recipient[]> {
  const reps: User[] = await strapi.db.query(APP_UIDS.user).findMany({ where: { role: { type: REP_ROLE }, blocked: false }, select: ['id', 'email', 'username'] });
  if (!reps.length) return [];
  // The table holds one row per user who saved a subscription: read it whole, in one query, rather
  // than 20 chunks of `user_id IN (…)` for 10,000 reps.
  const subs = new Map<number, Subscription>();
  const rows: SubscriptionRow[] = await tableIn(strapi, null, TABLES.subscriptions);
  for (const r of rows) subs.set(Number(r.user_id), toSubscription(r));
  const material = collateralIds.length
    ? ((await strapi.documents(SUBJECTS.collateral.uid).findMany({
        status: 'published',
        filters: { documentId: { $in: collateralIds } },
        fields: ['kind'],
        populate: { products: { fields: ['slug'] }, regions: { fields: ['slug'] } },
        limit: collateralIds.length,
      })) as unknown as { kind: string; products: { slug: string }[]; regions: { slug: string }[] }[])
    : [];
  const overlaps = (wanted: string[], have: string[]) => wanted.length === 0 || have.some((h) => wanted.includes(h));
  const matches = (sub: Subscription) =>
    material.length
      ? material.some((m) => overlaps(sub.products, m.products.map((p) => p.slug)) && overlaps(sub.regions, m.regions.map((r) => r.slug)) && overlaps(sub.kinds, [m.kind]))
      : overlaps(sub.products, opts.claimProducts ?? []);
  const viewers = new Set<number>();
  if (opts.retraction && collateralIds.length) {
    const since = Date.now() - pluginConfig(strapi).retractionAudienceDays * 86_400_000;
    const rows: { user_id: number | string }[] = await tableIn(strapi, null, TABLES.views).distinct('user_id').whereIn('collateral_document_id', collateralIds).andWhere('created_at', '>=', since);
    for (const r of rows) viewers.add(Number(r.user_id));
  }
  return reps.map((r) => ({ ...r, subscription: subs.get(r.id) ?? toSubscription(undefined) })).filter((r) => viewers.has(r.id) || matches(r.subscription));
}
