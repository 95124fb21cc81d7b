import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PDF_BAND, pdfWithPages, pptxWithSlides, withOfficeThumbnail } from '../../test-support/documents';
import { DEFAULT_EXTRACT_LIMITS } from './extract';
import { renderPreviews } from './preview';

const OPTS = { width: 480, maxPages: 2, limits: DEFAULT_EXTRACT_LIMITS };

/** The colour at (x, y) of a WebP picture. */
async function pixel(webp: Buffer, x: number, y: number): Promise<{ r: number; g: number; b: number }> {
  const { data, info } = await sharp(webp).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return { r: data[at]!, g: data[at + 1]!, b: data[at + 2]! };
}

const near = (a: { r: number; g: number; b: number }, b: { r: number; g: number; b: number }) =>
  Math.abs(a.r - b.r) + Math.abs(a.g - b.g) + Math.abs(a.b - b.b) < 40;

describe('renderPreviews', () => {
  it('draws the first pages of a PDF, up to maxPages, as WebP pictures of the page', async () => {
    const pdf = await pdfWithPages(3, (n) => [`Page ${n} of the brochure`]);
    const images = await renderPreviews(pdf, 'pdf', OPTS);
    expect(images.map((i) => i.page)).toEqual([1, 2]);
    for (const image of images) {
      expect(image.webp.subarray(8, 12).toString('latin1')).toBe('WEBP');
      expect(await sharp(image.webp).metadata()).toMatchObject({ format: 'webp', width: 480, height: image.height });
      // A4 is 1:1.414.
      expect(image.height).toBe(Math.round((480 * 842) / 595));
    }
    // What was drawn is the page: its blue band at the top, white paper below.
    expect(near(await pixel(images[0]!.webp, 240, 10), PDF_BAND)).toBe(true);
    expect(near(await pixel(images[0]!.webp, 240, 600), { r: 255, g: 255, b: 255 })).toBe(true);
  });

  it('uses the preview picture PowerPoint saves in the deck, and none when there is none', async () => {
    const deck = await pptxWithSlides(2, (n) => [`Slide ${n}`]);
    expect(await renderPreviews(deck, 'pptx', OPTS)).toEqual([]);
    const jpeg = await sharp({ create: { width: 256, height: 144, channels: 3, background: { r: 200, g: 30, b: 30 } } }).jpeg().toBuffer();
    const [image] = await renderPreviews(withOfficeThumbnail(deck, jpeg), 'pptx', OPTS);
    // Never blown up past its own size.
    expect(image).toMatchObject({ page: 1, width: 256, height: 144 });
    expect(near(await pixel(image!.webp, 128, 72), { r: 200, g: 30, b: 30 })).toBe(true);
  });

  it('makes none for text and fails loudly on a damaged PDF (the caller logs it)', async () => {
    expect(await renderPreviews(Buffer.from('plain words'), 'text', OPTS)).toEqual([]);
    const pdf = await pdfWithPages(2, () => ['x']);
    await expect(renderPreviews(pdf.subarray(0, pdf.length / 2), 'pdf', OPTS)).rejects.toThrow();
  });
});
