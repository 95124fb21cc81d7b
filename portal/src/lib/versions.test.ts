import { describe, expect, it } from 'vitest';
import { createCmsClient } from './cms';
import { authorText, changeViews, listVersions, mergeParts, trimContext, valueText } from './versions';

function fakeClient(handler: (url: URL) => Response) {
  const calls: URL[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    calls.push(url);
    return handler(url);
  }) as typeof globalThis.fetch;
  return { client: createCmsClient({ baseUrl: 'http://cms.test', fetch }), calls };
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const version = {
  number: 2,
  cause: 'publish',
  title: 'Pricing sheet',
  summary: 'Summary changed.',
  note: 'Team tier corrected.',
  standing: 'confirmed',
  standingReason: null,
  nowTrue: null,
  changes: [{ field: 'summary', label: 'Summary', type: 'longtext', before: 'a', after: 'b', words: [{ op: 'removed', text: 'a' }, { op: 'added', text: 'b' }] }],
  author: { name: 'Morgan Marketing', kind: 'admin' },
  createdAt: '2026-11-23T08:00:00.000Z',
};

describe('versions client', () => {
  it('lists an item’s versions; no history yet is an empty list', async () => {
    const { client, calls } = fakeClient(() => json(200, { data: [version], meta: { documentId: 'doc/1', kind: 'collateral', count: 1 } }));
    expect(await listVersions(client, 'jwt', 'doc/1')).toEqual([version]);
    expect(calls[0]!.pathname).toBe('/api/change-notices/versions/collateral/doc%2F1');
    expect(await listVersions(fakeClient(() => json(404, { error: { status: 404 } })).client, 'jwt', 'doc1')).toEqual([]);
    await expect(listVersions(fakeClient(() => json(200, { data: [{ ...version, cause: 'magic' }] })).client, 'jwt', 'doc1')).rejects.toMatchObject({ code: 'bad_response' });
    await expect(listVersions(fakeClient(() => json(403, {})).client, 'jwt', 'doc1')).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('presenting changes', () => {
  it('merges runs of the same operation', () => {
    expect(
      mergeParts([
        { op: 'same', text: 'The ' },
        { op: 'removed', text: '$49' },
        { op: 'removed', text: ' a month' },
        { op: 'added', text: '$59' },
        { op: 'same', text: '' },
        { op: 'same', text: ' tier' },
      ])
    ).toEqual([
      { op: 'same', text: 'The ' },
      { op: 'removed', text: '$49 a month' },
      { op: 'added', text: '$59' },
      { op: 'same', text: ' tier' },
    ]);
  });

  it('shortens long unchanged text around a change, never the change', () => {
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const parts = trimContext([{ op: 'same', text: `${long} ` }, { op: 'added', text: 'NEW' }, { op: 'same', text: ` ${long}` }], 3);
    expect(parts).toEqual([
      { op: 'same', text: '… w37 w38 w39 ' },
      { op: 'added', text: 'NEW' },
      { op: 'same', text: ' w0 w1 w2 …' },
    ]);
    const middle = trimContext([{ op: 'added', text: 'A' }, { op: 'same', text: ` ${long} ` }, { op: 'removed', text: 'B' }], 2);
    expect(middle[1]).toEqual({ op: 'same', text: ' w0 w1 … w38 w39 ' });
  });

  it('shows values in the portal’s words, lists as added and removed, long text word by word', () => {
    expect(valueText('standing', 'scaled_back')).toBe('Scaled back');
    expect(valueText('kind', 'pricing_sheet')).toBe('Pricing sheet');
    expect(valueText('needsReview', true)).toBe('Yes');
    expect(valueText('claims', [{ ref: 'x', label: 'SLA' }, { ref: 'y', label: 'TV' }])).toBe('SLA, TV');
    expect(valueText('summary', '')).toBeNull();
    const views = changeViews([
      { field: 'slug', label: 'URL slug', type: 'value', before: 'a', after: 'b' },
      { field: 'standing', label: 'Standing', type: 'value', before: 'confirmed', after: 'retracted' },
      { field: 'files', label: 'Files', type: 'list', before: [], after: [], added: ['new.pdf'], removed: ['old.pdf'] },
      { field: 'body', label: 'Body', type: 'longtext', before: 'x', after: 'y', words: [{ op: 'same', text: 'Team ' }, { op: 'removed', text: '$49' }, { op: 'added', text: '$59' }] },
      { field: 'nowTrue', label: 'What is true now', type: 'text', before: 'old <b>', after: 'new' },
      { field: 'standingReason', label: 'Reason', type: 'text', before: null, after: 'Because.' },
    ]);
    expect(views).toEqual([
      { field: 'standing', label: 'Standing', shape: 'value', before: 'Confirmed', after: 'Retracted' },
      { field: 'files', label: 'Files', shape: 'list', added: ['new.pdf'], removed: ['old.pdf'] },
      { field: 'body', label: 'Body', shape: 'words', parts: [{ op: 'same', text: 'Team ' }, { op: 'removed', text: '$49' }, { op: 'added', text: '$59' }] },
      { field: 'nowTrue', label: 'What is true now', shape: 'words', parts: [{ op: 'removed', text: 'old <b>' }, { op: 'same', text: ' ' }, { op: 'added', text: 'new' }] },
      { field: 'standingReason', label: 'Reason', shape: 'words', parts: [{ op: 'added', text: 'Because.' }] },
    ]);
  });

  it('names who made a version', () => {
    expect(authorText({ name: 'Morgan Marketing', kind: 'admin' })).toBe('Morgan Marketing');
    expect(authorText({ name: 'seed', kind: 'system' })).toBe('Candor (automatic)');
  });
});
