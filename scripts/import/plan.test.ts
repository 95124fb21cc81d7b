import { describe, expect, it } from 'vitest';
import { minhashOf } from '../../plugins/change-notices/src/server/files/similarity';
import { parseMapping } from './mapping';
import { parseMetadata } from './metadata';
import { planImport, type ScannedFile } from './plan';

const words = (seed: number, n = 200) => Array.from({ length: n }, (_, i) => `w${(seed * 7919 + i * 104729) % 5000}`).join(' ');
/** A text like `base` with the last `changed` words replaced. */
const edited = (base: string, changed: number, seed: number) => [...base.split(' ').slice(0, -changed), ...words(seed, changed).split(' ')].join(' ');
const file = (path: string, text: string | null, hash: string, mtime: number): ScannedFile => ({
  path,
  size: 100,
  mtime,
  hash,
  text: text === null ? { status: 'unreadable', message: 'text could not be read: encrypted PDF' } : { status: 'ok', minhash: minhashOf(text), snippet: text.slice(0, 50) },
});
const taxonomies = { products: ['Aurora Pulse'], regions: ['EMEA', 'APAC'], personas: [] };
const NOW = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;

describe('planning an import', () => {
  const deck = words(1);
  const files = [
    file('EMEA/Aurora Pulse/Launch deck v1.pptx', deck, 'h1', NOW - 30 * DAY),
    file('EMEA/Aurora Pulse/Launch deck v2.pptx', edited(deck, 20, 2), 'h2', NOW - 20 * DAY),
    file('EMEA/Aurora Pulse/Launch deck v3 FINAL.pptx', edited(deck, 30, 3), 'h3', NOW - 10 * DAY),
    file('APAC/Launch deck v3 FINAL (2).pptx', edited(deck, 30, 3), 'h3', NOW - 9 * DAY),
    file('EMEA/Terms.pdf', words(9), 'h4', NOW - 800 * DAY),
    file('APAC/Terms.pdf', words(9), 'h4', NOW - 800 * DAY),
    file('EMEA/Pricing overview.pdf', words(20), 'h5', NOW - 5 * DAY),
    file('APAC/Pricing overview v2.pdf', words(30), 'h6', NOW - 4 * DAY),
    file('EMEA/Partner pitch.pptx', words(40), 'h7', NOW - 3 * DAY),
    file('APAC/Channel story.pptx', edited(words(40), 5, 41), 'h8', NOW - 3 * DAY),
    file('EMEA/Secret roadmap v1.pdf', null, 'h9', NOW),
    file('EMEA/Secret roadmap v2.pdf', words(50), 'h10', NOW),
    file('EMEA/Thumbs.db', null, 'h11', NOW),
    file('Archive/Old battlecard.pdf', words(60), 'h12', NOW),
    file('EMEA/Pulse battlecard \u202Efdp.pdf', words(70), 'h13', NOW),
  ];
  const metadata = parseMetadata(Buffer.from('Name,Modified,Modified By,Product\nTerms.pdf,1/5/2023,ann@example.com,Aurora Vault\n'));
  const plan = planImport({ files, problems: [{ path: 'x/link', problem: 'a symbolic link: not followed' }], metadata, mapping: parseMapping({ folders: { Archive: { skip: true } } }), taxonomies, now: NOW });
  const item = (title: string) => plan.items.filter((i) => i.title === title);

  it('makes a version family one item, its files in date order, copies one version', () => {
    const [launch] = item('Launch deck');
    expect(item('Launch deck')).toHaveLength(1);
    expect(launch!.versions.map((v) => v.hash)).toEqual(['h1', 'h2', 'h3']);
    expect(launch!.versions[2]!.files.map((f) => f.path)).toEqual(['EMEA/Aurora Pulse/Launch deck v3 FINAL.pptx', 'APAC/Launch deck v3 FINAL (2).pptx']);
    expect(launch!.kind).toBe('deck');
    expect(launch!.tags).toEqual({ products: ['Aurora Pulse'], regions: ['EMEA', 'APAC'], personas: [] });
  });

  it('makes the same bytes in several folders one file, dated and attributed by the metadata', () => {
    const [terms] = item('Terms');
    expect(terms!.versions).toHaveLength(1);
    expect(terms!.versions[0]!.files).toHaveLength(2);
    expect(terms!.versions[0]!.modified).toBe(Date.UTC(2023, 0, 5));
    expect(terms!.ownerEmail).toBe('ann@example.com');
    expect(plan.staleItems.map((i) => i.title)).toEqual(['Terms']);
    expect(plan.problems.map((p) => p.problem)).toEqual(expect.arrayContaining([expect.stringMatching(/product “Aurora Vault” \(2 files\), which Candor does not have/)]));
  });

  it('lists a family with dissimilar texts, and similar texts with different names, without merging them', () => {
    expect(item('Pricing overview')).toHaveLength(2);
    expect(plan.ambiguous).toEqual(
      expect.arrayContaining([
        { kind: 'dissimilar_family', family: 'pricing overview', groups: [['EMEA/Pricing overview.pdf'], ['APAC/Pricing overview v2.pdf']] },
        expect.objectContaining({ kind: 'similar_names_differ', titles: expect.arrayContaining(['Partner pitch', 'Channel story']) }),
        { kind: 'uncomparable_family', family: 'secret roadmap', paths: ['EMEA/Secret roadmap v1.pdf', 'EMEA/Secret roadmap v2.pdf'] },
      ])
    );
    expect(item('Secret roadmap')).toHaveLength(2);
    expect(plan.unreadableText).toEqual([{ path: 'EMEA/Secret roadmap v1.pdf', message: 'text could not be read: encrypted PDF' }]);
  });

  it('skips system files and skipped folders, keeps source problems, strips hidden characters from titles', () => {
    expect(plan.skipped.map((s) => s.path)).toEqual(['EMEA/Thumbs.db', 'Archive/Old battlecard.pdf']);
    expect(plan.problems[0]).toEqual({ path: 'x/link', problem: 'a symbolic link: not followed' });
    expect(plan.hiddenCharacters).toEqual([{ path: 'EMEA/Pulse battlecard \u202Efdp.pdf', title: 'Pulse battlecard fdp' }]);
    expect(item('Pulse battlecard fdp')[0]!.kind).toBe('battlecard');
  });

  it('counts', () => {
    expect(plan.counts).toEqual({ files: 15, skipped: 2, items: 9, versions: 11, copies: 2, families: 1, ambiguous: 3 });
  });

  it('gives each item and source file a stable key', () => {
    const again = planImport({ files: [...files].reverse(), problems: [], metadata, mapping: parseMapping({ folders: { Archive: { skip: true } } }), taxonomies, now: NOW });
    expect(again.items.map((i) => i.itemKey).sort()).toEqual(plan.items.map((i) => i.itemKey).sort());
  });
});
