import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';

/** Who a downloaded copy was made for: printed along the foot of every page. */
export interface Recipient {
  name: string;
  email: string;
  company: string;
}

/** WinAnsi (the standard fonts' encoding) cannot draw every character: others become "?". */
const drawable = (s: string) => s.normalize('NFC').replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '?');

/**
 * Stamps "Prepared for <name> (<email>), <company> · <date>" on every page of a PDF, so a copy that
 * travels says whose it was. pdf-lib rewrites the file; an encrypted or broken PDF throws (the caller
 * refuses the download rather than hand out an unstamped copy).
 */
export async function stampPdf(bytes: Uint8Array, to: Recipient, at: Date = new Date()): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const text = drawable(`Prepared for ${to.name} (${to.email}), ${to.company} · ${at.toISOString().slice(0, 10)} · Do not forward`);
  for (const page of pdf.getPages()) {
    const { width } = page.getSize();
    const size = Math.max(6, Math.min(9, width / 80));
    const textWidth = font.widthOfTextAtSize(text, size);
    const x = Math.max(8, (width - textWidth) / 2);
    page.drawRectangle({ x: x - 4, y: 6, width: Math.min(textWidth + 8, width - 8), height: size + 6, color: rgb(1, 1, 1), opacity: 0.85 });
    page.drawText(text, { x, y: 9, size, font, color: rgb(0.25, 0.25, 0.3) });
  }
  return pdf.save();
}
