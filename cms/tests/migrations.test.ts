/**
 * The plugin's tables come from numbered migrations, applied once each and recorded: a second boot
 * applies nothing, and two instances migrating at once apply each migration exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../plugins/change-notices/src/server/database/migrations';
import { startTestCms, type TestCms } from './harness';

describe('plugin table migrations', () => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await startTestCms();
  });
  afterAll(async () => {
    await cms?.stop();
  });

  it('recorded every migration at boot, and applies nothing on the next run', async () => {
    const rows: { id: number }[] = await cms.strapi.db.connection('cn_migrations').orderBy('id');
    expect(rows.map((r) => Number(r.id))).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrate(cms.strapi)).toEqual([]);
    for (const table of ['cn_versions', 'cn_outbox', 'cn_notices', 'cn_deliveries', 'cn_acks', 'cn_subscriptions', 'cn_views']) {
      expect(await cms.strapi.db.connection.schema.hasTable(table)).toBe(true);
    }
  });

  it('two instances migrating at once apply a pending migration exactly once', async () => {
    // Forget migration 1 (it is idempotent over existing tables) and let two "instances" race for it.
    await cms.strapi.db.connection('cn_migrations').where({ id: 1 }).delete();
    const [a, b] = await Promise.all([migrate(cms.strapi), migrate(cms.strapi)]);
    expect([...a, ...b]).toEqual([1]);
    expect(await cms.strapi.db.connection('cn_migrations').where({ id: 1 }).count({ n: '*' })).toEqual([{ n: expect.anything() }]);
    const [{ n }] = await cms.strapi.db.connection('cn_migrations').where({ id: 1 }).count({ n: '*' });
    expect(Number(n)).toBe(1);
  });
});
