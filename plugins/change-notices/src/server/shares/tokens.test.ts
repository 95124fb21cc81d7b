import { describe, expect, it } from 'vitest';
import { shareTokens } from './tokens';

describe('share tokens: a stored selector and an HMAC proof', () => {
  const tokens = shareTokens('key-a,key-b');

  it('mints 48 URL-safe characters whose proof checks, and names the row by its selector', () => {
    const { selector, token } = tokens.mint();
    expect(token).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(token.startsWith(selector)).toBe(true);
    expect(tokens.verify(token)).toBe(selector);
    expect(tokens.tokenOf(selector)).toBe(token);
  });

  it('refuses a changed proof, a changed selector, truncated and padded tokens, and other keys', () => {
    const { token } = tokens.mint();
    const flip = (i: number) => token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    for (const bad of [flip(47), flip(20), flip(0), token.slice(0, 47), `${token}A`, '', 'x'.repeat(48), `${token.slice(0, 16)}${'='.repeat(32)}`]) expect(tokens.verify(bad)).toBeNull();
    expect(shareTokens('another-key').verify(token)).toBeNull();
    expect(tokens.verify(42 as unknown as string)).toBeNull();
  });

  it('never mints the same selector twice in a run of 10,000', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) seen.add(tokens.mint().selector);
    expect(seen.size).toBe(10_000);
  });
});
