import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Meilisearch, type Index } from 'meilisearch';
import { startTestCms, type TestCms } from './harness';
import { startMeili, type TestMeili } from './meili';

/**
 * What the portal talks to: a tenant token that can only search and never sees retracted items, the
 * truth overlay, search logging, and the zero-result queries marketers read as content requests.
 */
describe('search API for the portal', () => {
  let meili: TestMeili;
  let cms: TestCms;
  let marketer: string;
  let rep: string;
  let rep2: string;
  let admin: string;
  let index: Index<any>;
  let retractedId: string;
  let replacementId: string;
  let confirmedId: string;

  const search = () => cms.strapi.plugin('change-notices').service('search');
  const collateral = () => cms.strapi.documents('api::collateral.collateral');
  const tokenClient = async (token = rep) => {
    const res = await cms.api('/api/change-notices/search/token', { token });
    expect(res.status).toBe(200);
    return { data: res.body.data, client: new Meilisearch({ host: res.body.data.url, apiKey: res.body.data.token }) };
  };

  beforeAll(async () => {
    meili = await startMeili();
    cms = await startTestCms({ demoContent: true, env: meili.env });
    marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    rep = await cms.login('rep@candor.local', 'Candor-Rep-1');
    rep2 = await cms.login('rep.two@candor.local', 'Candor-Rep-1');
    admin = (await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } })).body.data.token;
    index = meili.client.index(meili.indexName);
    await search().idle();
    const retracted = await collateral().findFirst({ status: 'published', filters: { standing: 'retracted' } as never, populate: { replacedBy: { fields: ['title'] } } as never });
    retractedId = retracted!.documentId;
    replacementId = (retracted as any).replacedBy.documentId;
    confirmedId = (await collateral().findFirst({ status: 'published', filters: { standing: 'confirmed' } as never }))!.documentId;
  });
  // The outage test stops Meilisearch: whatever happens in it, no later test finds it down.
  afterEach(async () => {
    await meili?.start();
  });
  afterAll(async () => {
    await cms?.stop();
    await meili?.close();
  });

  describe('tenant token', () => {
    it('is issued to signed-in reps only, short-lived, for our index', async () => {
      const { data } = await tokenClient();
      expect(data).toMatchObject({ url: meili.url, indexName: meili.indexName, filter: 'standing != retracted' });
      const ttl = Date.parse(data.expiresAt) - Date.now();
      expect(ttl).toBeGreaterThan(14 * 60_000);
      expect(ttl).toBeLessThanOrEqual(15 * 60_000);
      const claims = JSON.parse(Buffer.from(data.token.split('.')[1], 'base64url').toString());
      expect(claims.searchRules).toEqual({ [meili.indexName]: { filter: 'standing != retracted' } });
      expect(JSON.stringify(data)).not.toContain(meili.masterKey);
      expect((await cms.api('/api/change-notices/search/token')).status).toBe(403);
      const raw = await fetch(`${cms.url}/api/change-notices/search/token`, { headers: { authorization: `Bearer ${rep}` } });
      expect(raw.headers.get('cache-control')).toBe('no-store');
    });

    it('searches, but cannot write, read settings or keys, or reach another index', async () => {
      const { client } = await tokenClient();
      const found = await client.index(meili.indexName).search('pricing', { facets: ['kind'] });
      expect(found.hits.length).toBeGreaterThan(0);
      await expect(client.index(meili.indexName).addDocuments([{ id: 'forged', title: 'Forged', standing: 'confirmed' }])).rejects.toMatchObject({
        response: { status: 403 },
        cause: { code: 'invalid_api_key' },
      });
      await expect(client.index(meili.indexName).deleteDocument(confirmedId)).rejects.toMatchObject({ response: { status: 403 } });
      await expect(client.index(meili.indexName).getSettings()).rejects.toMatchObject({ response: { status: 403 } });
      await expect(client.getKeys()).rejects.toMatchObject({ response: { status: 403 } });
      await meili.client.createIndex('other_index').waitTask();
      await expect(client.index('other_index').search('x')).rejects.toMatchObject({ response: { status: 403 } });
    });

    it('the search-only key behind it cannot write either', async () => {
      const key = await search().searchKey();
      expect(key).toMatchObject({ actions: ['search'], indexes: [meili.indexName], expiresAt: null });
      const client = new Meilisearch({ host: meili.url, apiKey: key.key });
      await expect(client.index(meili.indexName).addDocuments([{ id: 'forged', title: 'Forged' }])).rejects.toMatchObject({
        response: { status: 403 },
        cause: { code: 'invalid_api_key' },
      });
      await expect(client.createIndex('sneaky')).rejects.toMatchObject({ response: { status: 403 } });
    });

    it('never sees a retracted item, even when one is in the index', async () => {
      // A retracted document in the index (a stale write, a hand edit): the master key sees it,
      // the token does not, whatever filter the caller asks for.
      const planted = { ...(await index.getDocument(confirmedId)), id: 'planted-retracted', title: 'Planted retracted quokkaflex item', standing: 'retracted' };
      await index.addDocuments([planted]).waitTask();
      expect((await index.search('quokkaflex')).hits.map((h) => h.id)).toEqual(['planted-retracted']);
      const { client } = await tokenClient();
      expect((await client.index(meili.indexName).search('quokkaflex')).hits).toEqual([]);
      expect((await client.index(meili.indexName).search('', { filter: 'standing = retracted' })).hits).toEqual([]);
      // And the real retracted demo item is not in the index at all.
      expect((await client.index(meili.indexName).search('free migration offer')).hits.map((h) => h.id)).not.toContain(retractedId);
      await index.deleteDocument('planted-retracted').waitTask();
    });
  });

  describe('truth overlay', () => {
    const truth = (query: string, token = rep) => cms.api(`/api/change-notices/search/truth${query}`, { token });

    it('answers the current standing, version and replacement of each id, in a fixed number of queries', async () => {
      const ids = [confirmedId, retractedId, 'nosuchdocument'];
      const queries: string[] = [];
      const onQuery = (q: { sql: string }) => queries.push(q.sql);
      cms.strapi.db.connection.on('query', onQuery);
      const res = await truth(`?ids=${ids.join(',')}`);
      cms.strapi.db.connection.off('query', onQuery);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.data)).toEqual(ids);
      const indexedDoc = await index.getDocument(confirmedId);
      expect(res.body.data[confirmedId]).toMatchObject({ published: true, standing: 'confirmed', version: indexedDoc.version, replacedBy: null });
      expect(res.body.data[retractedId]).toMatchObject({
        published: true,
        standing: 'retracted',
        standingReason: expect.stringContaining('free-migration offer ended'),
        replacedBy: { documentId: replacementId, slug: 'migration-services-packages-and-pricing', title: 'Migration services: packages and pricing' },
      });
      expect(res.body.data.nosuchdocument).toEqual({ documentId: 'nosuchdocument', published: false });
      expect(res.body.meta.checkedAt).toMatch(/^\d{4}-/);
      // users-permissions reads the rep and role first; the truth itself is three batched queries
      // (rows, replacements, versions), however many ids are asked for.
      const own = queries.filter((q) => /collaterals|cn_versions/.test(q));
      expect(own.length).toBeLessThanOrEqual(3);
    });

    it('is ahead of the index: a standing change shows at once, before the outbox has run', async () => {
      const res = await cms.api(`/api/change-notices/standing/collateral/${confirmedId}`, {
        token: marketer,
        body: { standing: 'scaled_back', reason: 'The integration is in beta only.', nowTrue: 'The integration is in public beta; GA in Q3.' },
      });
      expect(res.status).toBe(200);
      const indexedDoc = await index.getDocument(confirmedId);
      const t = (await truth(`?ids=${confirmedId}`)).body.data[confirmedId];
      expect(indexedDoc.standing).toBe('confirmed');
      expect(t).toMatchObject({ standing: 'scaled_back', nowTrue: 'The integration is in public beta; GA in Q3.', version: indexedDoc.version + 1 });
    });

    it('accepts repeated ids[] and removes duplicates', async () => {
      const res = await truth(`?ids[]=${confirmedId}&ids[]=${confirmedId}&ids[]=${retractedId}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.data)).toEqual([confirmedId, retractedId]);
    });

    it.each([
      ['', 'ids is required'],
      ['?ids=', 'ids is required'],
      ['?ids=a%20b', 'each id must be a documentId'],
      [`?ids=${Array.from({ length: 101 }, (_, i) => `id${i}`).join(',')}`, 'at most 100 documentIds'],
      [`?ids=${'x'.repeat(65)}`, 'each id must be a documentId'],
    ])('rejects bad input %s with a 400 that says why', async (query, message) => {
      const res = await truth(query);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(res.body.error.details.errors[0].path[0]).toBe('ids');
    });

    it('is for signed-in reps only', async () => {
      expect((await cms.api(`/api/change-notices/search/truth?ids=${confirmedId}`)).status).toBe(403);
    });
  });

  describe('search log and content requests', () => {
    const log = (body: unknown, token = rep) => cms.api('/api/change-notices/search/log', { token, body });

    it('records a rep’s search with the normalized query', async () => {
      expect((await log({ query: '  Pricing for MARS  ', filters: { kind: ['pricing_sheet'], needsReview: false }, hitCount: 0 })).status).toBe(204);
      const [row] = await cms.strapi.db.query('api::search-log.search-log').findMany({ populate: { user: { select: ['email'] } } });
      expect(row).toMatchObject({ query: 'Pricing for MARS', normalizedQuery: 'pricing for mars', hitCount: 0, filters: { kind: ['pricing_sheet'], needsReview: false } });
      expect(row.user.email).toBe('rep@candor.local');
    });

    it.each([
      [{ query: 'x' }, 'hitCount'],
      [{ query: 'x', hitCount: -1 }, 'hitCount'],
      [{ query: 'x'.repeat(201), hitCount: 0 }, 'query'],
      [{ query: 'x', hitCount: 1, user: 5 }, ''],
      [{ query: 'x', hitCount: 1, filters: 'kind=deck' }, 'filters'],
    ])('rejects %j with a 400 naming the field', async (body, field) => {
      const res = await log(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors[0].path.join('.')).toBe(field);
    });

    it('keeps logs away from reps’ REST', async () => {
      expect((await cms.api('/api/search-logs', { token: rep })).status).toBe(404);
      expect((await cms.api('/api/change-notices/search/log', { body: { query: 'x', hitCount: 0 } })).status).toBe(403);
    });

    it('lists zero-result queries for marketers, grouped, with counts, distinct reps and last seen', async () => {
      await log({ query: 'pricing for mars?', hitCount: 0 }, rep2);
      await log({ query: 'Pricing for Mars', hitCount: 0 });
      await log({ query: 'pricing', hitCount: 12 });
      await log({ query: 'Lunar battlecard', hitCount: 0 }, rep2);
      const res = await cms.api('/change-notices/search/content-requests?days=7', { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        { query: 'pricing for mars', count: 3, users: 2, lastSeenAt: expect.any(String) },
        { query: 'lunar battlecard', count: 1, users: 1, lastSeenAt: expect.any(String) },
      ]);
      expect(Date.now() - Date.parse(res.body.data[0].lastSeenAt)).toBeLessThan(60_000);
      expect((await cms.api('/change-notices/search/content-requests?days=0', { token: admin })).status).toBe(400);
      expect((await cms.api('/change-notices/search/content-requests')).status).toBe(401);
    });

    it('shows marketers the index status and repairs on demand', async () => {
      const status = await cms.api('/change-notices/search/status', { token: admin });
      expect(status.body.data).toMatchObject({ enabled: true, indexName: meili.indexName, documents: expect.any(Number) });
      const rec = await cms.api('/change-notices/search/reconcile', { token: admin, body: {} });
      expect(rec.status).toBe(200);
      expect(rec.body.data).toMatchObject({ trigger: 'admin', outdated: 1 }); // the scale-back above, outbox not run
    });
  });

  it('answers 503 with the reason while Meilisearch is down, and works again once it is back', async () => {
    await meili.stop();
    const down = await cms.api('/change-notices/search/reconcile', { token: admin, body: {} });
    expect(down.status).toBe(503);
    expect(down.body.error).toMatchObject({ name: 'ServiceUnavailableError', message: expect.stringContaining('unreachable') });
    await meili.start();
    expect((await cms.api('/change-notices/search/reconcile', { token: admin, body: {} })).status).toBe(200);
  });
});
