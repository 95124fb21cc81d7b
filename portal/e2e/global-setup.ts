/**
 * Vitest global setup for the `e2e` project: starts the real stack once for all e2e files and shares
 * its addresses through `provide`, so tests read them with `inject('portalUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { startTestStack, type TestStack } from './stack';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built portal, e.g. http://localhost:43135. */
    portalUrl: string;
    /** Strapi, for tests that check the CMS directly. */
    strapiUrl: string;
  }
}

let stack: TestStack | undefined;

export async function setup(project: TestProject): Promise<void> {
  stack = await startTestStack();
  project.provide('portalUrl', stack.portalUrl);
  project.provide('strapiUrl', stack.strapiUrl);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  stack = undefined;
}
