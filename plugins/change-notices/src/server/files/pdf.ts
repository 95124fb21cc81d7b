import { dirname } from 'node:path';
import type { Deadline, PartCollector } from './text';
import { UnreadableFileError } from './types';

/**
 * pdfjs-dist is ESM only and this plugin compiles to CommonJS: tsc (module Node16) keeps this `import()`
 * as a native dynamic import. The legacy build is the one meant for Node.
 */
const importPdfJs = () => import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: ReturnType<typeof importPdfJs> | undefined;
export const loadPdfJs = () => (pdfjs ??= importPdfJs());

/** pdfjs-dist's own character maps and standard-font data: without them some CJK text comes out wrong. */
export function pdfAssetOptions(): { cMapUrl?: string; cMapPacked?: boolean; standardFontDataUrl?: string } {
  try {
    const root = dirname(require.resolve('pdfjs-dist/package.json'));
    return { cMapUrl: `${root}/cmaps/`, cMapPacked: true, standardFontDataUrl: `${root}/standard_fonts/` };
  } catch {
    // No CommonJS `require` (the source run as ESM in tests): pdfjs reads most files without them.
    return {};
  }
}

/** Starts loading an untrusted PDF; the caller awaits `task.promise` and destroys the task. */
export async function openPdf(bytes: Uint8Array) {
  const { getDocument, VerbosityLevel } = await loadPdfJs();
  return getDocument({
    // pdfjs may transfer the buffer it is given: hand it a copy, never the caller's bytes.
    data: new Uint8Array(bytes),
    ...pdfAssetOptions(),
    // Untrusted input: no XFA forms, no fonts installed in the process, nothing fetched on the side, and
    // only errors on the console. (pdfjs 6 no longer evaluates font programs at all: CVE-2024-4367.)
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    disableAutoFetch: true,
    disableStream: true,
    verbosity: VerbosityLevel.ERRORS,
  });
}

/** One part per page, "Page N" in the document's page order. */
export async function readPdf(bytes: Uint8Array, collector: PartCollector, deadline: Deadline): Promise<void> {
  const task = await openPdf(bytes);
  const cancel = () => void task.destroy();
  try {
    const pdf = await deadline.race(task.promise, cancel);
    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber += 1) {
      if (collector.full) return collector.markSkipped();
      const page = await deadline.race(pdf.getPage(pageNumber), cancel);
      const content = await deadline.race(page.getTextContent(), cancel);
      page.cleanup();
      const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
      collector.add(`Page ${pageNumber}`, text);
    }
  } catch (error) {
    throw pdfError(error);
  } finally {
    await task.destroy();
  }
}

function pdfError(error: unknown): unknown {
  if (error instanceof UnreadableFileError) return error;
  const name = error instanceof Error ? error.name : '';
  // PasswordException: a user password is set (a PDF with only an owner password opens without one).
  if (name === 'PasswordException') return new UnreadableFileError('encrypted', 'encrypted PDF');
  return new UnreadableFileError('corrupt', 'damaged or invalid PDF');
}
