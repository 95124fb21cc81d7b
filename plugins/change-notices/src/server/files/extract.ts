import { createHash } from 'node:crypto';
import { resolveLimits, type ExtractLimits } from './limits';
import { formatBytes, readDocx, readPptx, readXlsx } from './ooxml';
import { readPdf } from './pdf';
import { Deadline, PartCollector } from './text';
import { UnreadableFileError, type ExtractKind, type Extraction } from './types';

export { DEFAULT_EXTRACT_LIMITS, extractLimitsSchema, resolveLimits, type ExtractLimits } from './limits';
export { normaliseText } from './text';
export type { ExtractKind, ExtractedPart, Extraction, UnreadableReason } from './types';

export interface ExtractOptions {
  /** The uploaded file name: a hint for text files only (.md, .csv); binary types come from the bytes. */
  name?: string;
  limits?: Partial<ExtractLimits>;
}

// file-type is ESM only; tsc (module Node16) keeps this import() native in the CommonJS build.
const importFileType = () => import('file-type');
let fileType: ReturnType<typeof importFileType> | undefined;
const loadFileType = () => (fileType ??= importFileType());

/** file-type's extension → our reader. Macro-enabled and template variants share the same XML parts. */
const OFFICE_KINDS: Record<string, 'pptx' | 'docx' | 'xlsx'> = {
  pptx: 'pptx', pptm: 'pptx', potx: 'pptx', potm: 'pptx', ppsx: 'pptx', ppsm: 'pptx',
  docx: 'docx', docm: 'docx', dotx: 'docx', dotm: 'docx',
  xlsx: 'xlsx', xlsm: 'xlsx', xltx: 'xlsx', xltm: 'xlsx',
};

const TEXT_MIMES = { text: 'text/plain', markdown: 'text/markdown', csv: 'text/csv' } as const;

/** What the bytes are; `kind` null when we have no reader for them (`mime` null when nobody knows). */
type Detected = { kind: ExtractKind; mime: string } | { kind: null; mime: string | null; ext: string };

/**
 * Text by page, slide or sheet from an uploaded file, for search. Never throws for a bad file: encrypted,
 * damaged, empty, oversized, zip-bombed, unknown or slow files come back as `status: 'unreadable'` with a
 * reason and a sentence for the admin. Only a bad `limits` override throws (a ZodError: a config mistake).
 *
 * The type comes from the bytes (file-type), never from the name; files file-type cannot recognise are
 * read as text when they are valid UTF-8, and the name's extension only picks text, Markdown or CSV.
 * CPU-bound steps run on the calling thread: call it from the worker, never on a request.
 */
export async function extractText(bytes: Buffer | Uint8Array, opts: ExtractOptions = {}): Promise<Extraction> {
  const limits = resolveLimits(opts.limits);
  const data: Uint8Array = bytes; // a Buffer is a Uint8Array
  const hash = createHash('sha256').update(data).digest('hex');
  let mime: string | null = null;
  const unreadable = (error: UnreadableFileError): Extraction => ({
    status: 'unreadable',
    reason: error.reason,
    message: error.message,
    mime,
    hash,
  });

  if (data.length === 0) return unreadable(new UnreadableFileError('empty', 'the file is empty'));
  if (data.length > limits.maxFileBytes) {
    return unreadable(new UnreadableFileError('too_large', `the file is larger than ${formatBytes(limits.maxFileBytes)}`));
  }
  const deadline = new Deadline(limits.timeoutMs);
  try {
    const detected = await detect(data, opts.name);
    mime = detected.mime;
    if (!detected.kind) {
      throw unsupported(detected.mime ? `${detected.ext.toUpperCase()} files (${detected.mime}) are not supported` : 'this type of file is not supported');
    }
    const collector = new PartCollector(limits, deadline);
    await read(detected.kind, data, limits, collector, deadline);
    return { status: 'ok', mime: detected.mime, kind: detected.kind, hash, parts: collector.parts, truncated: collector.truncated };
  } catch (error) {
    if (error instanceof UnreadableFileError) return unreadable(error);
    // Whatever else a parser throws on hostile bytes (bad zip, bad XML, a library bug) is a damaged file.
    return unreadable(new UnreadableFileError('corrupt', 'the file is damaged or not what it claims to be'));
  }
}

async function detect(data: Uint8Array, name: string | undefined): Promise<Detected> {
  const { fileTypeFromBuffer } = await loadFileType();
  const found = await fileTypeFromBuffer(data);
  if (found) {
    if (found.ext === 'pdf') return { kind: 'pdf', mime: found.mime };
    const office = OFFICE_KINDS[found.ext];
    if (office) return { kind: office, mime: found.mime };
    return { kind: null, mime: found.mime, ext: found.ext };
  }
  if (!isUtf8Text(data)) return { kind: null, mime: null, ext: '' };
  const kind = textKind(name);
  return { kind, mime: TEXT_MIMES[kind] };
}

const unsupported = (detail: string) => new UnreadableFileError('unsupported_type', detail);

/** Valid UTF-8 without NUL bytes: binary formats file-type does not know nearly always fail one of them. */
function isUtf8Text(data: Uint8Array): boolean {
  if (data.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

function textKind(name: string | undefined): 'text' | 'markdown' | 'csv' {
  const extension = name?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (extension === 'md' || extension === 'markdown') return 'markdown';
  if (extension === 'csv') return 'csv';
  return 'text';
}

async function read(
  kind: ExtractKind,
  data: Uint8Array,
  limits: ExtractLimits,
  collector: PartCollector,
  deadline: Deadline,
): Promise<void> {
  switch (kind) {
    case 'pdf':
      return readPdf(data, collector, deadline);
    case 'pptx':
      return readPptx(data, limits, collector);
    case 'docx':
      return readDocx(data, limits, collector);
    case 'xlsx':
      return readXlsx(data, limits, collector);
    case 'text':
    case 'markdown':
    case 'csv':
      // TextDecoder drops a leading BOM.
      return collector.add('Text', new TextDecoder('utf-8').decode(data));
  }
}
