import sharp from 'sharp';
import type { ExtractLimits } from './limits';
import { openZip } from './ooxml';
import { openPdf } from './pdf';
import { Deadline } from './text';
import type { ExtractKind } from './types';

/** One page's (or the first slide's) picture: WebP, `width` pixels wide. */
export interface PreviewImage {
  page: number;
  width: number;
  height: number;
  webp: Buffer;
}

export interface PreviewOptions {
  /** Pixels wide; a card shows it at about half that on a phone, the collateral page at full width. */
  width: number;
  /** PDF pages pictured, from the first. */
  maxPages: number;
  limits: ExtractLimits;
}

export const DEFAULT_PREVIEW_WIDTH = 480;

/** A page is drawn at most this tall (a very long "page" is cut, not drawn at 50,000 pixels). */
const MAX_HEIGHT_RATIO = 3;

/**
 * Pictures of a file for the portal: each of the first `maxPages` PDF pages (rendered with pdfjs-dist
 * on @napi-rs/canvas, the canvas pdfjs itself uses in Node), or the thumbnail Office keeps in a PPTX,
 * DOCX or XLSX (`docProps/thumbnail.jpeg`, written when "Save preview picture" is on). Encoded with sharp.
 * Returns [] for files that have none; throws only on a damaged file (the caller logs it: the text
 * already stored is what matters, a missing picture is not an error the admin must see).
 * CPU-bound: call it from the worker, never on a request.
 */
export async function renderPreviews(bytes: Uint8Array, kind: ExtractKind, opts: PreviewOptions): Promise<PreviewImage[]> {
  if (kind === 'pdf') return renderPdfPages(bytes, opts);
  if (kind === 'pptx' || kind === 'docx' || kind === 'xlsx') {
    const thumb = officeThumbnail(bytes, opts.limits);
    return thumb ? [await encode(thumb, 1, opts.width)] : [];
  }
  return [];
}

async function encode(image: Uint8Array, page: number, width: number): Promise<PreviewImage> {
  const { data, info } = await sharp(image, { limitInputPixels: 50_000_000 })
    .resize({ width, withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .webp({ quality: 72 })
    .toBuffer({ resolveWithObject: true });
  return { page, width: info.width, height: info.height, webp: data };
}

/** Office's own preview picture; EMF/WMF ones (older Windows) are not something sharp can draw. */
function officeThumbnail(bytes: Uint8Array, limits: ExtractLimits): Uint8Array | null {
  const entries = openZip(bytes, limits, (name) => /^docProps\/thumbnail\.(jpe?g|png)$/i.test(name));
  for (const data of entries.values()) if (data.length > 0) return data;
  return null;
}

/** The Node canvas pdfjs made for the document (@napi-rs/canvas); pdfjs types it as a bare object. */
interface DrawnCanvas {
  canvas: { toBuffer(mime: 'image/png'): Buffer };
  context: unknown;
}
const factory = (pdf: { canvasFactory: object }) => pdf.canvasFactory as { create(width: number, height: number): DrawnCanvas; destroy(drawn: DrawnCanvas): void };

async function renderPdfPages(bytes: Uint8Array, opts: PreviewOptions): Promise<PreviewImage[]> {
  const deadline = new Deadline(opts.limits.timeoutMs);
  const task = await openPdf(bytes);
  const cancel = () => void task.destroy();
  const out: PreviewImage[] = [];
  try {
    const pdf = await deadline.race(task.promise, cancel);
    const pages = Math.min(pdf.numPages, opts.maxPages);
    for (let pageNumber = 1; pageNumber <= pages; pageNumber += 1) {
      const page = await deadline.race(pdf.getPage(pageNumber), cancel);
      const natural = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: opts.width / natural.width });
      const width = Math.max(1, Math.round(viewport.width));
      const height = Math.max(1, Math.min(Math.round(viewport.height), opts.width * MAX_HEIGHT_RATIO));
      const drawn = factory(pdf).create(width, height);
      await deadline.race(page.render({ canvas: drawn.canvas as never, canvasContext: drawn.context as never, viewport }).promise, cancel);
      const png = drawn.canvas.toBuffer('image/png');
      factory(pdf).destroy(drawn);
      page.cleanup();
      out.push(await encode(png, pageNumber, width));
    }
    return out;
  } finally {
    await task.destroy();
  }
}
