import { describe, expect, it } from 'vitest';
import { feedbackInputSchema, standingChangeSchema, subscriptionSchema } from './index';

describe('standingChangeSchema', () => {
  it('requires what is true now when scaling back, and names the field', () => {
    const r = standingChangeSchema.safeParse({ standing: 'scaled_back', reason: 'Budget was cut' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['nowTrue']);
  });
  it('rejects unknown standings and unknown fields', () => {
    expect(standingChangeSchema.safeParse({ standing: 'paused', reason: 'whatever' }).error!.issues[0]!.message).toBe(
      'standing must be one of: confirmed, scaled_back, retracted'
    );
    expect(standingChangeSchema.safeParse({ standing: 'confirmed', reason: 'Legal says yes', extra: 1 }).success).toBe(false);
  });
  it('trims and accepts a retraction with a replacement', () => {
    expect(standingChangeSchema.parse({ standing: 'retracted', reason: '  No TV at all  ', replacement: 'abc' })).toEqual({ standing: 'retracted', reason: 'No TV at all', replacement: 'abc' });
  });
});

describe('subscriptionSchema', () => {
  it('keeps the inbox on', () => {
    const r = subscriptionSchema.safeParse({ products: [], regions: [], kinds: [], channels: ['email'], cadence: 'daily' });
    expect(r.error!.issues[0]!.message).toBe('channels: the portal inbox cannot be turned off');
  });
});

describe('feedbackInputSchema', () => {
  it('defaults urgency and rejects a too-short suggestion', () => {
    expect(feedbackInputSchema.parse({ collateral: 'x', kind: 'correction', suggestion: 'The price is wrong on page 2.' }).urgency).toBe('normal');
    expect(feedbackInputSchema.safeParse({ collateral: 'x', kind: 'correction', suggestion: 'wrong' }).error!.issues[0]!.path).toEqual(['suggestion']);
  });
});
