import { describe, expect, it } from 'vitest';
import { CmsError } from './cms';
import { ConfigError } from './config';
import { describeFailure } from './problems';

describe('describeFailure', () => {
  it('sends the rep back to sign in when the session is no longer accepted', () => {
    expect(describeFailure(new CmsError('unauthorized', 'x', { status: 401 }))).toEqual({ kind: 'reauth' });
  });

  it.each([
    ['unreachable', 503],
    ['timeout', 503],
    ['forbidden', 403],
    ['rate_limited', 429],
    ['server_error', 502],
    ['bad_response', 502],
    ['rejected', 502],
  ] as const)('maps %s to %i with a message for people', (code, status) => {
    const outcome = describeFailure(new CmsError(code, 'internal detail'));
    expect(outcome.kind).toBe('problem');
    if (outcome.kind !== 'problem') return;
    expect(outcome.problem.status).toBe(status);
    expect(outcome.problem.title).not.toMatch(/CmsError|undefined/);
    expect(outcome.problem.detail).not.toContain('internal detail');
  });

  it('reports configuration and unknown errors without their internals', () => {
    const config = describeFailure(new ConfigError('STRAPI_URL must be set in production'));
    expect(config).toMatchObject({ kind: 'problem', problem: { status: 503 } });
    const bug = describeFailure(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(bug).toMatchObject({ kind: 'problem', log: true, problem: { status: 500 } });
    expect(JSON.stringify(bug)).not.toContain('Cannot read');
  });
});
