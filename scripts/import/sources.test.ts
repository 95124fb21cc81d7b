import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource, unsafeEntryName } from './sources';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-sources-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the zip-slip guard', () => {
  it('refuses absolute paths, drive letters, climbing out and NUL bytes', () => {
    expect(unsafeEntryName('../../etc/passwd')).toMatch(/climbs out/);
    expect(unsafeEntryName('a/../../b.pdf')).toMatch(/climbs out/);
    expect(unsafeEntryName('..\\..\\windows\\x.dll')).toMatch(/climbs out/);
    expect(unsafeEntryName('/etc/passwd')).toMatch(/absolute/);
    expect(unsafeEntryName('C:\\x.pdf')).toMatch(/drive letter/);
    expect(unsafeEntryName('a\0b.pdf')).toMatch(/NUL/);
    expect(unsafeEntryName('EMEA/..deck../v2.pdf')).toBeNull();
  });
});

describe('sources', () => {
  it('reads a zip in memory: unsafe entries are reported, never written, the rest are read', async () => {
    const zipPath = path.join(tmp, 'library.zip');
    const bytes = zipSync({
      'EMEA/deck.pdf': new TextEncoder().encode('hello'),
      '../escape.pdf': new TextEncoder().encode('evil'),
      '/abs.pdf': new TextEncoder().encode('evil'),
      'a/../../up.pdf': new TextEncoder().encode('evil'),
      [`${Array.from({ length: 40 }, () => 'd').join('/')}/deep.pdf`]: new TextEncoder().encode('deep'),
    });
    fs.writeFileSync(zipPath, bytes);
    const before = fs.readdirSync(tmp).sort();
    const src = await openSource(zipPath);
    expect(src.kind).toBe('zip');
    expect(src.files.map((f) => f.path)).toEqual(['EMEA/deck.pdf']);
    expect((await src.files[0]!.read()).toString()).toBe('hello');
    expect(src.problems.map((p) => p.problem)).toEqual(expect.arrayContaining([expect.stringMatching(/climbs out/), expect.stringMatching(/absolute/), expect.stringMatching(/deeper than 32/)]));
    expect(src.problems.filter((p) => /climbs out/.test(p.problem))).toHaveLength(2);
    await src.close();
    expect(fs.readdirSync(tmp).sort()).toEqual(before);
    expect(fs.existsSync(path.join(tmp, '..', 'escape.pdf'))).toBe(false);
  });

  it('walks a folder without following links and stops at a 1,000-deep tree', async () => {
    const root = path.join(tmp, 'tree');
    fs.mkdirSync(path.join(root, 'EMEA'), { recursive: true });
    fs.writeFileSync(path.join(root, 'EMEA', 'one.pdf'), 'one');
    fs.symlinkSync('/etc', path.join(root, 'link'));
    let deep = path.join(root, 'deep');
    for (let i = 0; i < 1000; i++) deep = path.join(deep, 'd');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'bottom.pdf'), 'bottom');
    const src = await openSource(root);
    expect(src.files.map((f) => f.path)).toEqual(['EMEA/one.pdf']);
    expect(src.problems.map((p) => p.problem)).toEqual(expect.arrayContaining(['a symbolic link: not followed', expect.stringMatching(/deeper than 32 levels/)]));
    await expect(openSource(path.join(root, 'EMEA', 'one.pdf'))).rejects.toThrow(/neither a folder nor a \.zip/);
  });
});
