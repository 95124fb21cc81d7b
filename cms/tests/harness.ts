/**
 * Boots the real Strapi app in-process for one test file: a fresh SQLite file or a fresh PostgreSQL
 * database (CANDOR_TEST_DB), the compiled cms/dist and plugin dist, a real HTTP server on a free port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Core } from '@strapi/strapi';
import { CMS_DIR } from '../../scripts/lib/paths';
import { createTestDatabase } from '../../scripts/lib/postgres';

// A plain ESM import of @strapi/strapi fails in vitest (lodash/fp); CommonJS require works.
const require = createRequire(import.meta.url);

export interface TestCms {
  strapi: Core.Strapi;
  url: string;
  db: 'sqlite' | 'postgres';
  /** fetch against the running server, JSON in and out. */
  api(pathname: string, init?: { method?: string; body?: unknown; token?: string }): Promise<{ status: number; body: any }>;
  /** Signs in through users-permissions and returns the JWT. */
  login(identifier: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

const TEST_SECRETS = {
  APP_KEYS: 'test-key-a,test-key-b',
  ADMIN_JWT_SECRET: 'test-admin-jwt-secret',
  API_TOKEN_SALT: 'test-api-token-salt',
  JWT_SECRET: 'test-jwt-secret',
  TRANSFER_TOKEN_SALT: 'test-transfer-salt',
  ENCRYPTION_KEY: 'test-encryption-key',
};

/** An existing database to boot on (another process's, e.g. a worker in the crash test); kept on stop. */
export type SharedDatabase = { client: 'sqlite'; filename: string } | { client: 'postgres'; url: string };

/** A fresh database for a test that shares it with child processes; dropped by the returned function. */
export async function createSharedDatabase(): Promise<{ database: SharedDatabase; drop(): Promise<void> }> {
  if ((process.env.CANDOR_TEST_DB ?? 'sqlite') === 'postgres') {
    const pg = await createTestDatabase('candor_shared');
    return { database: { client: 'postgres', url: pg.url }, drop: pg.drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-shared-'));
  return { database: { client: 'sqlite', filename: path.join(dir, 'cms.db') }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestCms(opts: { demoContent?: boolean; env?: Record<string, string>; database?: SharedDatabase } = {}): Promise<TestCms> {
  const db = opts.database?.client ?? ((process.env.CANDOR_TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-cms-'));
  let dropDb: (() => Promise<void>) | undefined;
  for (const key of ['DATABASE_URL', 'DATABASE_CLIENT', 'DATABASE_FILENAME']) delete process.env[key];
  if (opts.database?.client === 'postgres') {
    process.env.DATABASE_URL = opts.database.url;
  } else if (opts.database?.client === 'sqlite') {
    process.env.DATABASE_FILENAME = opts.database.filename;
  } else if (db === 'postgres') {
    const pg = await createTestDatabase('candor_test');
    process.env.DATABASE_URL = pg.url;
    dropDb = pg.drop;
  } else {
    process.env.DATABASE_FILENAME = path.join(tmp, 'cms.db');
  }
  Object.assign(process.env, TEST_SECRETS, {
    NODE_ENV: 'test',
    STRAPI_TELEMETRY_DISABLED: 'true',
    CANDOR_DEMO_CONTENT: opts.demoContent ? 'true' : 'false',
    // Tests drive the outbox themselves (dispatcher.drain()) unless they ask for the worker.
    NOTICES_DISPATCHER: 'false',
    CANDOR_DEMO_FILES: 'false',
    UPLOADS_DIR: path.join(tmp, 'uploads'),
    CRON_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    ...opts.env,
  });

  // strapi.destroy() calls process.removeAllListeners(), which cuts vitest's channel to its fork. Every
  // listener comes back afterwards, Node's own 'newListener'/'removeListener' first: they ref-count the
  // IPC channel, and without them restored 'message' listeners leave it unref'd, so the fork exits with
  // code 0 as soon as nothing else holds the event loop (vitest: "Worker exited unexpectedly").
  const saved = process
    .eventNames()
    .filter((event): event is string => typeof event === 'string')
    .sort((a, b) => Number(!/^(new|remove)Listener$/.test(a)) - Number(!/^(new|remove)Listener$/.test(b)))
    .map((event) => [event, process.listeners(event as 'message')]) as [string, ((...args: unknown[]) => void)[]][];

  const { createStrapi } = require('@strapi/strapi');
  const strapi: Core.Strapi = await createStrapi({
    appDir: CMS_DIR,
    distDir: path.join(CMS_DIR, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  }).load();
  strapi.server.mount();
  await new Promise<void>((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = strapi.server.httpServer.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;

  const api: TestCms['api'] = async (pathname, init = {}) => {
    const res = await fetch(url + pathname, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  return {
    strapi,
    url,
    db,
    api,
    async login(identifier, password) {
      const res = await api('/api/auth/local', { body: { identifier, password } });
      if (res.status !== 200) throw new Error(`login ${identifier} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.jwt as string;
    },
    async stop() {
      // While destroy() awaits its last promises the IPC channel is unref'd (its listeners are gone):
      // a timer holds the event loop until they are back.
      const keepAlive = setInterval(() => undefined, 60_000);
      try {
        await strapi.destroy();
      } finally {
        for (const [event, listeners] of saved) for (const l of listeners) if (!process.listeners(event as 'message').includes(l)) process.on(event, l);
        clearInterval(keepAlive);
      }
      await dropDb?.();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
