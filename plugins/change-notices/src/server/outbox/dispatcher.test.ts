import { describe, expect, it } from 'vitest';
import { backoffMs } from './dispatcher';

describe('backoffMs', () => {
  const opts = { backoffBaseMs: 1000, backoffMaxMs: 60_000 };
  it('doubles per attempt within ±20 % jitter', () => {
    for (const [attempt, base] of [[1, 1000], [2, 2000], [3, 4000], [6, 32_000]] as const) {
      for (let i = 0; i < 50; i++) {
        const ms = backoffMs(attempt, opts);
        expect(ms).toBeGreaterThanOrEqual(base * 0.8);
        expect(ms).toBeLessThanOrEqual(base * 1.2);
      }
    }
  });
  it('never exceeds the cap (plus jitter)', () => {
    expect(backoffMs(30, opts)).toBeLessThanOrEqual(60_000 * 1.2);
  });
});
