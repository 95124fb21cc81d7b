/**
 * `npm run import` against the real Strapi (SQLite and PostgreSQL): a generated SharePoint library of
 * 500 files (version families, the same PDF in three folders, look-alikes, encrypted and damaged
 * files, system files, a skipped Archive, a bidi name, a too-deep folder, a UTF-16LE metadata CSV)
 * becomes the items, versions and merges its generator counted; a run interrupted part-way resumes
 * to the same result (also after a crash between an upload and its note in the ledger); a second run
 * creates nothing; everything is a draft; the report says what happened, escaped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PRODUCTS, FIXTURE_REGIONS, writeFixtureLibrary, type FixtureLibrary } from '../../scripts/import/fixture-library';
import { runImport, type ImportOptions } from '../../scripts/import/run';
import { startTestCms, type TestCms } from './harness';

const COLLATERAL = 'api::collateral.collateral';

describe('importing a SharePoint library', () => {
  let cms: TestCms;
  let lib: FixtureLibrary;
  let dir: string;
  const reportDir = () => path.join(dir, 'reports');
  const options = (extra: Partial<ImportOptions> = {}): ImportOptions => ({ source: lib.root, metadata: lib.metadata, mapping: lib.mapping, reportDir: reportDir(), ...extra });
  const count = async (table: string, where: Record<string, unknown> = {}) => Number(((await cms.strapi.db.connection(table).where(where).count({ n: '*' })) as { n: number | string }[])[0]!.n);
  const drafts = () => cms.strapi.documents(COLLATERAL).count({ status: 'draft' } as never);
  const published = () => cms.strapi.documents(COLLATERAL).count({ status: 'published' } as never);

  beforeAll(async () => {
    cms = await startTestCms();
    for (const name of FIXTURE_PRODUCTS) await cms.strapi.documents('api::product.product').create({ data: { name, slug: name.toLowerCase().replace(/\W+/g, '-') } as never });
    for (const name of FIXTURE_REGIONS) await cms.strapi.documents('api::region.region').create({ data: { name, slug: name.toLowerCase().replace(/\W+/g, '-') } as never });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-import-'));
    lib = await writeFixtureLibrary(dir, { files: 500 });
  });
  afterAll(async () => {
    await cms?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plans in a dry run what the generator counted, and writes nothing', async () => {
    const run = await runImport(cms.strapi, options({ dryRun: true }));
    const e = lib.expected;
    expect(run.plan.counts).toEqual({ files: e.files, skipped: e.skipped, items: e.items, versions: e.versions, copies: e.copies, families: e.families, ambiguous: e.ambiguous });
    expect(run.plan.unreadableText).toHaveLength(e.unreadable);
    expect(run.plan.staleItems).toHaveLength(e.stale);
    expect(run.plan.hiddenCharacters).toHaveLength(e.hidden);
    expect(run.result).toBeNull();
    expect(run.alreadyImported).toBe(0);
    expect(await drafts()).toBe(0);
    expect(await count('cn_import_files')).toBe(0);
    expect(fs.readFileSync(run.reports.markdown, 'utf8')).toMatch(/dry run: nothing was written/);
  });

  it('stops part-way when told to, then resumes to the full result, even after a crash between an upload and its note', async () => {
    const first = await runImport(cms.strapi, options({ stopAfter: 120 }));
    expect(first.interrupted).toMatch(/interrupted after 120 step/);
    expect(first.result!.created.versions).toBe(120);
    const partial = await drafts();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(lib.expected.items);
    expect(await count('cn_versions', { cause: 'import' })).toBe(120);
    expect(fs.readFileSync(first.reports.markdown, 'utf8')).toMatch(/Interrupted \| import interrupted after 120 step/);

    // A crash right after an upload, before the ledger learnt its id: the next version's bytes are
    // uploaded and noted as "uploading", as the importer does, and the process "dies".
    const ledger = cms.strapi.plugin('change-notices').service('imports');
    const all = first.plan.items.flatMap((it) => it.versions);
    const known = await ledger.filesByKey(all.map((v) => v.files[0]!.sourceKey));
    const next = all.find((v) => !known.has(v.files[0]!.sourceKey));
    await ledger.beginUpload({ sourceKey: next!.files[0]!.sourceKey, sourcePath: next!.files[0]!.path, contentHash: next!.hash });
    const tmpFile = path.join(dir, 'crash-upload.bin');
    fs.copyFileSync(path.join(lib.root, next!.files[0]!.path), tmpFile);
    await cms.strapi.plugin('upload').service('upload').upload({ data: { fileInfo: { name: next!.files[0]!.name } }, files: { filepath: tmpFile, originalFilename: next!.files[0]!.name, mimetype: 'application/pdf', size: fs.statSync(tmpFile).size } });
    const uploadsBefore = await count('files');

    const resumed = await runImport(cms.strapi, options());
    expect(resumed.interrupted).toBeNull();
    expect(resumed.result!.failures).toEqual([]);
    expect(resumed.result!.created.versions).toBe(lib.expected.versions - 120);
    expect(resumed.result!.alreadyImported.versions).toBe(120);
    // The orphan upload was adopted, not repeated: one upload per distinct document in all.
    expect(await count('files')).toBe(uploadsBefore + (lib.expected.versions - 120 - 1));
    expect(await count('cn_import_files', { outcome: 'uploading' })).toBe(0);
  });

  it('made one draft per document, each file a dated import version, families merged, copies one file', async () => {
    const e = lib.expected;
    expect(await drafts()).toBe(e.items);
    expect(await published()).toBe(0);
    expect(await count('cn_versions', { cause: 'import' })).toBe(e.versions);
    expect(await count('cn_versions')).toBe(e.versions);
    const perItem = (await cms.strapi.db.connection('cn_versions').select('subject_document_id').count({ n: '*' }).groupBy('subject_document_id')) as { n: number | string }[];
    expect(perItem).toHaveLength(e.items);
    expect(perItem.filter((r) => Number(r.n) > 1)).toHaveLength(e.families);
    // Every source path is in the ledger: versions once each, copies pointing at their version's upload.
    expect(await count('cn_import_files', { outcome: 'version' })).toBe(e.versions);
    expect(await count('cn_import_files', { outcome: 'copy' })).toBe(e.copies);
    expect(await count('cn_import_items')).toBe(e.items);
    expect(await count('files')).toBe(e.versions);

    // The deck family: its versions oldest first, the last one current, with the current phrase.
    const [deck] = (await cms.strapi.documents(COLLATERAL).findMany({ filters: { title: lib.deck.title }, status: 'draft', populate: { files: true, products: true, regions: true } } as never)) as any[];
    expect(deck.kind).toBe('deck');
    expect(deck.products.map((p: { name: string }) => p.name)).toEqual([lib.deck.product]);
    expect(deck.files).toHaveLength(1);
    expect(deck.files[0].name).toMatch(new RegExp(`v${lib.deck.versions} FINAL\\.pptx$`));
    const history = await cms.strapi.plugin('change-notices').service('versions').list(COLLATERAL, deck.documentId);
    expect(history.map((v: { cause: string }) => v.cause)).toEqual(Array(lib.deck.versions).fill('import'));
    const oldestFirst = [...history].reverse();
    expect(oldestFirst.map((v: { createdAt: string }) => v.createdAt)).toEqual([...oldestFirst.map((v: { createdAt: string }) => v.createdAt)].sort());
    expect(oldestFirst[0].summary).toMatch(/^Imported “.* v1\.pptx” from Shared Documents, last modified \d{4}-\d\d-\d\d by author1@candor\.local/);
    // A rep cannot read a draft's imported history over the content API.
    const repRole = await cms.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'sales_rep' } });
    await cms.strapi.plugin('users-permissions').service('user').add({ email: 'rep@import.test', username: 'Import Rep', password: 'Import-Rep-1', role: repRole.id, provider: 'local', confirmed: true, blocked: false });
    const rep = await cms.login('rep@import.test', 'Import-Rep-1');
    expect((await cms.api(`/api/change-notices/versions/collateral/${deck.documentId}`, { token: rep })).status).toBe(404);
  });

  it('a second run creates nothing', async () => {
    const uploads = await count('files');
    const again = await runImport(cms.strapi, options());
    expect(again.result!.created).toEqual({ items: 0, versions: 0, copies: 0, uploads: 0 });
    expect(again.result!.alreadyImported).toEqual({ versions: lib.expected.versions, copies: lib.expected.copies });
    expect(again.result!.items.every((i) => i.outcome === 'unchanged')).toBe(true);
    expect(await drafts()).toBe(lib.expected.items);
    expect(await count('cn_versions')).toBe(lib.expected.versions);
    expect(await count('files')).toBe(uploads);
  });

  it('a file added to a family since becomes its next version, on the same item', async () => {
    const dry = await runImport(cms.strapi, options({ dryRun: true }));
    expect(dry.alreadyImported).toBe(lib.expected.versions);
    const plan = dry.plan;
    const family = plan.items.find((it) => it.versions.length === 3 && it.versions[2]!.files[0]!.path.endsWith('.pdf'))!;
    const last = family.versions[2]!.files[0]!;
    const v4 = path.join(lib.root, last.path.replace(/ v3 FINAL\.pdf$/, ' v4.pdf'));
    // The same text with other bytes (what a re-save does), modified after v3.
    fs.writeFileSync(v4, Buffer.concat([fs.readFileSync(path.join(lib.root, last.path)), Buffer.from('\n% re-saved\n')]));
    fs.utimesSync(v4, new Date(last.modified + 86_400_000), new Date(last.modified + 86_400_000));
    const run = await runImport(cms.strapi, options());
    expect(run.result!.created).toEqual({ items: 0, versions: 1, copies: 0, uploads: 1 });
    expect(run.result!.items.filter((i) => i.outcome !== 'unchanged')).toEqual([expect.objectContaining({ title: family.title, outcome: 'updated' })]);
    const [doc] = (await cms.strapi.documents(COLLATERAL).findMany({ filters: { title: family.title }, status: 'draft', populate: { files: true } } as never)) as any[];
    expect(doc.files.map((f: { name: string }) => f.name)).toEqual([path.basename(v4)]);
    const history = await cms.strapi.plugin('change-notices').service('versions').list(COLLATERAL, doc.documentId);
    expect(history).toHaveLength(4);
    expect(history[0].summary).toMatch(/v4\.pdf” from Shared Documents/);
    expect(await drafts()).toBe(lib.expected.items);
  });

  it('--publish publishes the drafts through the publish hook: one version each, news, search sync', async () => {
    const run = await runImport(cms.strapi, options({ publish: true }));
    expect(run.result!.created.versions).toBe(0);
    expect(run.result!.published).toBe(lib.expected.items);
    expect(await published()).toBe(lib.expected.items);
    expect(await count('cn_versions', { cause: 'publish' })).toBe(lib.expected.items);
    expect(await count('cn_versions', { summary: 'First published in Candor, as imported.' })).toBe(lib.expected.items);
    expect(await count('cn_outbox', { topic: 'search.sync' })).toBeGreaterThanOrEqual(lib.expected.items);
    const recent = await cms.strapi.plugin('change-notices').service('versions').recent(7, 1000);
    expect(recent.created).toHaveLength(lib.expected.items);
    expect(recent.changed).toHaveLength(0);
    // Published now: the rep reads its history, imports included.
    const [deck] = (await cms.strapi.documents(COLLATERAL).findMany({ filters: { title: lib.deck.title }, status: 'published' } as never)) as any[];
    const rep = await cms.login('rep@import.test', 'Import-Rep-1');
    const history = await cms.api(`/api/change-notices/versions/collateral/${deck.documentId}`, { token: rep });
    expect(history.status).toBe(200);
    expect(history.body.data.map((v: { cause: string }) => v.cause)).toEqual(['publish', ...Array(lib.deck.versions).fill('import')]);
    // Its notice is news of a new item, not an "update" of imported history.
    const row = (await cms.strapi.db.connection('cn_outbox').where({ topic: 'notice.version' }).select('id', 'idempotency_key', 'payload')).map((r: any) => ({ ...r, payload: JSON.parse(r.payload) })).find((r: any) => r.payload.documentId === deck.documentId);
    await cms.strapi.plugin('change-notices').service('notices').handleVersionJob({ id: Number(row.id), topic: 'notice.version', key: row.idempotency_key, payload: row.payload, attempt: 1 });
    const notice = await cms.strapi.db.connection('cn_notices').where('headline', 'like', `%${lib.deck.title}`).first();
    expect(notice.headline).toBe(`New deck: ${lib.deck.title}`);
    // And again: nothing more to publish.
    expect((await runImport(cms.strapi, options({ publish: true }))).result!.published).toBe(0);
    expect(await count('cn_versions', { cause: 'publish' })).toBe(lib.expected.items);
  });

  it('reports what was merged, skipped, unreadable, stale and to decide, with hidden characters written out and HTML escaped', async () => {
    const md = fs.readFileSync(path.join(reportDir(), 'Shared Documents.import-report.md'), 'utf8');
    const html = fs.readFileSync(path.join(reportDir(), 'Shared Documents.import-report.html'), 'utf8');
    expect(md).toMatch(/\| Items \(one per document\) \| 345 \|/);
    expect(md).toMatch(/Similar text, different names/);
    expect(md).toMatch(/Same name family, different text/);
    expect(md).toMatch(/Thumbs\.db ` \| a system or lock file/);
    expect(md).toMatch(/in a folder the mapping skips/);
    expect(md).toMatch(/encrypted/);
    expect(md).toMatch(/\\u202E/);
    expect(md).not.toMatch(/\u202E/);
    expect(md).toMatch(/folder nested deeper than 32 levels/);
    expect(md).toMatch(/product “Aurora Nimbus”/);
    expect(md).toMatch(/“Deleted deck\.pptx” \(line \d+\)/);
    expect(md).toMatch(/Metadata encoding \| UTF-16LE/);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/\u202E/);
    expect(html).toContain('\\u202E');
    // Quotes in the problems are escaped; no markup comes from the data.
    expect(html).toContain('&quot;values&quot;');
    expect(html.match(/<script/g)).toBeNull();
  });
});
