/**
 * Real documents for tests and benches (test-only: left out of the build), built by the libraries that write them in the wild (pdf-lib,
 * PDFKit, pptxgenjs, docx, exceljs): no opaque binaries in the repository. The plugin's unit tests, the
 * CMS integration tests, the portal's e2e tests, the benches and the import tests share these.
 */
import { Document, Packer, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import PDFKit from 'pdfkit';
import PptxGenJS from 'pptxgenjs';

/** The lines written on page (or slide) `n`, counted from 1. */
export type LinesOf = (n: number) => string[];

/** The band drawn across the top of every PDF page: a preview test finds it in the picture. */
export const PDF_BAND = { r: 31, g: 79, b: 209 } as const;

/** An A4 PDF of `pages` pages, each with a blue band at the top and its lines below it. */
export async function pdfWithPages(pages: number, linesOf: LinesOf): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n += 1) {
    const page = pdf.addPage([595, 842]);
    page.drawRectangle({ x: 0, y: 800, width: 595, height: 42, color: rgb(PDF_BAND.r / 255, PDF_BAND.g / 255, PDF_BAND.b / 255) });
    linesOf(n).forEach((line, i) => page.drawText(line, { x: 50, y: 760 - i * 24, size: 14, font }));
  }
  return Buffer.from(await pdf.save());
}

/** A PDF that needs a password to open (pdf-lib cannot encrypt; PDFKit writes the AES-256 handler). */
export const encryptedPdf = (text: string): Promise<Buffer> => pdfkitPdf(text, { userPassword: 'open-sesame', ownerPassword: 'owner', pdfVersion: '1.7ext3' });

/** One page of text written by PDFKit with the given options (passwords, permissions). */
export function pdfkitPdf(text: string, options: PDFKit.PDFDocumentOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFKit(options);
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text(text);
    doc.end();
  });
}

/** A deck of `slides` slides, each with its lines as text boxes. */
export async function pptxWithSlides(slides: number, linesOf: LinesOf): Promise<Buffer> {
  const pptx = new PptxGenJS();
  for (let n = 1; n <= slides; n += 1) {
    const slide = pptx.addSlide();
    linesOf(n).forEach((line, i) => slide.addText(line, { x: 1, y: 1 + i, w: 8, h: 1 }));
  }
  return Buffer.from((await pptx.write({ outputType: 'uint8array' })) as Uint8Array);
}

/** A Word document; a paragraph is a string or its runs (a bold word is its own run, as Word writes it). */
export async function docxWith(paragraphs: (string | { text: string; bold?: boolean }[])[]): Promise<Buffer> {
  const paragraph = (p: (typeof paragraphs)[number]) => (typeof p === 'string' ? new Paragraph(p) : new Paragraph({ children: p.map((run) => new TextRun(run)) }));
  const doc = new Document({ sections: [{ children: paragraphs.map(paragraph) }] });
  return Packer.toBuffer(doc);
}

/** A workbook with one sheet per entry, in order. */
export async function xlsxWith(sheets: Record<string, (string | number | boolean)[][]>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) workbook.addWorksheet(name).addRows(rows);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The Office file with a preview picture, as PowerPoint saves it with "Save preview picture" on. */
export function withOfficeThumbnail(office: Uint8Array, jpeg: Uint8Array): Buffer {
  const entries = unzipSync(office);
  entries['docProps/thumbnail.jpeg'] = new Uint8Array(jpeg);
  return Buffer.from(zipSync(entries));
}
