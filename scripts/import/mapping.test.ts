import { describe, expect, it } from 'vitest';
import { columnRole, KINDS, kindFromExtension, kindFromName, parseMapping, resolveValue, skipReason, tagsFromFolders } from './mapping';

const known = { products: ['Aurora Pulse', 'Aurora Relay'], regions: ['EMEA', 'North America'], personas: ['CFO'] };

describe('the mapping', () => {
  it('has defaults and takes its kinds from the collateral content type', () => {
    const m = parseMapping();
    expect(KINDS).toContain('battlecard');
    expect(m.defaultKind).toBe('one_pager');
    expect(m.staleAfterDays).toBe(365);
  });

  it('refuses a bad mapping with a readable message', () => {
    expect(() => parseMapping({ folders: { EMEA: { kind: 'poster' } } })).toThrow(/folders\.EMEA\.kind: kind must be one of/);
    expect(() => parseMapping({ colums: {} })).toThrow(/not valid/);
  });

  it('gives the kind from name words, the mapping first, then the extension', () => {
    const m = parseMapping({ kinds: { 'cheat sheet': 'battlecard' } });
    expect(kindFromName('Pulse Battlecard v2.pdf', m)).toBe('battlecard');
    expect(kindFromName('Relay one-pager.docx', m)).toBe('one_pager');
    expect(kindFromName('ACME case study 2023.pdf', m)).toBe('case_study');
    expect(kindFromName('Pulse cheat sheet.pdf', m)).toBe('battlecard');
    expect(kindFromName('Quarterly numbers.xlsx', m)).toBeNull();
    expect(kindFromExtension('Anything.pptx', m)).toBe('deck');
    expect(kindFromExtension('Demo.mp4', m)).toBe('video');
    expect(kindFromExtension('Notes.pdf', m)).toBe('one_pager');
  });

  it('maps folders named like a product or region, loosely, and folders the mapping names', () => {
    const m = parseMapping({ folders: { 'Sales/Europe': { regions: ['EMEA'] }, Old: { skip: true }, Sheets: { kind: 'pricing_sheet' } }, values: { products: { Pulse: 'Aurora Pulse' } } });
    expect(tagsFromFolders(['Sales', 'Europe', 'aurora-pulse'], m, known)).toEqual({ tags: { products: ['Aurora Pulse'], regions: ['EMEA'], personas: [] }, kind: null, skip: false });
    expect(tagsFromFolders(['north america', 'Pulse', 'Sheets'], m, known)).toEqual({ tags: { products: ['Aurora Pulse'], regions: ['North America'], personas: [] }, kind: 'pricing_sheet', skip: false });
    expect(tagsFromFolders(['Europe'], m, known).tags.regions).toEqual([]);
    expect(tagsFromFolders(['x', 'Old'], m, known).skip).toBe(true);
    expect(resolveValue('products', 'AURORA RELAY', m, known)).toBe('Aurora Relay');
    expect(resolveValue('products', 'Nope', m, known)).toBeNull();
  });

  it('knows which columns fill what', () => {
    const m = parseMapping({ columns: { Segment: 'personas', Region: 'ignore' } });
    expect(columnRole('Product', m)).toBe('products');
    expect(columnRole('Segment', m)).toBe('personas');
    expect(columnRole('region', m)).toBe('ignore');
    expect(columnRole('Checked Out To', m)).toBeNull();
  });

  it('skips system files, programs and archives', () => {
    const m = parseMapping({ skip: ['Forms'] });
    expect(skipReason('Thumbs.db', m)).toMatch(/system/);
    expect(skipReason('~$Launch deck.pptx', m)).toMatch(/lock/);
    expect(skipReason('setup.exe', m)).toMatch(/program/);
    expect(skipReason('old.zip', m)).toMatch(/archive/);
    expect(skipReason('Forms', m)).toMatch(/mapping/);
    expect(skipReason('Deck.pptx', m)).toBeNull();
  });
});
