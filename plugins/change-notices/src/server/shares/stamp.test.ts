import { describe, expect, it } from 'vitest';
import { encryptedPdf, pdfWithPages } from '../../test-support/documents';
import { stampPdf } from './stamp';

const textOf = async (bytes: Uint8Array) => {
  // pdfjs is an ES module; this package compiles to CommonJS.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await getDocument({ data: bytes, useSystemFonts: false }).promise;
  const out: string[] = [];
  for (let n = 1; n <= pdf.numPages; n += 1) out.push((await (await pdf.getPage(n)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' '));
  return out;
};

describe('stampPdf: who a downloaded copy was made for, on every page', () => {
  it('prints the recipient and date on each page and keeps the pages', async () => {
    const stamped = await stampPdf(await pdfWithPages(3, (n) => [`Page ${n} body`]), { name: 'Jane Buyer', email: 'jane@acme.test', company: 'Acme' }, new Date('2026-12-03T10:00:00Z'));
    const pages = await textOf(stamped);
    expect(pages).toHaveLength(3);
    pages.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} body`);
      expect(p).toContain('Prepared for Jane Buyer (jane@acme.test), Acme · 2026-12-03');
    });
  });

  it('draws characters the standard font cannot as "?", and refuses an encrypted PDF', async () => {
    const stamped = await stampPdf(await pdfWithPages(1, () => ['x']), { name: 'Zoë 王', email: 'z@x.test', company: 'Ünïcode' });
    expect((await textOf(stamped))[0]).toContain('Prepared for Zoë ? (z@x.test), Ünïcode');
    await expect(stampPdf(await encryptedPdf('secret'), { name: 'a', email: 'b', company: 'c' })).rejects.toThrow();
  });
});
