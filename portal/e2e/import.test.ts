/**
 * A SharePoint library brought over with the real CLI, then found by a rep in Chromium: a generated
 * library (version families, copies, look-alikes, bad files) zipped with a zip-slip entry, imported
 * with `npm run import -- <zip> --metadata … --mapping … --publish` against this stack's data (the
 * CLI boots Strapi in-process on the same database, uploads and Meilisearch); the stack's worker
 * indexes the published items, and the portal's search finds the imported deck with its history.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeFixtureLibrary, zipFixtureLibrary, type FixtureLibrary } from '../../scripts/import/fixture-library';
import { ROOT } from '../../scripts/lib/paths';
import { launchBrowser, useSession, VIEWPORTS, type Browser } from './browser';
import { until } from './poll';

const portalUrl = inject('portalUrl');
const repToken = inject('repToken');
const scriptEnv = inject('scriptEnv');

function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'import.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...scriptEnv, NODE_ENV: 'production' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('importing a library, then finding it in the portal', () => {
  let dir: string;
  let lib: FixtureLibrary;
  let zip: string;
  let browser: Browser;
  let output = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-e2e-import-'));
    lib = await writeFixtureLibrary(dir, { files: 60 });
    zip = path.join(dir, 'library.zip');
    zipFixtureLibrary(lib.root, zip);
    const run = await runCli([zip, '--metadata', lib.metadata, '--mapping', lib.mapping, '--publish']);
    output = run.output;
    expect(run.code, run.output).toBe(0);
    browser = await launchBrowser(VIEWPORTS.desktop);
    await useSession(browser.context, portalUrl, repToken);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imported the zip as planned, refused the zip-slip entry and wrote the report beside it', () => {
    const e = lib.expected;
    expect(output).toContain(`${e.files} files → ${e.items} items with ${e.versions} versions (${e.families} version families merged, ${e.copies} copies merged), ${e.skipped} skipped, ${e.ambiguous} to decide`);
    expect(output).toMatch(new RegExp(`Created ${e.items} items, ${e.versions} versions, ${e.copies} copies .*published ${e.items}; 0 failed`));
    const md = fs.readFileSync(`${zip}.import-report.md`, 'utf8');
    expect(md).toMatch(/` \.\.\/\.\.\/escaped\.pdf ` \| unsafe zip entry: a path that climbs out of the archive/);
    expect(fs.existsSync(path.join(dir, '..', 'escaped.pdf'))).toBe(false);
    expect(fs.existsSync(`${zip}.import-report.html`)).toBe(true);
  });

  it('a rep finds the imported deck in search and sees its imported versions', async () => {
    const page = await browser.context.newPage();
    const hit = page.locator('[data-testid="search-hit"]', { hasText: lib.deck.title });
    await until('the imported deck is searchable', async () => {
      await page.goto(`${portalUrl}/search?q=${encodeURIComponent(lib.deck.title)}`);
      return (await hit.count()) > 0;
    }, 60_000, 1000);
    await expect(hit.first().innerText()).resolves.toContain(lib.deck.title);
    await hit.first().getByRole('link', { name: lib.deck.title }).first().click();
    await page.waitForURL(/\/collateral\//);
    const body = await page.locator('main').innerText();
    expect(body).toContain(lib.deck.title);
    expect(body).toMatch(/Imported from/);
    // Its history: the publish in Candor, then each imported file, newest first, with who and when.
    const versions = page.getByTestId('version');
    expect(await versions.count()).toBe(lib.deck.versions + 1);
    expect(await versions.first().innerText()).toMatch(/First published in Candor, as imported\./);
    const oldest = await versions.last().innerText();
    expect(oldest).toContain('Imported from the old library');
    expect(oldest).toMatch(new RegExp(`Imported “${lib.deck.title} v1\\.pptx” from library\\.zip, last modified \\d{4}-\\d\\d-\\d\\d by author1@candor\\.local`));
    await page.close();
  });
});
