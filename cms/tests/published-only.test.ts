import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCms, type TestCms } from './harness';

const COLLATERAL = 'api::collateral.collateral';
const CLAIM = 'api::claim.claim';

/** Words that only drafts carry: if one shows up in an answer to a rep, a draft leaked. */
const SECRET = {
  unreleasedItem: 'Zephyrine launch kit',
  unreleasedClaim: 'Zephyrine cuts onboarding to nine minutes',
  editedTitle: 'Quillfeather pricing rewrite',
  editedClaim: 'Quillfeather uptime is now 99.999 percent',
};
const SECRET_WORDS = ['Zephyrine', 'Quillfeather'];

function leaked(body: unknown): string[] {
  const text = JSON.stringify(body ?? null);
  return SECRET_WORDS.filter((w) => text.includes(w));
}

describe('reps and anonymous clients only ever see published content', () => {
  let cms: TestCms;
  let rep: string;
  let marketer: string;
  /** A published deck whose draft carries an unpublished title and an unpublished claim. */
  let edited: { documentId: string; slug: string };
  /** A collateral item that was never published. */
  let unreleased: { documentId: string; slug: string };
  /** A claim that was never published, and a published one with an unpublished edit. */
  let draftClaim: { documentId: string };
  let editedClaim: { documentId: string };

  beforeAll(async () => {
    cms = await startTestCms({ demoContent: true });
    rep = await cms.login('rep@candor.local', 'Candor-Rep-1');
    marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    const docs = cms.strapi.documents;

    // What marketing has in the works, the way the admin leaves it: drafts next to published versions.
    draftClaim = await docs(CLAIM).create({ data: { statement: SECRET.unreleasedClaim, slug: 'zephyrine-onboarding', standing: 'confirmed' } as never });
    const published = (await docs(CLAIM).findFirst({ status: 'published', filters: { standing: 'confirmed' } as never }))!;
    editedClaim = await docs(CLAIM).update({ documentId: published.documentId, data: { statement: SECRET.editedClaim } as never, status: 'draft' } as never) as never;

    unreleased = (await docs(COLLATERAL).create({
      data: { title: SECRET.unreleasedItem, slug: 'zephyrine-launch-kit', kind: 'one_pager', summary: 'Zephyrine: not announced yet.', standing: 'confirmed', claims: [draftClaim.documentId] } as never,
    })) as never;
    const deck = (await docs(COLLATERAL).findFirst({ status: 'published', filters: { slug: 'pricing-sheet-2026-aurora-pulse' } as never }))!;
    const deckDraft = (await docs(COLLATERAL).findOne({ documentId: deck.documentId, status: 'draft', populate: { claims: { fields: ['documentId'] } } as never })) as any;
    await docs(COLLATERAL).update({
      documentId: deck.documentId,
      status: 'draft',
      data: { title: SECRET.editedTitle, claims: [...deckDraft.claims.map((c: any) => c.documentId), draftClaim.documentId, editedClaim.documentId] } as never,
    } as never);
    edited = { documentId: deck.documentId, slug: deck.slug as string };

    // The drafts really are there, for someone allowed to see them.
    const drafts = await docs(COLLATERAL).findMany({ status: 'draft', filters: { title: { $containsi: 'Zephyrine' } } as never });
    expect(drafts).toHaveLength(1);
  });
  afterAll(async () => {
    await cms?.stop();
  });

  const q = (s: string) => s;
  const probes = () => [
    // Lists
    q('/api/collaterals?status=draft'),
    q('/api/collaterals?status=draft&pagination[pageSize]=100'),
    q('/api/collaterals?populate=*'),
    q('/api/collaterals?populate=*&status=draft'),
    q('/api/collaterals?populate[claims]=*'),
    q('/api/collaterals?populate[claims]=*&status=draft'),
    q('/api/collaterals?populate[claims][populate]=*&status=draft'),
    q('/api/collaterals?fields[0]=title&fields[1]=summary&status=draft'),
    q(`/api/collaterals?filters[title][$containsi]=zephyrine&status=draft`),
    q(`/api/collaterals?filters[claims][statement][$containsi]=zephyrine`),
    q(`/api/collaterals?filters[claims][statement][$containsi]=quillfeather&populate[claims]=*`),
    q(`/api/collaterals?filters[claims][statement][$containsi]=zephyrine&status=draft`),
    q('/api/collaterals?publicationFilter=never-published&status=draft'),
    q('/api/collaterals?hasPublishedVersion=false&status=draft'),
    q('/api/claims?status=draft'),
    q('/api/claims?populate=*&status=draft'),
    q('/api/claims?populate[collaterals]=*'),
    q('/api/claims?populate[collaterals][fields][0]=title&status=draft'),
    q(`/api/claims?filters[statement][$containsi]=zephyrine&status=draft`),
    q(`/api/claims?filters[collaterals][title][$containsi]=quillfeather`),
    q('/api/products?populate=*&status=draft'),
    q('/api/regions?populate=*&status=draft'),
    q('/api/personas?populate=*&status=draft'),
    // Single items
    q(`/api/collaterals/${unreleased.documentId}`),
    q(`/api/collaterals/${unreleased.documentId}?status=draft`),
    q(`/api/collaterals/${unreleased.documentId}?status=draft&populate=*`),
    q(`/api/collaterals/${edited.documentId}?status=draft`),
    q(`/api/collaterals/${edited.documentId}?status=draft&populate[claims]=*`),
    q(`/api/collaterals/${edited.documentId}?populate=*`),
    q(`/api/collaterals/${edited.documentId}?populate[claims]=*`),
    q(`/api/collaterals/${edited.documentId}?fields[0]=title&status=draft`),
    q(`/api/collaterals/${edited.documentId}?populate[claims][filters][statement][$containsi]=quillfeather&status=draft`),
    q(`/api/claims/${draftClaim.documentId}?status=draft`),
    q(`/api/claims/${editedClaim.documentId}?status=draft`),
    q(`/api/claims/${editedClaim.documentId}?status=draft&populate=*`),
    q(`/api/collaterals/by-slug/${unreleased.slug}?status=draft`),
    q(`/api/collaterals/by-slug/${edited.slug}?status=draft&populate=*`),
    // The plugin's reads: history and the truth overlay are of published versions only.
    q(`/api/change-notices/versions/collateral/${unreleased.documentId}`),
    q(`/api/change-notices/versions/collateral/${edited.documentId}`),
    q(`/api/change-notices/search/truth?ids=${unreleased.documentId},${edited.documentId}`),
    q('/api/change-notices/recent?days=90&limit=100'),
  ];

  it('a rep never gets draft data back, whatever the query asks for', async () => {
    const leaks: string[] = [];
    for (const path of probes()) {
      const res = await cms.api(path, { token: rep });
      expect(res.status, path).toBeLessThan(500);
      const words = leaked(res.body);
      if (words.length) leaks.push(`${path} → ${res.status} ${words.join(', ')}`);
    }
    expect(leaks).toEqual([]);
  });

  it('an anonymous client gets no content at all, drafts least of all', async () => {
    for (const path of probes()) {
      const res = await cms.api(path);
      expect(res.status, path).toBeLessThan(500);
      expect(leaked(res.body), path).toEqual([]);
      if (path.startsWith('/api/collaterals') || path.startsWith('/api/claims')) expect([401, 403], path).toContain(res.status);
    }
  });

  it('a rep reading with status=draft gets exactly the published answer', async () => {
    const published = await cms.api(`/api/collaterals/${edited.documentId}?populate[claims][fields][0]=statement`, { token: rep });
    const asDraft = await cms.api(`/api/collaterals/${edited.documentId}?populate[claims][fields][0]=statement&status=draft`, { token: rep });
    expect(published.status).toBe(200);
    expect(published.body.data.title).toBe('Pricing sheet 2026: Aurora Pulse');
    expect(asDraft.body).toEqual(published.body);

    const unreleasedOne = await cms.api(`/api/collaterals/${unreleased.documentId}?status=draft`, { token: rep });
    expect(unreleasedOne.status).toBe(404);
    const list = await cms.api('/api/collaterals?status=draft&pagination[pageSize]=100&fields[0]=title', { token: rep });
    const plain = await cms.api('/api/collaterals?pagination[pageSize]=100&fields[0]=title', { token: rep });
    expect(list.body.data.map((d: any) => d.documentId).sort()).toEqual(plain.body.data.map((d: any) => d.documentId).sort());
    // Which published items have pending drafts is marketing's business too.
    const pending = await cms.api('/api/collaterals?publicationFilter=published-with-draft&pagination[pageSize]=100&fields[0]=title', { token: rep });
    expect(pending.body.data.length).toBe(plain.body.data.length);
  });

  it('marketers, who write the drafts, still read them over REST', async () => {
    const res = await cms.api(`/api/collaterals/${unreleased.documentId}?status=draft`, { token: marketer });
    expect(res.status).toBe(200);
    expect(res.body.data.title).toBe(SECRET.unreleasedItem);
    const claims = await cms.api(`/api/claims?status=draft&filters[statement][$containsi]=zephyrine`, { token: marketer });
    expect(claims.body.data.map((c: any) => c.statement)).toEqual([SECRET.unreleasedClaim]);
  });
});
