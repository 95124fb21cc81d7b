/**
 * The plugin's admin routes check its registered permissions: an admin whose role lacks them gets
 * 403 on every one, the seeded Marketer role has them all, and the actions are listed for roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCms, type TestCms } from './harness';

const PASSWORD = 'Perm-Test-Password-1';
const ADMIN_ROUTES: [method: string, path: string][] = [
  ['GET', '/change-notices/notices'],
  ['GET', '/change-notices/notices/1'],
  ['GET', '/change-notices/dead-letters'],
  ['POST', '/change-notices/dead-letters/1/retry'],
  ['GET', '/change-notices/outbox/stats'],
  ['GET', '/change-notices/weekly-update'],
  ['GET', '/change-notices/search/content-requests'],
  ['GET', '/change-notices/search/status'],
  ['POST', '/change-notices/search/reconcile'],
  ['GET', '/change-notices/versions/collateral/abc'],
  ['GET', '/change-notices/versions/collateral/abc/1'],
  ['POST', '/change-notices/versions/collateral/abc/1/restore'],
  ['POST', '/change-notices/standing/collateral/abc'],
];

describe('admin permissions of the change-notices plugin', () => {
  let cms: TestCms;
  const tokens: Record<'editor' | 'marketer', string> = { editor: '', marketer: '' };

  beforeAll(async () => {
    cms = await startTestCms({ demoContent: true });
    const users = cms.strapi.service('admin::user');
    const editorRole = await cms.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-editor' } });
    const marketerRole = await cms.strapi.db.query('admin::role').findOne({ where: { code: 'candor-marketer' } });
    for (const [who, role] of [['editor', editorRole], ['marketer', marketerRole]] as const) {
      const email = `${who}.perm@candor.local`;
      await users.create({ email, firstname: who, lastname: 'Test', password: PASSWORD, isActive: true, roles: [role.id], registrationToken: null });
      const login = await cms.api('/admin/login', { body: { email, password: PASSWORD } });
      expect(login.status).toBe(200);
      tokens[who] = login.body.data.token;
    }
  });
  afterAll(async () => {
    await cms?.stop();
  });

  it('registers its actions with Strapi, so roles can be given them', async () => {
    const actions = cms.strapi.service('admin::permission').actionProvider.values().map((a: { actionId: string }) => a.actionId);
    expect(actions).toEqual(
      expect.arrayContaining([
        'plugin::change-notices.notices.read',
        'plugin::change-notices.standing.change',
        'plugin::change-notices.versions.restore',
        'plugin::change-notices.deliveries.retry',
        'plugin::change-notices.search.reindex',
      ])
    );
  });

  it('answers 403 on every admin route to an admin whose role lacks the plugin permissions', async () => {
    for (const [method, path] of ADMIN_ROUTES) {
      const res = await cms.api(path, { method, token: tokens.editor, body: method === 'POST' ? {} : undefined });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });

  it('lets the seeded Marketer role in', async () => {
    for (const [method, path] of ADMIN_ROUTES.filter(([m, p]) => m === 'GET' && !p.includes('/versions/') && !p.includes('/notices/1'))) {
      const res = await cms.api(path, { method, token: tokens.marketer });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const deck = await cms.strapi.documents('api::collateral.collateral').findFirst({ status: 'published' });
    const history = await cms.api(`/change-notices/versions/collateral/${deck!.documentId}`, { token: tokens.marketer });
    expect(history.status).toBe(200);
    const change = await cms.api(`/change-notices/standing/collateral/${deck!.documentId}`, {
      token: tokens.marketer,
      body: { standing: 'scaled_back', reason: 'Permissions test: scaled back.', nowTrue: 'Only what the test says.' },
    });
    expect(change.status).toBe(200);
    expect(change.body.data).toMatchObject({ standing: 'scaled_back', changed: true });
  });
});
