import crypto from 'node:crypto';
import { SHARE_TOKEN_PATTERN } from '../../shared/contracts';

/**
 * A share token is `selector + proof`: 16 characters of a random 96-bit selector naming the row, then
 * 32 characters of HMAC-SHA256(secret, selector) cut to 192 bits. Only the selector is stored, so the
 * database alone cannot make a working link, yet the rep's link can be shown again at any time; the
 * proof is compared in constant time, so answers do not time how much of a guess was right.
 */
const SELECTOR_CHARS = 16;
const PROOF_BYTES = 24;

export interface ShareTokens {
  mint(): { selector: string; token: string };
  tokenOf(selector: string): string;
  /** The selector of a well-formed token whose proof checks, or null. */
  verify(token: string): string | null;
}

export function shareTokens(secret: string): ShareTokens {
  const key = crypto.createHash('sha256').update(`candor-share:${secret}`).digest();
  const proofOf = (selector: string) => crypto.createHmac('sha256', key).update(selector).digest().subarray(0, PROOF_BYTES);
  const tokenOf = (selector: string) => selector + proofOf(selector).toString('base64url');
  return {
    mint() {
      const selector = crypto.randomBytes(12).toString('base64url');
      return { selector, token: tokenOf(selector) };
    },
    tokenOf,
    verify(token) {
      if (typeof token !== 'string' || !SHARE_TOKEN_PATTERN.test(token)) return null;
      const selector = token.slice(0, SELECTOR_CHARS);
      const given = Buffer.from(token.slice(SELECTOR_CHARS), 'base64url');
      const expected = proofOf(selector);
      if (given.length !== expected.length) return null;
      return crypto.timingSafeEqual(given, expected) ? selector : null;
    },
  };
}
