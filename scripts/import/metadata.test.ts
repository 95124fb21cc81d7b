import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCsv, matchMetadata, parseDate, parseMetadata } from './metadata';

const CSV = 'Name,Modified,Modified By,Content Type,Product,Region\r\n"Présentation, produit.pptx",3/14/2024 10:02 PM,Zoë Müller,Document,Aurora Pulse,EMEA\r\nPricing.pdf,2023-01-05T09:00:00Z,Ann,Document,,\r\n';

describe('metadata CSV', () => {
  it('decodes UTF-16LE with a BOM (Excel “Unicode text”, tab separated)', () => {
    const tsv = CSV.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\t');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(tsv, 'utf-16le')]);
    const meta = parseMetadata(bytes);
    expect(meta.encoding).toBe('UTF-16LE');
    expect(meta.rows[0]).toMatchObject({ line: 2, name: 'Présentation, produit.pptx', modifiedBy: 'Zoë Müller', contentType: 'Document', custom: { Product: 'Aurora Pulse', Region: 'EMEA' } });
    expect(meta.rows[0]!.modified).toBe(Date.UTC(2024, 2, 14, 22, 2));
  });

  it('decodes windows-1252 (no BOM, not UTF-8)', () => {
    const bytes = iconv.encode(CSV, 'win1252');
    const { text, encoding } = decodeCsv(bytes);
    expect(encoding).toMatch(/windows-1252/i);
    expect(text).toContain('Présentation, produit.pptx');
    expect(parseMetadata(bytes).rows[0]!.modifiedBy).toBe('Zoë Müller');
  });

  it('decodes UTF-8 with and without a BOM, and semicolons', () => {
    expect(parseMetadata(Buffer.from(`\ufeff${CSV}`)).encoding).toBe('UTF-8 (with BOM)');
    const semi = parseMetadata(Buffer.from('Name;Modified\nA.pdf;01.02.2024\n'));
    expect(semi.rows[0]).toMatchObject({ name: 'A.pdf', modified: Date.UTC(2024, 1, 1) });
  });

  it('says what is missing and goes on', () => {
    const noDates = parseMetadata(Buffer.from('Name,Product\nA.pdf,Aurora Pulse\n'));
    expect(noDates.rows).toHaveLength(1);
    expect(noDates.problems.join(' ')).toMatch(/no Modified column/);
    const noName = parseMetadata(Buffer.from('Title x,Modified\nA.pdf,2024-01-01\n'));
    expect(noName.rows).toEqual([]);
    expect(noName.problems[0]).toMatch(/no Name column/);
    const badDate = parseMetadata(Buffer.from('Name,Modified\nA.pdf,someday\n'));
    expect(badDate.rows[0]!.modified).toBeNull();
    expect(badDate.problems.join(' ')).toMatch(/1 Modified value/);
    expect(parseMetadata(Buffer.from('')).problems[0]).toMatch(/empty/);
  });

  it('reads SharePoint dates in both orders and refuses impossible ones', () => {
    expect(parseDate('03/04/2024', 'MDY')).toBe(Date.UTC(2024, 2, 4));
    expect(parseDate('03/04/2024', 'DMY')).toBe(Date.UTC(2024, 3, 3));
    expect(parseDate('12/31/23 12:30 AM')).toBe(Date.UTC(2023, 11, 31, 0, 30));
    expect(parseDate('02/30/2024')).toBeNull();
    expect(parseDate('yesterday')).toBeNull();
  });

  it('matches rows to files by path, else by a name only one row has', () => {
    const rows = parseMetadata(Buffer.from('Name,Path\nDeck.pptx,/sites/mkt/Shared Documents/EMEA\nDeck.pptx,/sites/mkt/Shared Documents/APAC\nOne.pdf,\nGhost.pdf,\n')).rows;
    const { byPath, unmatched } = matchMetadata(rows, ['EMEA/Deck.pptx', 'APAC/Deck.pptx', 'x/one.pdf', 'y/One.pdf']);
    expect(byPath.get('EMEA/Deck.pptx')!.line).toBe(2);
    expect(byPath.get('APAC/Deck.pptx')!.line).toBe(3);
    expect(byPath.get('y/One.pdf')!.line).toBe(4);
    expect(byPath.get('x/one.pdf')!.line).toBe(4);
    expect(unmatched.map((r) => r.name)).toEqual(['Ghost.pdf']);
    const twice = matchMetadata(parseMetadata(Buffer.from('Name\nA.pdf\nA.pdf\n')).rows, ['x/A.pdf', 'y/A.pdf']);
    expect(twice.byPath.size).toBe(0);
    expect(twice.problems[0]).toMatch(/no Path column/);
  });
});
