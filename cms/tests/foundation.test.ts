import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCms, type TestCms } from './harness';

describe('the CMS boots with the change-notices plugin, roles and demo content', () => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await startTestCms({ demoContent: true });
  });
  afterAll(async () => {
    await cms?.stop();
  });

  it('runs on the configured database', () => {
    expect(cms.strapi.db.dialect.client).toBe(cms.db === 'postgres' ? 'postgres' : 'sqlite');
  });

  it('loads the compiled plugin and its health route', async () => {
    const res = await cms.api('/api/change-notices/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, plugin: 'change-notices', watching: ['api::collateral.collateral', 'api::claim.claim'] });
  });

  it('seeds the demo story: products, claims and about 20 collateral items', async () => {
    const collateral = await cms.strapi.documents('api::collateral.collateral').findMany({ status: 'published', populate: ['claims'] });
    expect(collateral.length).toBeGreaterThanOrEqual(18);
    const kinds = new Set(collateral.map((c) => c.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(6);
    const tv = await cms.strapi.documents('api::claim.claim').findFirst({ filters: { statement: { $contains: 'National TV' } }, status: 'published' });
    expect(tv).toMatchObject({ standing: 'scaled_back', nowTrue: expect.stringContaining('cable') });
  });

  it('lets a rep sign in and read collateral, but not write it', async () => {
    const jwt = await cms.login('rep@candor.local', 'Candor-Rep-1');
    const list = await cms.api('/api/collaterals?pagination%5BpageSize%5D=5', { token: jwt });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(5);
    const write = await cms.api('/api/collaterals', { token: jwt, body: { data: { title: 'Made up' } } });
    expect(write.status).toBe(403);
  });

  it('gives the public nothing but sign-in', async () => {
    expect((await cms.api('/api/collaterals')).status).toBeGreaterThanOrEqual(401);
    expect((await cms.api('/api/claims')).status).toBeGreaterThanOrEqual(401);
    const bad = await cms.api('/api/auth/local', { body: { identifier: 'rep@candor.local', password: 'wrong' } });
    expect(bad.status).toBe(400);
  });

  it('removes the default API tokens a fresh database creates', async () => {
    const tokens = await cms.strapi.db.query('admin::api-token').findMany({ where: { name: { $in: ['Read Only', 'Full Access'] } } });
    expect(tokens).toEqual([]);
  });

  it('creates the marketer admin from the demo credentials', async () => {
    expect(await cms.strapi.service('admin::user').exists({ email: 'marketing@candor.local' })).toBe(true);
  });
});
