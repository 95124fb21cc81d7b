import { describe, expect, it } from 'vitest';
import {
  adminNoticeListResponseSchema,
  collateralGoneResponseSchema,
  ContractError,
  feedbackInputSchema,
  inboxResponseSchema,
  shapeResponse,
  standingChangeSchema,
  subscriptionResponseSchema,
  subscriptionSchema,
  truthItemSchema,
  truthResponseSchema,
  type AdminNoticeListResponse,
  type TruthResponse,
} from './index';

describe('standingChangeSchema', () => {
  it('requires what is true now when scaling back, and names the field', () => {
    const r = standingChangeSchema.safeParse({ standing: 'scaled_back', reason: 'Budget was cut' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['nowTrue']);
  });
  it('rejects unknown standings and unknown fields', () => {
    expect(standingChangeSchema.safeParse({ standing: 'paused', reason: 'whatever' }).error!.issues[0]!.message).toBe(
      'standing must be one of: confirmed, scaled_back, retracted'
    );
    expect(standingChangeSchema.safeParse({ standing: 'confirmed', reason: 'Legal says yes', extra: 1 }).success).toBe(false);
  });
  it('trims and accepts a retraction with a replacement', () => {
    expect(standingChangeSchema.parse({ standing: 'retracted', reason: '  No TV at all  ', replacement: 'abc' })).toEqual({ standing: 'retracted', reason: 'No TV at all', replacement: 'abc' });
  });
});

describe('subscriptionSchema', () => {
  it('keeps the inbox on', () => {
    const r = subscriptionSchema.safeParse({ products: [], regions: [], kinds: [], channels: ['email'], cadence: 'daily' });
    expect(r.error!.issues[0]!.message).toBe('channels: the portal inbox cannot be turned off');
  });
});

describe('feedbackInputSchema', () => {
  it('defaults urgency and rejects a too-short suggestion', () => {
    expect(feedbackInputSchema.parse({ collateral: 'x', kind: 'correction', suggestion: 'The price is wrong on page 2.' }).urgency).toBe('normal');
    expect(feedbackInputSchema.safeParse({ collateral: 'x', kind: 'correction', suggestion: 'wrong' }).error!.issues[0]!.path).toEqual(['suggestion']);
  });
});

describe('shapeResponse', () => {
  // A service's rows as they come: a Date, an undefined and a field the contract does not name.
  const body = {
    data: [{ id: 1, urgency: 'fyi', headline: 'h', whatChanged: 'w', why: undefined, whatToDo: 't', link: '/notices', details: ['d'], subject: { kind: 'claim', documentId: 'c1', version: 2 }, actor: 'Candor', createdAt: new Date('2026-11-24T10:00:00Z'), readAt: null, acknowledgedAt: null, internal: 'x' }],
    meta: { pagination: { page: 1, pageSize: 20, pageCount: 1, total: 1 } },
  };

  it('checks the body as JSON and keeps only what the contract names', () => {
    const shaped = shapeResponse(inboxResponseSchema, body as never, 'GET /inbox');
    expect(shaped.data[0]).toMatchObject({ createdAt: '2026-11-24T10:00:00.000Z', why: null });
    expect(shaped.data[0]).not.toHaveProperty('internal');
    // What the server shaped, a reader parses to the same thing.
    expect(inboxResponseSchema.parse(JSON.parse(JSON.stringify(shaped)))).toEqual(shaped);
  });

  it('throws a ContractError naming the route and the field, never a wrong 200', () => {
    const broken = { ...body, data: [{ ...body.data[0], urgency: 'whenever' }] };
    expect(() => shapeResponse(inboxResponseSchema, broken as never, 'GET /inbox')).toThrow(ContractError);
    expect(() => shapeResponse(inboxResponseSchema, broken as never, 'GET /inbox')).toThrow(/GET \/inbox .*data\.0\.urgency/);
  });
});

describe('response contracts', () => {
  it('read back what a server shaped with them (the admin parses the plugin answers again)', () => {
    const list: AdminNoticeListResponse = {
      data: [{ id: 3, urgency: 'action_required', headline: 'h', whatChanged: 'w', createdAt: '2026-11-24T10:00:00.000Z', actor: 'Morgan', subject: { kind: 'collateral', documentId: 'd', version: 2, title: 'Deck' }, audience: 2, channels: { email: { sent: 1, failed: 1 }, inbox: { sent: 2 } }, acknowledged: 1 }],
      meta: { pagination: { page: 1, pageSize: 25, pageCount: 1, total: 1 } },
    };
    const shaped = shapeResponse(adminNoticeListResponseSchema, list, 'GET /notices');
    expect(shaped).toEqual(list);
    expect(adminNoticeListResponseSchema.parse(shaped)).toEqual(shaped);
    expect(adminNoticeListResponseSchema.safeParse({ ...list, data: [{ ...list.data[0], channels: { pager: { sent: 1 } } }] }).success).toBe(false);
    const truth: TruthResponse = { data: { a: { documentId: 'a', published: false } }, meta: { checkedAt: '2026-11-24T10:00:00.000Z' } };
    expect(truthResponseSchema.parse(shapeResponse(truthResponseSchema, truth, 'GET /search/truth'))).toEqual(truth);
  });


  it('drop subscription values a reader does not know instead of failing', () => {
    const r = subscriptionResponseSchema.parse({ data: { products: [], regions: [], kinds: ['deck', 'hologram'], channels: ['inbox', 'pager'], cadence: 'weekly' } });
    expect(r.data).toEqual({ products: [], regions: [], kinds: ['deck'], channels: ['inbox'], cadence: 'weekly' });
  });

  it('read a tombstone only from a 410 GoneError', () => {
    const tombstone = { documentId: 'd', title: 'T', slug: 't', reason: 'Ended.', retractedAt: null };
    const gone = { data: null, error: { status: 410, name: 'GoneError', message: '“T” was retracted: Ended.', details: { tombstone } } };
    expect(collateralGoneResponseSchema.parse(gone).error.details.tombstone).toEqual({ ...tombstone, replacedBy: null });
    expect(collateralGoneResponseSchema.safeParse({ ...gone, error: { ...gone.error, status: 404, name: 'NotFoundError' } }).success).toBe(false);
  });

  it('tell a published truth item from an absent one, and reject an unknown standing', () => {
    const item = { documentId: 'a', published: true, slug: 'a', title: 'A', standing: 'confirmed', version: 3, needsReview: false, stale: false };
    expect(truthItemSchema.parse(item)).toMatchObject({ standingReason: null, replacedBy: null });
    expect(truthItemSchema.parse({ documentId: 'b', published: false })).toEqual({ documentId: 'b', published: false });
    expect(truthItemSchema.safeParse({ ...item, standing: 'maybe' }).success).toBe(false);
  });
});
