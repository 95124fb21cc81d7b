import { describe, expect, it } from 'vitest';
import { feedbackInputSchema } from './app/feedback';
import { searchLogInputSchema } from './search';
import { subscriptionSchema } from './notices';
import { cleanString, personText } from './text';

describe('clean text at the boundary', () => {
  it('normalizes to NFC, turns CRLF into LF and drops control characters and bidi overrides', () => {
    expect(cleanString('Cafe\u0301')).toBe('Café');
    expect(cleanString(' a\r\nb\u0000c\u0007d\u202Ee\u2066f\tg ')).toBe('a\nbcdef\tg');
  });

  it('refuses lone surrogates with a sentence, and counts length after cleaning', () => {
    const text = personText('passage', { max: 5 });
    expect(text.safeParse('ok\uD800').error!.issues[0]!.message).toBe('passage contains a broken character (a lone surrogate); retype it');
    expect(text.safeParse('😀 ok').success).toBe(true);
    expect(text.parse('ab\u0000\u0000\u0000\u0000c')).toBe('abc');
    expect(text.safeParse('abcdef').success).toBe(false);
  });

  it('applies to what reps send: suggestions, searches, subscriptions', () => {
    const suggestion = feedbackInputSchema.parse({ collateral: 'x', kind: 'correction', suggestion: 'Fix\u0000 the \u202Eprice please' });
    expect(suggestion.suggestion).toBe('Fix the price please');
    expect(feedbackInputSchema.safeParse({ collateral: 'x', kind: 'correction', suggestion: '\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000abc' }).success).toBe(false);
    expect(searchLogInputSchema.parse({ query: ' pri\u0000cing ', hitCount: 0 }).query).toBe('pricing');
    expect(subscriptionSchema.safeParse({ products: ['<script>'], regions: [], kinds: [], channels: ['inbox'], cadence: 'instant' }).success).toBe(false);
    expect(subscriptionSchema.safeParse({ products: ['aurora-vault\u0000'], regions: [], kinds: [], channels: ['inbox'], cadence: 'instant' }).success).toBe(false);
  });
});
