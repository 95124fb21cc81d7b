import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCms, type TestCms } from './harness';

/**
 * The story Candor exists for, over REST: publish collateral that makes the "National TV campaign"
 * claim → scale the claim back → the collateral is flagged and the claim has version 2 with a diff
 * and the reason → retract the collateral with a replacement → reps get a tombstone, not the item.
 */
describe('versions, standing changes, claim propagation and retraction', () => {
  let cms: TestCms;
  let marketer: string;
  let rep: string;
  let claimId: string;
  let deckId: string;
  let replacementId: string;

  const outboxRows = () => cms.strapi.db.connection('cn_outbox').select('topic', 'idempotency_key', 'payload');
  const versionsOf = async (kind: string, id: string, token = marketer) => (await cms.api(`/api/change-notices/versions/${kind}/${id}`, { token })).body.data;
  const publishedDeck = () => cms.strapi.documents('api::collateral.collateral').findOne({ documentId: deckId, status: 'published' });

  beforeAll(async () => {
    cms = await startTestCms({ demoContent: true });
    marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    rep = await cms.login('rep@candor.local', 'Candor-Rep-1');
  });
  afterAll(async () => {
    await cms?.stop();
  });

  it('records version 1 when a marketer publishes over REST', async () => {
    const claim = await cms.api('/api/claims?status=published', {
      token: marketer,
      body: { data: { statement: 'Nationwide TV campaign in Q4 2027', slug: 'tv-q4-2027', details: 'Prime-time national TV from October.' } },
    });
    expect(claim.status).toBe(201);
    claimId = claim.body.data.documentId;

    const deck = await cms.api('/api/collaterals?status=published', {
      token: marketer,
      body: {
        data: {
          title: 'Holiday launch deck',
          slug: 'holiday-launch-deck',
          kind: 'deck',
          summary: 'The holiday launch story.',
          body: 'Our national TV campaign reaches every home in prime time.',
          claims: [claimId],
        },
      },
    });
    expect(deck.status).toBe(201);
    deckId = deck.body.data.documentId;

    const [v1] = await versionsOf('collateral', deckId);
    expect(v1).toMatchObject({ number: 1, cause: 'publish', summary: 'First published version.', standing: 'confirmed', title: 'Holiday launch deck' });
    expect(v1.author).toMatchObject({ kind: 'user', name: 'Morgan Marketing' });
  });

  it('writes nothing more when the same publish event fires again', async () => {
    const docs = cms.strapi.documents('api::collateral.collateral');
    await docs.publish({ documentId: deckId });
    await docs.publish({ documentId: deckId });
    expect(await versionsOf('collateral', deckId)).toHaveLength(1);
    const notices = (await outboxRows()).filter((r: any) => r.idempotency_key.startsWith(`notice:api::collateral.collateral:${deckId}`));
    expect(notices).toHaveLength(1);
  });

  it('scales the claim back: version 2 with the diff and reason, and the collateral is flagged', async () => {
    const res = await cms.api(`/api/change-notices/standing/claim/${claimId}`, {
      token: marketer,
      body: { standing: 'scaled_back', reason: 'The Q4 media budget was cut by 70 %.', nowTrue: 'Spot cable ads in selected markets', note: 'Tell partners this week.' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ standing: 'scaled_back', version: 2, changed: true, flaggedCollateral: 1 });

    const [v2, v1] = await versionsOf('claim', claimId);
    expect(v1.number).toBe(1);
    expect(v2).toMatchObject({ number: 2, cause: 'standing', standing: 'scaled_back', standingReason: 'The Q4 media budget was cut by 70 %.', nowTrue: 'Spot cable ads in selected markets', note: 'Tell partners this week.' });
    expect(v2.changes.map((c: any) => c.field)).toEqual(['standing', 'standingReason', 'nowTrue']);
    expect(v2.summary).toContain('Standing: Confirmed → Scaled back');

    const deck = await publishedDeck();
    expect(deck).toMatchObject({ needsReview: true, reviewNote: expect.stringContaining('Spot cable ads in selected markets') });
    // The rep's page shows the claim's new truth.
    const page = await cms.api('/api/collaterals/by-slug/holiday-launch-deck', { token: rep });
    expect(page.status).toBe(200);
    expect(page.body.data.claims[0]).toMatchObject({ standing: 'scaled_back', nowTrue: 'Spot cable ads in selected markets' });
    expect(page.body.data.needsReview).toBe(true);

    const topics = (await outboxRows()).map((r: any) => r.idempotency_key);
    expect(topics).toEqual(expect.arrayContaining([`notice:api::claim.claim:${claimId}:v2`, `search:${deckId}:claim:${claimId}:v2`]));
  });

  it('treats a repeated standing request as done, without a new version or notice', async () => {
    const before = (await outboxRows()).length;
    const res = await cms.api(`/api/change-notices/standing/claim/${claimId}`, {
      token: marketer,
      body: { standing: 'scaled_back', reason: 'The Q4 media budget was cut by 70 %.', nowTrue: 'Spot cable ads in selected markets' },
    });
    expect(res.body.data).toMatchObject({ changed: false, version: 2 });
    expect(await versionsOf('claim', claimId)).toHaveLength(2);
    expect((await outboxRows()).length).toBe(before);
  });

  it('diffs long text word by word when the collateral is republished', async () => {
    const res = await cms.api(`/api/collaterals/${deckId}?status=published`, {
      method: 'PUT',
      token: marketer,
      body: { data: { body: 'Our campaign runs spot cable ads in selected markets.' } },
    });
    expect(res.status).toBe(200);
    const [v2] = await versionsOf('collateral', deckId);
    expect(v2.number).toBe(2);
    const body = v2.changes.find((c: any) => c.field === 'body');
    expect(body.words.filter((w: any) => w.op === 'removed').map((w: any) => w.text).join(' ')).toContain('national TV');
    expect(body.words.filter((w: any) => w.op === 'added').map((w: any) => w.text).join(' ')).toContain('spot cable ads');
    expect(v2.summary).toMatch(/Body edited \(\+\d+ −\d+ words\)/);
  });

  it('retracts the collateral with a replacement: reps get a tombstone, never the item as current', async () => {
    const replacement = await cms.api('/api/collaterals?status=published', {
      token: marketer,
      body: { data: { title: 'Cable spots one-pager', slug: 'cable-spots-one-pager', kind: 'one_pager', summary: 'Where the cable spots run.' } },
    });
    replacementId = replacement.body.data.documentId;

    const res = await cms.api(`/api/change-notices/standing/collateral/${deckId}`, {
      token: marketer,
      body: { standing: 'retracted', reason: 'There is no national TV campaign.', replacement: replacementId },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ standing: 'retracted', version: 3, changed: true });
    const [v3] = await versionsOf('collateral', deckId);
    expect(v3.changes.find((c: any) => c.field === 'replacedBy')).toMatchObject({ added: ['Cable spots one-pager'] });

    const page = await cms.api('/api/collaterals/by-slug/holiday-launch-deck', { token: rep });
    expect(page.status).toBe(410);
    expect(page.body.error.details.tombstone).toMatchObject({
      reason: 'There is no national TV campaign.',
      replacedBy: { slug: 'cable-spots-one-pager', title: 'Cable spots one-pager' },
    });
    expect((await cms.api(`/api/collaterals/${deckId}`, { token: rep })).status).toBe(410);
    const list = await cms.api('/api/collaterals?pagination%5BpageSize%5D=100', { token: rep });
    expect(list.body.data.map((c: any) => c.documentId)).not.toContain(deckId);
    expect(list.body.data.map((c: any) => c.documentId)).toContain(replacementId);
    // History stays readable to reps.
    expect(await versionsOf('collateral', deckId, rep)).toHaveLength(3);
  });

  describe('bad input is rejected with a clear error and changes nothing', () => {
    const attempt = async (token: string | undefined, kind: string, id: string, body: unknown) => {
      const versionsBefore = (await versionsOf(kind, id)).length;
      const outboxBefore = (await outboxRows()).length;
      const res = await cms.api(`/api/change-notices/standing/${kind}/${id}`, { token, body });
      expect((await versionsOf(kind, id)).length).toBe(versionsBefore);
      expect((await outboxRows()).length).toBe(outboxBefore);
      return res;
    };

    it('a missing reason', async () => {
      const res = await attempt(marketer, 'collateral', replacementId, { standing: 'scaled_back', nowTrue: 'Only in EMEA' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/reason is required/);
      expect(res.body.error.details.errors[0].path).toEqual(['reason']);
      expect((await cms.strapi.documents('api::collateral.collateral').findOne({ documentId: replacementId, status: 'published' }))!.standing).toBe('confirmed');
    });

    it('scaling back without what is true now', async () => {
      const res = await attempt(marketer, 'claim', claimId, { standing: 'scaled_back', reason: 'Budget cut again' });
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors.map((e: any) => e.path[0])).toEqual(['nowTrue']);
    });

    it('an unknown standing', async () => {
      const res = await attempt(marketer, 'claim', claimId, { standing: 'paused', reason: 'Because we said so' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('standing must be one of: confirmed, scaled_back, retracted');
    });

    it('a replacement that is itself or not published', async () => {
      const self = await attempt(marketer, 'collateral', replacementId, { standing: 'retracted', reason: 'Replaced by itself', replacement: replacementId });
      expect(self.status).toBe(400);
      const missing = await attempt(marketer, 'collateral', replacementId, { standing: 'retracted', reason: 'Replaced by nothing', replacement: 'no-such-document' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.details.errors[0].path).toEqual(['replacement']);
    });

    it('a rep trying to retract, and the public trying anything', async () => {
      const byRep = await attempt(rep, 'collateral', replacementId, { standing: 'retracted', reason: 'I do not like it' });
      expect(byRep.status).toBe(403);
      const byPublic = await attempt(undefined, 'collateral', replacementId, { standing: 'retracted', reason: 'Anonymous' });
      expect([401, 403]).toContain(byPublic.status);
      expect((await cms.api(`/api/change-notices/versions/collateral/${replacementId}`)).status).toBeGreaterThanOrEqual(401);
    });

    it('an unknown document and a malformed URL', async () => {
      expect((await cms.api('/api/change-notices/standing/claim/nope', { token: marketer, body: { standing: 'confirmed', reason: 'Reconfirmed by legal' } })).status).toBe(404);
      const badKind = await cms.api(`/api/change-notices/standing/widget/${claimId}`, { token: marketer, body: { standing: 'confirmed', reason: 'Reconfirmed by legal' } });
      expect(badKind.status).toBe(400);
      expect(badKind.body.error.message).toContain('kind must be "collateral" or "claim"');
    });

    it('a standing edit through the normal REST update without its reason', async () => {
      const res = await cms.api(`/api/collaterals/${replacementId}?status=published`, {
        method: 'PUT',
        token: marketer,
        body: { data: { standing: 'scaled_back', summary: 'Changed summary that must not be saved' } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors.map((e: any) => e.path[0]).sort()).toEqual(['nowTrue', 'standingReason']);
      const doc = await cms.strapi.documents('api::collateral.collateral').findOne({ documentId: replacementId, status: 'published' });
      expect(doc).toMatchObject({ standing: 'confirmed', summary: 'Where the cable spots run.' });
    });
  });

  it('restores an old version into a new draft without rewriting history', async () => {
    const res = await cms.api(`/api/change-notices/versions/claim/${claimId}/1/restore`, { token: marketer, body: {} });
    expect(res.status).toBe(200);
    const versions = await versionsOf('claim', claimId);
    expect(versions).toHaveLength(2);
    const draft = await cms.strapi.documents('api::claim.claim').findOne({ documentId: claimId, status: 'draft' });
    expect(draft).toMatchObject({ details: 'Prime-time national TV from October.', standing: 'scaled_back' });
    const v1 = (await cms.api(`/api/change-notices/versions/claim/${claimId}/1`, { token: rep })).body.data;
    expect(v1.snapshot).toMatchObject({ statement: 'Nationwide TV campaign in Q4 2027', standing: 'confirmed' });
  });

  it('serves the same actions to the admin panel', async () => {
    const login = await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } });
    expect(login.status).toBe(200);
    const token = login.body.data.token;
    const res = await cms.api(`/change-notices/standing/claim/${claimId}`, { token, body: { standing: 'confirmed', reason: 'Legal confirmed the cable plan.' } });
    expect(res.status).toBe(200);
    const [latest] = (await cms.api(`/change-notices/versions/claim/${claimId}`, { token })).body.data;
    expect(latest).toMatchObject({ number: 3, standing: 'confirmed', author: { kind: 'admin', name: 'Morgan Marketing' } });
    expect((await cms.api(`/change-notices/versions/claim/${claimId}`)).status).toBe(401);
  });

  it('lists what is new and what changed lately for the portal home', async () => {
    const res = await cms.api('/api/change-notices/recent?days=7', { token: rep });
    expect(res.status).toBe(200);
    const changed = res.body.data.changed.find((c: any) => c.documentId === claimId || c.slug === 'holiday-launch-deck');
    expect(changed).toMatchObject({ slug: 'holiday-launch-deck', standing: 'retracted', number: 3 });
    expect(res.body.data.created.map((c: any) => c.slug)).toContain('cable-spots-one-pager');
    expect(res.body.data.created.map((c: any) => c.slug)).not.toContain('holiday-launch-deck');
    expect((await cms.api('/api/change-notices/recent?days=400', { token: rep })).status).toBe(400);
    expect((await cms.api('/api/change-notices/recent')).status).toBeGreaterThanOrEqual(401);
  });
});
