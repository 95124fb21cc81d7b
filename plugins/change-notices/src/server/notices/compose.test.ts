import { describe, expect, it } from 'vitest';
import type { FieldChange, VersionView } from '../../shared/contracts';
import { composeFeedbackResolved, composeNotice, type ComposeInput } from './compose';

const change = (field: string, before: unknown, after: unknown): FieldChange => ({ field, label: field, type: 'text', before, after });
const version = (over: Partial<VersionView> & { snapshot: Record<string, unknown> }): ComposeInput['version'] => ({
  number: 2,
  cause: 'standing',
  title: 'x',
  summary: 'Summary of the change.',
  note: null,
  standing: 'confirmed',
  standingReason: null,
  nowTrue: null,
  changes: [],
  author: { name: 'Morgan Marketing', kind: 'admin' },
  createdAt: '2026-12-01T00:00:00.000Z',
  ...over,
});
const deck = { title: 'Launch deck', slug: 'launch-deck', kind: 'deck' };
const base = { uid: 'api::collateral.collateral' as const, documentId: 'd1', urgency: 'action_required' as const, affected: [], portalUrl: 'https://portal.test' };

describe('composeNotice (plain data in, notice out)', () => {
  it('a scale-back says what is true now, why, and links the item', () => {
    const n = composeNotice({
      ...base,
      version: version({ standing: 'scaled_back', standingReason: 'Budget cut', nowTrue: 'Cable spots only', changes: [change('standing', 'confirmed', 'scaled_back'), change('nowTrue', null, 'Cable spots only')], snapshot: { ...deck, nowTrue: 'Cable spots only' } }),
    })!;
    expect(n).toMatchObject({ key: 'version:api::collateral.collateral:d1:v2', headline: 'Scaled back: Launch deck', why: 'Budget cut', link: 'https://portal.test/collateral/launch-deck', actor: 'Morgan Marketing' });
    expect(n.whatToDo).toBe('Stop promising what it used to say. What is true now: Cable spots only');
    // The reason and the new truth are Why and What to do, not repeated in What changed.
    expect(n.whatChanged).not.toContain('Cable spots only');
  });

  it('a corrected "true now" on an item that stays scaled back is news, not a plain update', () => {
    const n = composeNotice({
      ...base,
      version: version({ number: 3, standing: 'scaled_back', standingReason: 'Budget cut', nowTrue: 'Cable spots in 6 markets', changes: [change('nowTrue', 'Cable spots in 12 markets', 'Cable spots in 6 markets')], snapshot: { ...deck, nowTrue: 'Cable spots in 6 markets' } }),
    })!;
    expect(n.headline).toBe('Corrected, still scaled back: Launch deck');
    expect(n.whatToDo).toContain('Cable spots in 6 markets');
    expect(n.whatChanged).toBe('Marketing corrected what is true now.');
    expect(n.why).toBe('Budget cut');
  });

  it('a retraction names the replacement; an item born retracted makes no notice', () => {
    const retracted = composeNotice({ ...base, version: version({ standing: 'retracted', standingReason: 'Offer ended', changes: [change('standing', 'confirmed', 'retracted')], snapshot: { ...deck, replacedBy: { ref: 'r', label: 'New deck' } } }) })!;
    expect(retracted.whatToDo).toBe('Stop using “Launch deck” now; use “New deck” instead. Do not send it to customers again.');
    expect(composeNotice({ ...base, version: version({ number: 1, standing: 'retracted', snapshot: deck }) })).toBeNull();
  });

  it('a claim lists the affected collateral and counts them in What to do', () => {
    const n = composeNotice({
      ...base,
      uid: 'api::claim.claim',
      documentId: 'c1',
      affected: [{ title: 'Launch deck', slug: 'launch-deck' }, { title: 'One-pager', slug: 'one-pager' }],
      version: version({ standing: 'scaled_back', nowTrue: 'Late-night cable', changes: [change('standing', 'confirmed', 'scaled_back')], snapshot: { statement: 'National TV campaign', nowTrue: 'Late-night cable' } }),
    })!;
    expect(n.headline).toBe('Claim scaled back: National TV campaign');
    expect(n.details).toEqual(['Affected: Launch deck (https://portal.test/collateral/launch-deck)', 'Affected: One-pager (https://portal.test/collateral/one-pager)']);
    expect(n.whatToDo).toBe('Stop promising “National TV campaign”. Say instead: Late-night cable Check the 2 affected items below before you use them.');
    expect(n.link).toBe('https://portal.test/collateral/launch-deck');
  });

  it('a new item is news of what it is', () => {
    const n = composeNotice({ ...base, urgency: 'fyi', version: version({ number: 1, summary: 'First published version.', snapshot: { ...deck, kind: 'one_pager' } }) })!;
    expect(n).toMatchObject({ headline: 'New one-pager: Launch deck', whatChanged: 'First published version.', urgency: 'fyi' });
  });

  it('an imported item’s first publish is new, though imported versions come before it', () => {
    const v = version({ number: 4, cause: 'publish', summary: 'First published in Candor, as imported.', snapshot: deck });
    const n = composeNotice({ ...base, urgency: 'fyi', firstAfterImport: true, version: v })!;
    expect(n).toMatchObject({ headline: 'New deck: Launch deck', whatToDo: 'Have a look and use it where it fits.' });
    expect(composeNotice({ ...base, urgency: 'fyi', version: v })!.headline).toBe('Updated deck: Launch deck');
  });
});

describe('composeFeedbackResolved', () => {
  it('tells the rep what became of the suggestion, with the fixing version', () => {
    const n = composeFeedbackResolved(
      { feedbackDocumentId: 'f1', state: 'shipped', suggestion: 'Fix the price', resolutionNote: 'Done', shippedInVersion: 4, collateral: { documentId: 'd1', title: 'Price sheet', slug: 'price-sheet' } },
      'https://portal.test'
    );
    expect(n).toMatchObject({ key: 'feedback:f1:shipped', headline: 'Your suggestion shipped in version 4: Price sheet', why: 'Done', version: 4, link: 'https://portal.test/collateral/price-sheet', urgency: 'fyi' });
  });
});
