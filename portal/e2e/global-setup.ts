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
  }
}

let stack: TestStack | undefined;

export async function setup(project: TestProject): Promise<void> {
  stack = await startTestStack();
  project.provide('portalUrl', stack.portalUrl);
  project.provide('strapiUrl', stack.strapiUrl);
  project.provide('repToken', await strapiApi(stack.strapiUrl).signIn(DEMO_REP));
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  stack = undefined;
}
