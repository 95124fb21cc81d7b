/**
 * Vitest global setup for the `e2e` project: starts the real stack once for all e2e files and shares
 * its addresses through `provide`, so tests read them with `inject('portalUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { DEMO_REP } from './browser';
import { startTestStack, type TestStack } from './stack';
import { strapiApi } from './strapi';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built portal, e.g. http://localhost:43135. */
    portalUrl: string;
    /** Strapi, for tests that check the CMS directly. */
    strapiUrl: string;
    /**
     * A Strapi JWT of the demo rep. Strapi allows 10 sign-ins a minute per IP and every sign-in
     * comes from 127.0.0.1 here, so tests that are not about signing in start from this session.
     */
    repToken: string;
    /**
     * A Strapi admin panel token of the demo marketer, for tests that call the admin's API. Strapi
     * allows five admin sign-ins in five minutes per e-mail, and the admin UI test needs one of them.
     * It lives 30 minutes (Strapi's default), longer than the e2e run.
     */
    adminToken: string;
    /** Environment for a script run against the stack's data (the import CLI). */
    scriptEnv: Record<string, string>;
  }
}

let stack: TestStack | undefined;

export async function setup(project: TestProject): Promise<void> {
  stack = await startTestStack({ admin: true });
  project.provide('portalUrl', stack.portalUrl);
  project.provide('strapiUrl', stack.strapiUrl);
  project.provide('scriptEnv', stack.scriptEnv);
  const strapi = strapiApi(stack.strapiUrl);
  const adminToken = await strapi.adminToken();
  await demoContentSettled(strapi, adminToken);
  project.provide('adminToken', adminToken);
  project.provide('repToken', await strapi.signIn(DEMO_REP));
}

/** The seed's work that tests read back: its notices, the files' text and the search documents. */
const SEED_TOPICS = ['notice.version', 'file.extract', 'search.sync'];

/**
 * Waits until the demo content's outbox jobs are done, so the first test does not search an index
 * that is still being filled (reading the demo files makes this take a few seconds).
 */
async function demoContentSettled(strapi: ReturnType<typeof strapiApi>, token: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await strapi.request('/change-notices/outbox/stats', token);
    const waiting = ((res.body?.data?.byTopic ?? []) as { topic: string; pending: number; leased: number }[])
      .filter((t) => SEED_TOPICS.includes(t.topic) && t.pending + t.leased > 0);
    if (res.status === 200 && waiting.length === 0) return;
    if (Date.now() > end) throw new Error(`The demo content's jobs did not finish in ${timeoutMs / 1000} s (last: ${res.status} ${JSON.stringify(waiting)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  stack = undefined;
}
