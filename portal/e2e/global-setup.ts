/**
 * Vitest global setup for the `e2e` project: starts the real stack once for all e2e files and shares
 * its addresses through `provide`, so tests read them with `inject('portalUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { DEMO_REP } from './browser';
import { startTestStack, type TestStack } from './stack';

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
  project.provide('repToken', await repToken(stack.strapiUrl));
}

async function repToken(strapiUrl: string): Promise<string> {
  const res = await fetch(`${strapiUrl}/api/auth/local`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: DEMO_REP.email, password: DEMO_REP.password }),
  });
  const body = (await res.json()) as { jwt?: string };
  if (!res.ok || !body.jwt) throw new Error(`The demo rep could not sign in to Strapi (${res.status}): is the demo content seeded?`);
  return body.jwt;
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  stack = undefined;
}
