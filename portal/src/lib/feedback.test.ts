import { feedbackInputSchema } from '@candor/change-notices/contracts';
import { describe, expect, it } from 'vitest';
import { createCmsClient } from './cms';
import { feedbackErrors, listMySuggestions, readable, submitFeedback, submittedValues } from './feedback';

function fakeClient(handler: (url: URL, init: RequestInit) => Response) {
  const calls: { url: URL; init: RequestInit }[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    calls.push({ url, init });
    return handler(url, init);
  }) as typeof globalThis.fetch;
  return { client: createCmsClient({ baseUrl: 'http://cms.test/', fetch }), calls };
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const input = { collateral: 'doc1', kind: 'outdated' as const, suggestion: 'The Team tier is $59 now, not $49.', urgency: 'high' as const };

describe('feedback form errors', () => {
  it('turns the shared contract’s issues into one plain message per field', () => {
    // What Astro's form action hands the schema for an empty form: missing text is null, no radio chosen.
    const parsed = feedbackInputSchema.safeParse({ collateral: 'doc1', kind: null, suggestion: null, urgency: null, passage: 'x'.repeat(2001) });
    expect(parsed.success).toBe(false);
    expect(feedbackErrors(parsed.error!.issues)).toEqual({
      kind: 'Choose what kind of change this is.',
      suggestion: 'Say what should change.',
      urgency: 'Choose how urgent this is: low, normal or high.',
      passage: 'Quote at most 2,000 characters of the passage.',
    });
    const short = feedbackInputSchema.safeParse({ ...input, suggestion: 'short', customerContext: 'y'.repeat(2001) });
    expect(feedbackErrors(short.error!.issues)).toEqual({ suggestion: 'Say what should change in at least 10 characters.', customerContext: 'Keep the customer context to 2,000 characters or fewer.' });
  });

  it('keeps the first problem of a field and puts unknown fields’ problems under the suggestion', () => {
    expect(
      feedbackErrors([
        { path: ['suggestion'], message: 'suggestion: too vague' },
        { path: ['suggestion'], message: 'suggestion: second' },
        { path: ['collateral'], message: 'no published item has that id' },
      ])
    ).toEqual({ suggestion: 'Too vague.', collateral: 'No published item has that id.' });
    expect(feedbackErrors([{ path: ['tone'], message: 'tone: be nice' }])).toEqual({ suggestion: 'Tone: be nice.' });
  });

  it('reads the contract’s wording as a sentence', () => {
    expect(readable('suggestion is required: say what should change')).toBe('Say what should change.');
    expect(readable('customer context: at most 2000 characters')).toBe('At most 2000 characters.');
    expect(readable('Already a sentence.')).toBe('Already a sentence.');
  });

  it('puts the rep’s input back, capped, with normal urgency by default', () => {
    const form = new FormData();
    form.set('kind', 'correction');
    form.set('suggestion', 'z'.repeat(5000));
    form.set('passage', '<b>quoted</b>');
    const values = submittedValues(form);
    expect(values).toMatchObject({ kind: 'correction', passage: '<b>quoted</b>', customerContext: '', urgency: 'normal' });
    expect(values.suggestion).toHaveLength(4500);
    expect(submittedValues(null)).toEqual({ kind: '', passage: '', suggestion: '', customerContext: '', urgency: 'normal' });
  });
});

describe('feedback client', () => {
  it('files a suggestion as the rep with only the rep’s fields, empty optional ones left out', async () => {
    const { client, calls } = fakeClient(() => json(201, { data: { documentId: 'fb1', state: 'new', collateralVersion: 2 } }));
    expect(await submitFeedback(client, 'jwt', { ...input, passage: '', customerContext: 'Northwind asked.' })).toEqual({ ok: true, documentId: 'fb1', collateralVersion: 2 });
    expect(calls[0]!.url.pathname).toBe('/api/feedbacks');
    expect(calls[0]!.init.method).toBe('POST');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer jwt');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ data: { collateral: 'doc1', kind: 'outdated', suggestion: input.suggestion, urgency: 'high', customerContext: 'Northwind asked.' } });
  });

  it('returns the CMS’s per-field refusals instead of throwing', async () => {
    const { client } = fakeClient(() =>
      json(400, { error: { status: 400, name: 'ValidationError', message: 'collateral: no published item has that id', details: { errors: [{ path: ['collateral'], message: 'no published item has that id' }] } } })
    );
    expect(await submitFeedback(client, 'jwt', input)).toEqual({ ok: false, errors: { collateral: 'No published item has that id.' } });
    const bare = fakeClient(() => json(400, { error: { status: 400, message: 'suggestion: too similar to an open one' } }));
    expect(await submitFeedback(bare.client, 'jwt', input)).toEqual({ ok: false, errors: { suggestion: 'Too similar to an open one.' } });
  });

  it('throws CmsError for a session Strapi refuses or a CMS that fails', async () => {
    await expect(submitFeedback(fakeClient(() => json(401, { error: { status: 401 } })).client, 'jwt', input)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(submitFeedback(fakeClient(() => json(500, {})).client, 'jwt', input)).rejects.toMatchObject({ code: 'server_error' });
  });

  it('lists the rep’s suggestions checked with zod', async () => {
    const mine = {
      documentId: 'fb1',
      kind: 'outdated',
      suggestion: 'The Team tier is $59 now.',
      passage: null,
      urgency: 'high',
      state: 'shipped',
      resolutionNote: 'Fixed.',
      collateralVersion: 1,
      shippedInVersion: 2,
      collateral: { documentId: 'doc1', title: 'Pricing sheet', slug: 'pricing-sheet' },
      createdAt: '2026-11-23T08:00:00.000Z',
      updatedAt: '2026-11-24T08:00:00.000Z',
    };
    const { client, calls } = fakeClient(() => json(200, { data: [mine] }));
    expect(await listMySuggestions(client, 'jwt')).toEqual([mine]);
    expect(calls[0]!.url.pathname).toBe('/api/feedbacks/mine');
    await expect(listMySuggestions(fakeClient(() => json(200, { data: [{ ...mine, state: 'lost' }] })).client, 'jwt')).rejects.toMatchObject({ code: 'bad_response' });
  });
});
