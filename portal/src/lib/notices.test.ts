import { describe, expect, it } from 'vitest';
import { CmsError, createCmsClient } from './cms';
import { ackOutcome, ackRedirect, acknowledgeNotice, formatDateTime, getSubscription, inboxFilterFrom, listNotices, markNoticeRead, needsAcknowledgement, noticeCount, noticeDetails, noticePath, recentChanges, saveSubscription } from './notices';

function fakeClient(handler: (url: URL, init: RequestInit) => Response) {
  const calls: { url: URL; init: RequestInit }[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    calls.push({ url, init });
    return handler(url, init);
  }) as typeof globalThis.fetch;
  return { client: createCmsClient({ baseUrl: 'http://cms.test/', fetch }), calls };
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const notice = {
  id: 7,
  urgency: 'action_required',
  headline: 'Scaled back: Aurora Suite launch deck 2026',
  whatChanged: 'Standing: Confirmed → Scaled back',
  why: 'The TV budget was cut.',
  whatToDo: 'Stop promising national TV.',
  link: 'http://localhost:4321/collateral/aurora-suite-launch-deck-2026',
  details: [],
  subject: { kind: 'collateral', documentId: 'abc', version: 2 },
  actor: 'Morgan Marketing',
  createdAt: '2026-11-23T07:32:52.198Z',
  readAt: null,
  acknowledgedAt: null,
};

describe('notices client', () => {
  it('lists the inbox with the filter and page, checked with zod', async () => {
    const { client, calls } = fakeClient(() => json(200, { data: [notice], meta: { pagination: { page: 2, pageSize: 10, pageCount: 2, total: 11 } } }));
    const { items, pagination } = await listNotices(client, 'jwt', { filter: 'action_required', page: 2, pageSize: 10 });
    expect(items).toEqual([notice]);
    expect(pagination.total).toBe(11);
    expect(calls[0]!.url.pathname).toBe('/api/change-notices/inbox');
    expect(Object.fromEntries(calls[0]!.url.searchParams)).toEqual({ filter: 'action_required', page: '2', pageSize: '10' });
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer jwt');
  });

  it('refuses an inbox of an unexpected shape as bad_response', async () => {
    const { client } = fakeClient(() => json(200, { data: [{ ...notice, urgency: 'whenever' }], meta: { pagination: { page: 1, pageSize: 20, pageCount: 1, total: 1 } } }));
    await expect(listNotices(client, 'jwt')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('reads the count and maps 401 to unauthorized', async () => {
    const ok = fakeClient(() => json(200, { data: { unread: 3, actionRequired: 1 } }));
    expect(await noticeCount(ok.client, 'jwt')).toEqual({ unread: 3, actionRequired: 1 });
    const expired = fakeClient(() => json(401, { error: { status: 401, message: 'Missing or invalid credentials' } }));
    const err = await noticeCount(expired.client, 'jwt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CmsError);
    expect((err as CmsError).code).toBe('unauthorized');
  });

  it('marks read and acknowledges with POST; a notice that is not the rep’s gives false / null', async () => {
    const { client, calls } = fakeClient((url) =>
      url.pathname.includes('/9/') ? json(404, { error: { status: 404, message: 'You have no notice 9.' } }) : url.pathname.endsWith('/read') ? json(200, { data: { id: 7, read: true } }) : json(200, { data: { id: 7, acknowledgedAt: '2026-11-24T10:00:00.000Z' } })
    );
    expect(await markNoticeRead(client, 'jwt', 7)).toBe(true);
    expect(await acknowledgeNotice(client, 'jwt', 7)).toEqual({ acknowledgedAt: '2026-11-24T10:00:00.000Z' });
    expect(await markNoticeRead(client, 'jwt', 9)).toBe(false);
    expect(await acknowledgeNotice(client, 'jwt', 9)).toBeNull();
    expect(calls.map((c) => `${c.init.method} ${c.url.pathname}`)).toEqual([
      'POST /api/change-notices/inbox/7/read',
      'POST /api/change-notices/inbox/7/acknowledge',
      'POST /api/change-notices/inbox/9/read',
      'POST /api/change-notices/inbox/9/acknowledge',
    ]);
  });

  it('reads what changed lately', async () => {
    const item = { documentId: 'a', title: 'T', slug: 't', kind: 'deck', number: 1, summary: 'First version', standing: 'confirmed', standingReason: null, nowTrue: null, createdAt: '2026-11-23T07:32:52.198Z' };
    const { client, calls } = fakeClient(() => json(200, { data: { created: [item], changed: [] }, meta: { days: 7, limit: 6 } }));
    expect(await recentChanges(client, 'jwt', { limit: 6 })).toEqual({ created: [item], changed: [] });
    expect(calls[0]!.url.search).toBe('?days=7&limit=6');
  });

  it('saves the subscription with PUT {data} and reports a refusal as rejected', async () => {
    const sub = { products: ['aurora-pulse'], regions: [], kinds: ['deck' as const], channels: ['inbox' as const], cadence: 'weekly' as const };
    const { client, calls } = fakeClient((_url, init) =>
      init.method === 'PUT'
        ? JSON.parse(String(init.body)).data.cadence === 'weekly'
          ? json(200, { data: JSON.parse(String(init.body)).data })
          : json(400, { error: { status: 400, name: 'ValidationError', message: 'The subscription is invalid: cadence must be one of: instant, daily, weekly' } })
        : json(200, { data: { ...sub, kinds: ['deck', 'hologram'], channels: ['inbox', 'pager'] } })
    );
    expect(await saveSubscription(client, 'jwt', sub)).toEqual(sub);
    expect(calls[0]!.init.method).toBe('PUT');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ data: sub });
    await expect(saveSubscription(client, 'jwt', { ...sub, cadence: 'daily' })).rejects.toMatchObject({ code: 'rejected', message: expect.stringContaining('cadence must be') });
    // Values from a newer CMS that this portal cannot show are dropped, not fatal.
    expect(await getSubscription(client, 'jwt')).toEqual(sub);
  });
});

describe('noticePath', () => {
  it('keeps the path of item and inbox links, whatever host the CMS thinks the portal has', () => {
    expect(noticePath('http://localhost:4321/collateral/aurora-suite-launch-deck-2026')).toBe('/collateral/aurora-suite-launch-deck-2026');
    expect(noticePath('https://candor.example.com/notices/')).toBe('/notices');
    expect(noticePath('/collateral/x-1')).toBe('/collateral/x-1');
  });
  it('gives no link for anything else', () => {
    expect(noticePath('javascript:alert(1)')).toBeNull();
    expect(noticePath('https://evil.example/phish')).toBeNull();
    expect(noticePath('https://candor.example.com/collateral/Bad_Slug')).toBeNull();
    expect(noticePath('https://candor.example.com/collateral/a/b')).toBeNull();
    expect(noticePath('http://[bad')).toBeNull();
  });
});

describe('inbox helpers', () => {
  it('needs an acknowledgement only for open action-required notices', () => {
    expect(needsAcknowledgement({ urgency: 'action_required', acknowledgedAt: null })).toBe(true);
    expect(needsAcknowledgement({ urgency: 'action_required', acknowledgedAt: '2026-11-24T10:00:00.000Z' })).toBe(false);
    expect(needsAcknowledgement({ urgency: 'fyi', acknowledgedAt: null })).toBe(false);
  });

  it('reads the filter from the address bar, defaulting to all', () => {
    expect(inboxFilterFrom('unread')).toBe('unread');
    expect(inboxFilterFrom('action_required')).toBe('action_required');
    expect(inboxFilterFrom('everything')).toBe('all');
    expect(inboxFilterFrom(null)).toBe('all');
  });

  it('sends the rep back to the same-site page they came from, with the outcome', () => {
    expect(ackRedirect('/notices?filter=unread', 'done', 7)).toBe('/notices?filter=unread&acknowledged=7');
    expect(ackRedirect('/?kind=deck&ack_failed=3', 'done', 7)).toBe('/?kind=deck&acknowledged=7');
    expect(ackRedirect('/notices?acknowledged=2', 'failed', 7)).toBe('/notices?ack_failed=7');
    expect(ackRedirect('https://evil.example/', 'done', 7)).toBe('/?acknowledged=7');
    expect(ackRedirect(undefined, 'done', 7)).toBe('/?acknowledged=7');
  });

  it('says what an outcome means', () => {
    expect(ackOutcome(new URLSearchParams('acknowledged=7'))).toMatchObject({ tone: 'ok' });
    expect(ackOutcome(new URLSearchParams('acknowledged='))).toMatchObject({ tone: 'error', message: expect.stringContaining('not in your inbox') });
    expect(ackOutcome(new URLSearchParams('ack_failed=7'))).toMatchObject({ tone: 'error' });
    expect(ackOutcome(new URLSearchParams('filter=unread'))).toBeNull();
  });
});

describe('formatDateTime', () => {
  it('shows day, month, year and UTC time', () => {
    expect(formatDateTime('2026-11-24T10:03:59.000Z')).toBe('24 Nov 2026, 10:03 UTC');
    expect(formatDateTime('nonsense')).toBeNull();
    expect(formatDateTime(null)).toBeNull();
  });
});

describe('noticeDetails', () => {
  it('turns the email lines into linked affected material and marketing’s note', () => {
    expect(
      noticeDetails([
        'Note from marketing: Legal signed this off on Monday.',
        'Affected: Aurora Suite launch deck 2026 (http://localhost:4321/collateral/aurora-suite-launch-deck-2026)',
        'Affected: Odd (https://evil.example/x)',
        'Something else',
      ])
    ).toEqual({
      affected: [
        { title: 'Aurora Suite launch deck 2026', href: '/collateral/aurora-suite-launch-deck-2026' },
        { title: 'Odd', href: null },
      ],
      note: 'Legal signed this off on Monday.',
      other: ['Something else'],
    });
  });

  it('accepts an inbox notice without details from an older CMS', async () => {
    const { details: _omitted, ...old } = notice;
    const { client } = fakeClient(() => json(200, { data: [old], meta: { pagination: { page: 1, pageSize: 20, pageCount: 1, total: 1 } } }));
    expect((await listNotices(client, 'jwt')).items[0]!.details).toEqual([]);
  });
});
