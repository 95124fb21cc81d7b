import { describe, expect, it } from 'vitest';
import { bodyProblem } from './request-guard';

describe('bodyProblem', () => {
  const nested = (n: number) => JSON.parse(`${'['.repeat(n)}1${']'.repeat(n)}`);
  it('counts arrays and objects, not scalars, and stops at the limit', () => {
    expect(bodyProblem({ a: 'x' }, 1)).toBeNull();
    expect(bodyProblem({ a: { b: 'x' } }, 1)).toMatch(/more than 1 levels deep/);
    expect(bodyProblem(nested(64))).toBeNull();
    expect(bodyProblem(nested(65))).toMatch(/64 levels/);
  });
  it('handles bodies far deeper than a call stack allows', () => {
    expect(bodyProblem(nested(200_000))).toMatch(/levels deep/);
  });
  it('refuses NUL in values and in field names, anywhere', () => {
    expect(bodyProblem({ data: { list: ['ok', 'a\u0000b'] } })).toMatch(/NUL/);
    expect(bodyProblem({ 'a\u0000': 1 })).toMatch(/field name/);
    expect(bodyProblem({ data: { text: 'tabs\tand\nnewlines are fine' } })).toBeNull();
  });
});
