import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Index } from 'meilisearch';
import { startTestCms, type TestCms } from './harness';
import { startMeili, type TestMeili } from './meili';
import { startSmtpReceiver } from './receivers';

/**
 * The index follows the CMS through the outbox, against a real Meilisearch: publish, retract, claim
 * propagation, unpublish and delete; an outage the outbox rides out; drift that reconcile repairs;
 * a rebuild that swaps in a fresh index.
 */
describe('search index follows the current truth', () => {
  let meili: TestMeili;
  let cms: TestCms;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let marketer: string;
  let index: Index<any>;

  const search = () => cms.strapi.plugin('change-notices').service('search');
  const dispatcher = () => cms.strapi.plugin('change-notices').service('dispatcher');
  const searchRows = () => cms.strapi.db.connection('cn_outbox').where({ topic: 'search.sync' }).select('id', 'state', 'attempts', 'last_error', 'available_at', 'payload');
  const rowFor = async (documentId: string) => (await searchRows()).filter((r: any) => JSON.parse(r.payload).documentId === documentId);
  /** Runs the outbox until no search.sync row is waiting (waits out short backoffs). */
  const syncSearch = async () => {
    for (let i = 0; i < 100; i++) {
      await dispatcher().drain();
      const open = (await searchRows()).filter((r: any) => r.state === 'pending' || r.state === 'processing');
      if (!open.length) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('search.sync rows still pending');
  };
  const indexed = async (id: string): Promise<any | null> => {
    try {
      return await index.getDocument(id);
    } catch (err: any) {
      if (err?.cause?.code === 'document_not_found') return null;
      throw err;
    }
  };
  const publish = async (data: Record<string, unknown>) => {
    const res = await cms.api('/api/collaterals?status=published', { token: marketer, body: { data } });
    expect(res.status).toBe(201);
    return res.body.data.documentId as string;
  };
  const publishedCount = () => cms.strapi.documents('api::collateral.collateral').count({ status: 'published', filters: { standing: { $ne: 'retracted' } } as never });

  beforeAll(async () => {
    meili = await startMeili();
    smtp = await startSmtpReceiver();
    cms = await startTestCms({
      demoContent: true,
      env: { ...meili.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), NOTICES_BACKOFF_MS: '50', NOTICES_MAX_ATTEMPTS: '3' },
    });
    marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    index = meili.client.index(meili.indexName);
    // The boot reconcile indexes the demo content; the seed's own sync rows then change nothing.
    await search().idle();
    await syncSearch();
  });
  // The outage tests stop Meilisearch: whatever happens in them, the next test finds it running.
  afterEach(async () => {
    await meili?.start();
  });
  afterAll(async () => {
    await cms?.stop();
    await meili?.close();
    await smtp?.close();
  });

  it('applies the index settings at boot, idempotently, and indexes the current demo content', async () => {
    const settings = await index.getSettings();
    expect(settings.filterableAttributes).toEqual(expect.arrayContaining(['products', 'kind', 'stage', 'personas', 'regions', 'standing', 'needsReview']));
    expect(settings.sortableAttributes).toEqual(expect.arrayContaining(['publishedAt', 'updatedAt']));
    expect(settings.searchableAttributes!.slice(0, 4)).toEqual(['title', 'summary', 'claims.statement', 'body']);
    expect(settings.rankingRules!.at(-1)).toBe('publishedAt:desc');
    expect(settings.synonyms!.tv).toContain('television');
    // A second boot finds nothing to change and enqueues no task.
    const before = (await meili.client.tasks.getTasks({ indexUids: [meili.indexName], limit: 1 })).results[0]!.uid;
    expect(await search().applySettings()).toEqual([]);
    expect((await meili.client.tasks.getTasks({ indexUids: [meili.indexName], limit: 1 })).results[0]!.uid).toBe(before);

    expect((await index.getStats()).numberOfDocuments).toBe(await publishedCount());
    const retracted = await cms.strapi.documents('api::collateral.collateral').findFirst({ status: 'published', filters: { standing: 'retracted' } as never });
    expect(retracted).toBeTruthy();
    expect(await indexed(retracted!.documentId)).toBeNull();
    // With a handler, no search.sync row dead-letters any more.
    expect((await searchRows()).filter((r: any) => r.state === 'dead')).toEqual([]);
  });

  let deckId: string;
  it('indexes a publish once its outbox row is delivered: typo-tolerant, with synonyms, version and standing', async () => {
    deckId = await publish({
      title: 'Zephyrine television launch deck',
      slug: 'zephyrine-television-launch-deck',
      kind: 'deck',
      summary: 'How the Zephyrine launch reaches buyers.',
      body: '## The plan\n\nA **national** campaign on [prime time](https://example.com) television.',
    });
    expect(await indexed(deckId)).toBeNull();
    await syncSearch();
    const doc = await indexed(deckId);
    expect(doc).toMatchObject({ id: deckId, title: 'Zephyrine television launch deck', standing: 'confirmed', version: 1, kindLabel: 'Deck', needsReview: false });
    expect(doc.body).toBe('The plan\nA national campaign on prime time television.');

    expect((await index.search('zephyrine')).hits.map((h) => h.id)).toContain(deckId);
    expect((await index.search('zephyrin')).hits.map((h) => h.id)).toContain(deckId); // one typo
    expect((await index.search('zephyrine TV')).hits.map((h) => h.id)).toContain(deckId); // TV ↔ television
    expect((await index.search('zephyrine presentation')).hits.map((h) => h.id)).toContain(deckId); // deck ↔ presentation
    const faceted = await index.search('zephyrine', { filter: 'kind = deck AND standing = confirmed', facets: ['kind'] });
    expect(faceted.hits.map((h) => h.id)).toEqual([deckId]);
  });

  it('retracting removes the item from the index; until the row is delivered the index lags (hence the truth overlay)', async () => {
    const res = await cms.api(`/api/change-notices/standing/collateral/${deckId}`, { token: marketer, body: { standing: 'retracted', reason: 'There is no Zephyrine TV campaign.' } });
    expect(res.status).toBe(200);
    expect(await indexed(deckId)).toMatchObject({ standing: 'confirmed' }); // the lag
    await syncSearch();
    expect(await indexed(deckId)).toBeNull();
    expect((await index.search('zephyrine')).hits.map((h) => h.id)).not.toContain(deckId);
  });

  it('scaling back a claim re-indexes every collateral that makes it: new claim standing and the review flag', async () => {
    const claim = await cms.api('/api/claims?status=published', { token: marketer, body: { data: { statement: 'Quasarline ships in every region in Q1', slug: 'quasarline-q1' } } });
    const claimId = claim.body.data.documentId as string;
    const a = await publish({ title: 'Quasarline one-pager', slug: 'quasarline-one-pager', kind: 'one_pager', summary: 'Quasarline at a glance.', claims: [claimId] });
    const b = await publish({ title: 'Quasarline battlecard', slug: 'quasarline-battlecard', kind: 'battlecard', summary: 'Quasarline against the rest.', claims: [claimId] });
    await syncSearch();
    const before = await indexed(a);
    expect(before.claims).toEqual([expect.objectContaining({ documentId: claimId, standing: 'confirmed' })]);

    const res = await cms.api(`/api/change-notices/standing/claim/${claimId}`, {
      token: marketer,
      body: { standing: 'scaled_back', reason: 'Two regions slipped to Q2.', nowTrue: 'Quasarline ships in North America and EMEA in Q1; APAC and LATAM in Q2.' },
    });
    expect(res.body.data.flaggedCollateral).toBe(2);
    await syncSearch();
    for (const id of [a, b]) {
      const doc = await indexed(id);
      expect(doc.claims[0]).toMatchObject({ standing: 'scaled_back', nowTrue: expect.stringContaining('APAC and LATAM in Q2') });
      expect(doc).toMatchObject({ needsReview: true, reviewNote: expect.stringContaining('Quasarline'), version: 1 });
      expect(doc.rev).not.toBe(before.rev);
    }
    const flagged = await index.search('quasarline', { filter: 'needsReview = true AND claims.standing = scaled_back' });
    expect(flagged.hits.map((h) => h.id).sort()).toEqual([a, b].sort());
  });

  it('unpublishing and deleting remove the item', async () => {
    const a = await publish({ title: 'Obsidianfall talk track', slug: 'obsidianfall-talk-track', kind: 'talk_track', summary: 'What to say about Obsidianfall.' });
    const b = await publish({ title: 'Obsidianfall case study', slug: 'obsidianfall-case-study', kind: 'case_study', summary: 'Obsidianfall in the wild.' });
    await syncSearch();
    expect(await indexed(a)).toBeTruthy();
    expect(await indexed(b)).toBeTruthy();
    await cms.strapi.documents('api::collateral.collateral').unpublish({ documentId: a });
    expect((await cms.api(`/api/collaterals/${b}`, { method: 'DELETE', token: marketer })).status).toBeLessThan(300);
    await syncSearch();
    expect(await indexed(a)).toBeNull();
    expect(await indexed(b)).toBeNull();
  });

  it('rides out a Meilisearch outage: the outbox retries with backoff until the index has the change', async () => {
    await meili.stop();
    const id = await publish({ title: 'Nimbostrata pricing sheet', slug: 'nimbostrata-pricing-sheet', kind: 'pricing_sheet', summary: 'Nimbostrata prices for 2027.' });
    // Exactly one round, not drain(): a drain goes round again whenever the 50 ms backoff has passed,
    // so how often it tries would depend on how busy the machine is.
    const failedAt = Date.now();
    await dispatcher().runBatch();
    const [row] = await rowFor(id);
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    expect(row.last_error).toContain('unreachable');
    // Put off by the backoff (50 ms, less at most 20 % jitter), not retried at once.
    expect(Number(row.available_at)).toBeGreaterThanOrEqual(failedAt + 40);

    await meili.start();
    await syncSearch();
    const delivered = (await searchRows()).find((r: any) => r.id === row.id);
    expect(delivered).toMatchObject({ state: 'done', last_error: null });
    expect(delivered.attempts).toBeGreaterThanOrEqual(2); // the failed try, then the one that got through
    expect(await indexed(id)).toMatchObject({ title: 'Nimbostrata pricing sheet', version: 1 });
  });

  it('reconcile repairs what a long outage left behind (a retraction whose sync was dead-lettered)', async () => {
    const id = await publish({ title: 'Cirrocumulus expansion deck', slug: 'cirrocumulus-expansion-deck', kind: 'deck', summary: 'From one product to the suite.' });
    await syncSearch();
    await meili.stop();
    const retract = await cms.api(`/api/change-notices/standing/collateral/${id}`, { token: marketer, body: { standing: 'retracted', reason: 'Cirrocumulus was discontinued.' } });
    expect(retract.status).toBe(200);
    await syncSearch(); // runs until the row is settled: with Meilisearch down, that is a dead letter
    const dead = (await rowFor(id)).filter((r: any) => r.state === 'dead');
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ attempts: 3, last_error: expect.stringContaining('unreachable') }); // NOTICES_MAX_ATTEMPTS

    await meili.start();
    expect(await indexed(id)).toMatchObject({ standing: 'confirmed' }); // the index is wrong
    const result = await search().reconcile('test');
    expect(result).toMatchObject({ removed: 1, missing: 0, outdated: 0 });
    expect(await indexed(id)).toBeNull();
  });

  it('reconcile repairs manual drift both ways by version and revision, and re-uploads nothing when in line', async () => {
    const [a, b] = (await index.search('', { filter: 'standing = confirmed', limit: 2, sort: ['title:asc'] })).hits.map((h) => h.id as string);
    await index.deleteDocument(a!).waitTask();
    const good = await indexed(b!);
    await index.addDocuments([{ ...good, title: 'An outdated title', version: 0, rev: 'stale' }, { id: 'ghost-document', title: 'Never published', standing: 'confirmed', rev: 'x' }]).waitTask();

    const result = await search().reconcile('test');
    expect(result).toMatchObject({ missing: 1, outdated: 1, removed: 1, current: await publishedCount() });
    expect(await indexed(a!)).toBeTruthy();
    expect(await indexed(b!)).toEqual(good);
    expect(await indexed('ghost-document')).toBeNull();

    const lastTask = (await meili.client.tasks.getTasks({ indexUids: [meili.indexName], limit: 1 })).results[0]!.uid;
    expect(await search().reconcile('test')).toMatchObject({ missing: 0, outdated: 0, removed: 0 });
    expect((await meili.client.tasks.getTasks({ indexUids: [meili.indexName], limit: 1 })).results[0]!.uid).toBe(lastTask);
  });

  it('reconcile catches changes that have no outbox row (a renamed product)', async () => {
    const product = await cms.strapi.documents('api::product.product').findFirst({ filters: { name: 'Aurora Vault' } as never });
    await cms.strapi.documents('api::product.product').update({ documentId: product!.documentId, data: { name: 'Aurora Vault Plus' } as never });
    const result = await search().reconcile('test');
    expect(result.outdated).toBeGreaterThan(0);
    expect((await index.search('', { filter: 'products = "Aurora Vault Plus"' })).estimatedTotalHits).toBe(result.outdated);
  });

  it('a rebuild swaps in a fresh index with the same settings and drops what should not be there', async () => {
    await index.addDocuments([{ id: 'leftover', title: 'Leftover', standing: 'confirmed', rev: 'x' }]).waitTask();
    const progress: number[] = [];
    let total = 0;
    const result = await search().rebuild({ onStart: (n: number) => (total = n), onProgress: (n: number) => progress.push(n) });
    expect(result).toMatchObject({ indexed: await publishedCount(), removed: 1 });
    expect(total).toBe(result.indexed);
    expect(progress.at(-1)).toBe(result.indexed);
    expect((await index.getStats()).numberOfDocuments).toBe(result.indexed);
    expect(await indexed('leftover')).toBeNull();
    expect((await index.getSettings()).filterableAttributes).toContain('standing');
    expect((await meili.client.getIndexes({ limit: 100 })).results.map((i) => i.uid).filter((u) => u.startsWith(meili.indexName))).toEqual([meili.indexName]);
  });
});
