import { crc32, deflateSync } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { docxWith, encryptedPdf, pdfkitPdf, pdfWithPages, pptxWithSlides, xlsxWith } from '../../test-support/documents';
import { DEFAULT_EXTRACT_LIMITS, extractText, normaliseText, type Extraction } from './extract';

// Real files, built here by the libraries that write them in the wild: no opaque binaries in the repo.

const PHRASE = 'Quantum widget warranty';

const phraseOn = (page: number, line: (n: number) => string) => (n: number) => [line(n), ...(n === page ? [PHRASE] : [])];
const pdfWithPhraseOn = (pages: number, page: number) => pdfWithPages(pages, phraseOn(page, (n) => `Filler page ${n} about shipping and returns`));
const pptxWithPhraseOn = (slides: number, slide: number) => pptxWithSlides(slides, phraseOn(slide, (n) => `Slide body ${n}`));
const docxFile = () => docxWith([[{ text: 'Datasheet for the ' }, { text: 'Widget Pro', bold: true }], PHRASE]);
const xlsxFile = () => xlsxWith({ Overview: [['Region', 'Owner'], ['EMEA', 'Dana']], Prices: [['Product', 'Price'], ['Widget Pro', 1299], [PHRASE, true]] });

/** What PowerPoint does when slides are dragged: reorder presentation.xml's sldIdLst, keep the file names. */
function reverseSlideOrder(pptx: Uint8Array): Uint8Array {
  const files = unzipSync(pptx);
  const xml = strFromU8(files['ppt/presentation.xml']!);
  const ids = xml.match(/<p:sldId [^>]*\/>/g)!;
  const list = xml.match(/<p:sldIdLst>[\s\S]*?<\/p:sldIdLst>/)![0];
  files['ppt/presentation.xml'] = strToU8(xml.replace(list, `<p:sldIdLst>${[...ids].reverse().join('')}</p:sldIdLst>`));
  return zipSync(files);
}

/** A 1×1 PNG: signature, IHDR, IDAT, IEND with their CRCs. */
function png(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function expectOk(result: Extraction): Extract<Extraction, { status: 'ok' }> {
  if (result.status !== 'ok') throw new Error(`expected ok, got ${result.reason}: ${result.message}`);
  return result;
}

const labelsWith = (result: Extraction, phrase: string) =>
  expectOk(result).parts.filter((part) => part.text.includes(phrase)).map((part) => part.label);

let tenPagePdf: Uint8Array;
let docx: Uint8Array;

beforeAll(async () => {
  tenPagePdf = await pdfWithPhraseOn(10, 7);
  docx = await docxFile();
});

describe('extractText: PDF', () => {
  it('reads each page; the phrase is on Page 7 only', async () => {
    const result = expectOk(await extractText(tenPagePdf, { name: 'brochure.pdf' }));
    expect(result).toMatchObject({ kind: 'pdf', mime: 'application/pdf', truncated: false });
    expect(result.parts.map((p) => p.label)).toEqual(Array.from({ length: 10 }, (_, i) => `Page ${i + 1}`));
    expect(result.parts[6]).toEqual({ label: 'Page 7', index: 7, text: `Filler page 7 about shipping and returns\n${PHRASE}` });
    expect(labelsWith(result, PHRASE)).toEqual(['Page 7']);
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says "encrypted PDF" when a user password is needed', async () => {
    const result = await extractText(await encryptedPdf(`Secret roadmap: ${PHRASE}`));
    expect(result).toMatchObject({ status: 'unreadable', reason: 'encrypted', mime: 'application/pdf', message: 'text could not be read: encrypted PDF' });
  });

  it('reads a PDF encrypted with an owner password only (it opens without one)', async () => {
    const result = await extractText(await pdfkitPdf(`Secret roadmap: ${PHRASE}`, { ownerPassword: 'owner', permissions: { copying: false }, pdfVersion: '1.7ext3' }));
    expect(labelsWith(result, PHRASE)).toEqual(['Page 1']);
  });

  it('calls a PDF cut short corrupt (one cut only past its last page is recovered by pdf.js)', async () => {
    const result = await extractText(tenPagePdf.subarray(0, Math.floor(tenPagePdf.length * 0.6)), { name: 'brochure.pdf' });
    expect(result).toMatchObject({ status: 'unreadable', reason: 'corrupt', mime: 'application/pdf' });
  });

  it('stops at maxParts and says so', async () => {
    const result = expectOk(await extractText(tenPagePdf, { limits: { maxParts: 3 } }));
    expect(result.parts.map((p) => p.label)).toEqual(['Page 1', 'Page 2', 'Page 3']);
    expect(result.truncated).toBe(true);
  });

  it('times out within its budget', async () => {
    const result = await extractText(tenPagePdf, { limits: { timeoutMs: 1 } });
    expect(result).toMatchObject({ status: 'unreadable', reason: 'timeout' });
  });
});

describe('extractText: Office files', () => {
  it('reads a PPTX per slide; the phrase is on Slide 7', async () => {
    const result = expectOk(await extractText(await pptxWithPhraseOn(10, 7), { name: 'deck.pptx' }));
    expect(result.kind).toBe('pptx');
    expect(result.parts.map((p) => p.label)).toEqual(Array.from({ length: 10 }, (_, i) => `Slide ${i + 1}`));
    expect(result.parts[6]).toEqual({ label: 'Slide 7', index: 7, text: `Slide body 7\n${PHRASE}` });
    expect(labelsWith(result, PHRASE)).toEqual(['Slide 7']);
  });

  it('follows the slide order of presentation.xml, not the slide file names', async () => {
    const result = expectOk(await extractText(reverseSlideOrder(await pptxWithPhraseOn(10, 7))));
    expect(result.parts[0]?.text).toBe('Slide body 10');
    expect(labelsWith(result, PHRASE)).toEqual(['Slide 4']);
  });

  it('reads a DOCX body as one part, runs joined and paragraphs on their own lines', async () => {
    const result = expectOk(await extractText(docx, { name: 'datasheet.docx' }));
    expect(result).toMatchObject({ kind: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(result.parts).toEqual([{ label: 'Document', index: 1, text: `Datasheet for the Widget Pro\n${PHRASE}` }]);
  });

  it('reads an XLSX per sheet, labelled by sheet name', async () => {
    const result = expectOk(await extractText(await xlsxFile(), { name: 'prices.xlsx' }));
    expect(result.kind).toBe('xlsx');
    expect(result.parts).toEqual([
      { label: 'Sheet Overview', index: 1, text: 'Region Owner\nEMEA Dana' },
      { label: 'Sheet Prices', index: 2, text: `Product Price\nWidget Pro 1299\n${PHRASE} TRUE` },
    ]);
  });

  it('refuses a zip whose entries unpack past the limit (zip bomb), before inflating them', async () => {
    const files = unzipSync(docx);
    files['word/media/padding.bin'] = new Uint8Array(8 * 1024 * 1024); // 8 MB of zeros packs to ~8 KB
    const bomb = zipSync(files, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const result = await extractText(bomb, { limits: { maxDecompressedBytes: 4 * 1024 * 1024 } });
    expect(result).toMatchObject({ status: 'unreadable', reason: 'zip_bomb', message: 'text could not be read: the file unpacks to more than 4 MB' });
    // The same file under the default limit reads (the padding is never inflated).
    expect(expectOk(await extractText(bomb)).parts[0]?.text).toContain(PHRASE);
  });

  it('refuses a zip with too many entries', async () => {
    const result = await extractText(docx, { limits: { maxZipEntries: 3 } });
    expect(result).toMatchObject({ status: 'unreadable', reason: 'zip_bomb' });
  });

  it('calls a damaged zip corrupt', async () => {
    const result = await extractText(docx.subarray(0, docx.length - 200));
    expect(result).toMatchObject({ status: 'unreadable', reason: 'corrupt' });
  });
});

describe('extractText: text files', () => {
  it('reads UTF-8 text, Markdown and CSV, the name only choosing which', async () => {
    const bytes = strToU8('Widget Pro\tnow shipping\n');
    expect(expectOk(await extractText(bytes, { name: 'notes.txt' }))).toMatchObject({ kind: 'text', mime: 'text/plain' });
    expect(expectOk(await extractText(strToU8('# Widget Pro\n\nNow *shipping*.'), { name: 'README.md' }))).toMatchObject({
      kind: 'markdown',
      mime: 'text/markdown',
      parts: [{ label: 'Text', index: 1, text: '# Widget Pro\nNow *shipping*.' }],
    });
    expect(expectOk(await extractText(strToU8('product,price\r\nWidget Pro,1299\r\n'), { name: 'prices.CSV' }))).toMatchObject({
      kind: 'csv',
      mime: 'text/csv',
      parts: [{ label: 'Text', index: 1, text: 'product,price\nWidget Pro,1299' }],
    });
  });

  it('truncates a part at maxPartChars', async () => {
    const result = expectOk(await extractText(strToU8('abcdefghij'), { limits: { maxPartChars: 4 } }));
    expect(result).toMatchObject({ truncated: true, parts: [{ text: 'abcd' }] });
  });

  it('normalises: NFC, controls removed, spaces collapsed, blank lines dropped', () => {
    expect(normaliseText('\ufeffCafe\u0301\u0000  \u00a0 au\tlait\r\n\r\n\u0007 next\u2028line \ud800')).toBe('Café au lait\nnext\nline \ufffd');
  });
});

describe('extractText: bad input never throws', () => {
  it('an empty file', async () => {
    expect(await extractText(new Uint8Array(0), { name: 'empty.pdf' })).toMatchObject({
      status: 'unreadable',
      reason: 'empty',
      message: 'text could not be read: the file is empty',
      mime: null,
      hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
  });

  it('a PNG named .pdf is a PNG, not a PDF', async () => {
    expect(await extractText(png(), { name: 'brochure.pdf' })).toMatchObject({
      status: 'unreadable',
      reason: 'unsupported_type',
      mime: 'image/png',
      message: 'text could not be read: PNG files (image/png) are not supported',
    });
  });

  it('binary bytes of no known type', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => (i * 7919) % 256);
    expect(await extractText(bytes, { name: 'notes.txt' })).toMatchObject({ status: 'unreadable', reason: 'unsupported_type', mime: null });
  });

  it('a file over maxFileBytes', async () => {
    expect(await extractText(tenPagePdf, { limits: { maxFileBytes: 1024 } })).toMatchObject({
      status: 'unreadable',
      reason: 'too_large',
      message: 'text could not be read: the file is larger than 1024 bytes',
    });
  });

  it('defaults: 200 MB files and unpacked zips', () => {
    expect(DEFAULT_EXTRACT_LIMITS).toMatchObject({ maxFileBytes: 200 * 1024 * 1024, maxDecompressedBytes: 200 * 1024 * 1024 });
  });

  it('a bad limit is a config error and throws', async () => {
    await expect(extractText(tenPagePdf, { limits: { maxParts: 0 } })).rejects.toThrow();
  });
});
