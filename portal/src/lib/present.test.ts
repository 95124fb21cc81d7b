import { COLLATERAL_KINDS, STANDINGS, STANDING_LABELS } from '@candor/change-notices/contracts';
import { describe, expect, it } from 'vitest';
import { KIND_LABELS, stageLabel, standingBadge } from './present';

describe('standingBadge', () => {
  it('labels every standing with the shared contract wording', () => {
    for (const standing of STANDINGS) expect(standingBadge(standing).label).toBe(STANDING_LABELS[standing]);
  });

  it('maps each standing to its own tone and glyph, so colour is never the only cue', () => {
    expect(standingBadge('confirmed')).toMatchObject({ tone: 'ok', icon: '✓' });
    expect(standingBadge('scaled_back')).toMatchObject({ tone: 'warn', icon: '!' });
    expect(standingBadge('retracted')).toMatchObject({ tone: 'danger', icon: '✕' });
    expect(new Set(STANDINGS.map((s) => standingBadge(s).icon)).size).toBe(STANDINGS.length);
  });

  it('tells a rep what to do', () => {
    expect(standingBadge('retracted').advice).toMatch(/do not use/i);
    expect(standingBadge('scaled_back').advice).toMatch(/true now/i);
  });
});

describe('labels', () => {
  it('has a human label for every collateral kind', () => {
    for (const kind of COLLATERAL_KINDS) expect(KIND_LABELS[kind]).toMatch(/^[A-Z][a-z -]+$/);
    expect(KIND_LABELS.one_pager).toBe('One-pager');
  });

  it('labels funnel stages and shows unknown ones rather than hiding them', () => {
    expect(stageLabel('decision')).toBe('Decision');
    expect(stageLabel('post_sale')).toBe('post sale');
    expect(stageLabel(null)).toBeNull();
  });
});
