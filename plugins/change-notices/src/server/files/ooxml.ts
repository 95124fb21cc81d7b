import { posix } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import type { ExtractLimits } from './limits';
import type { PartCollector } from './text';
import { UnreadableFileError } from './types';

/**
 * PPTX, DOCX and XLSX through their XML parts: a zip reader (fflate) and a streaming XML pass (saxes,
 * which expands no external or DTD entities). Only the XML parts we read are inflated; media stay packed.
 */

type Entries = Map<string, Uint8Array>;

/**
 * Reads the zip directory, refuses bombs from the sizes it declares, then inflates only `wanted` entries.
 * fflate inflates each entry into a buffer of its declared size, so a lying directory cannot make it
 * produce more than the sum checked here.
 */
export function openZip(bytes: Uint8Array, limits: ExtractLimits, wanted: (name: string) => boolean): Entries {
  let entries = 0;
  let declared = 0;
  const bomb = (detail: string) => new UnreadableFileError('zip_bomb', detail);
  // First pass: directory only (the filter returns false, nothing is inflated).
  unzipSync(bytes, {
    filter: (file) => {
      entries += 1;
      declared += file.originalSize;
      if (entries > limits.maxZipEntries) throw bomb(`the file holds more than ${limits.maxZipEntries} packed parts`);
      if (declared > limits.maxDecompressedBytes) {
        throw bomb(`the file unpacks to more than ${formatBytes(limits.maxDecompressedBytes)}`);
      }
      return false;
    },
  });
  const files = unzipSync(bytes, { filter: (file) => wanted(file.name) });
  return new Map(Object.entries(files));
}

export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${bytes} bytes`;
}

const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

/** A prefixed attribute by its local name (`r:id`, not the bare numeric `id` beside it). */
function prefixedAttribute(attributes: Record<string, string>, local: string): string | undefined {
  for (const [name, value] of Object.entries(attributes)) {
    if (name.includes(':') && localName(name) === local) return value;
  }
  return undefined;
}

interface XmlHandlers {
  open?: (local: string, attributes: Record<string, string>) => void;
  close?: (local: string) => void;
  text?: (text: string) => void;
}

function walkXml(data: Uint8Array | undefined, handlers: XmlHandlers): void {
  if (!data) return;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => handlers.open?.(localName(tag.name), tag.attributes as Record<string, string>));
  parser.on('closetag', (tag) => handlers.close?.(localName(tag.name)));
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(strFromU8(data)).close();
}

/** DrawingML/WordprocessingML text: runs joined, paragraphs and breaks as line feeds, tabs as spaces. */
function paragraphText(data: Uint8Array | undefined, textTags: ReadonlySet<string>): string {
  const out: string[] = [];
  let inText = 0;
  // mc:Fallback repeats what mc:Choice holds (text boxes in DOCX): read one of them only.
  let inFallback = 0;
  walkXml(data, {
    open: (name) => {
      if (name === 'Fallback') inFallback += 1;
      if (inFallback) return;
      if (textTags.has(name)) inText += 1;
      else if (name === 'tab') out.push('\t');
      else if (name === 'br' || name === 'cr') out.push('\n');
    },
    close: (name) => {
      if (name === 'Fallback') inFallback -= 1;
      if (inFallback) return;
      if (textTags.has(name)) inText -= 1;
      else if (name === 'p') out.push('\n');
    },
    text: (text) => {
      if (inText && !inFallback) out.push(text);
    },
  });
  return out.join('');
}

interface Relationship {
  target: string;
  type: string;
}

/** `word/document.xml` → `word/_rels/document.xml.rels`, targets resolved to entry names. */
function relationships(entries: Entries, part: string): Map<string, Relationship> {
  const dir = posix.dirname(part);
  const rels = new Map<string, Relationship>();
  walkXml(entries.get(posix.join(dir, '_rels', `${posix.basename(part)}.rels`)), {
    open: (name, attributes) => {
      if (name !== 'Relationship' || attributes.TargetMode === 'External') return;
      const { Id: id, Target: target, Type: type = '' } = attributes;
      if (!id || !target) return;
      const resolved = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(dir, target));
      rels.set(id, { target: resolved, type });
    },
  });
  return rels;
}

const isXml = (name: string) => name.endsWith('.xml') || name.endsWith('.rels');

/** One part per slide, in the order of presentation.xml's sldIdLst (not slide file names). */
export function readPptx(bytes: Uint8Array, limits: ExtractLimits, collector: PartCollector): void {
  const entries = openZip(bytes, limits, (name) => isXml(name) && !name.startsWith('ppt/media/'));
  const presentation = 'ppt/presentation.xml';
  if (!entries.has(presentation)) throw new UnreadableFileError('corrupt', 'the presentation has no slide list');
  const rels = relationships(entries, presentation);
  const slideIds: string[] = [];
  walkXml(entries.get(presentation), {
    open: (name, attributes) => {
      const id = name === 'sldId' ? prefixedAttribute(attributes, 'id') : undefined;
      if (id) slideIds.push(id);
    },
  });
  const slideTags = new Set(['t']);
  for (const [position, id] of slideIds.entries()) {
    if (collector.full) return collector.markSkipped();
    const target = rels.get(id)?.target;
    collector.add(`Slide ${position + 1}`, target ? paragraphText(entries.get(target), slideTags) : '');
  }
}

/**
 * The body of a DOCX as one part: Word lays out pages when it renders, so the file holds no page numbers
 * we could trust (explicit page breaks are a small minority of them).
 */
export function readDocx(bytes: Uint8Array, limits: ExtractLimits, collector: PartCollector): void {
  const entries = openZip(bytes, limits, (name) => isXml(name) && !name.startsWith('word/media/'));
  const main = mainPart(entries) ?? 'word/document.xml';
  if (!entries.has(main)) throw new UnreadableFileError('corrupt', 'the document has no body');
  // w:t only: w:delText (tracked deletions) and w:instrText (field codes) are not the document's text.
  collector.add('Document', paragraphText(entries.get(main), new Set(['t'])));
}

/** The officeDocument target of the package's root relationships (`word/document.xml` by convention). */
function mainPart(entries: Entries): string | undefined {
  for (const rel of relationships(entries, '').values()) {
    if (rel.type.endsWith('/officeDocument')) return rel.target;
  }
  return undefined;
}

/** One part per sheet, named after the sheet, in workbook order: rows as lines, cells separated by spaces. */
export function readXlsx(bytes: Uint8Array, limits: ExtractLimits, collector: PartCollector): void {
  const entries = openZip(bytes, limits, (name) => isXml(name) && !name.startsWith('xl/media/'));
  const workbook = 'xl/workbook.xml';
  if (!entries.has(workbook)) throw new UnreadableFileError('corrupt', 'the workbook has no sheet list');
  const rels = relationships(entries, workbook);
  const shared = sharedStrings(entries.get('xl/sharedStrings.xml'));
  const sheets: { name: string; id: string | undefined }[] = [];
  walkXml(entries.get(workbook), {
    open: (name, attributes) => {
      if (name === 'sheet') sheets.push({ name: attributes.name ?? '', id: prefixedAttribute(attributes, 'id') });
    },
  });
  for (const [position, sheet] of sheets.entries()) {
    if (collector.full) return collector.markSkipped();
    const target = sheet.id ? rels.get(sheet.id)?.target : undefined;
    const label = sheet.name ? `Sheet ${sheet.name}` : `Sheet ${position + 1}`;
    collector.add(label, target ? sheetText(entries.get(target), shared) : '');
  }
}

/** Each `si` is one string; phonetic runs (`rPh`, furigana) are not part of it. */
function sharedStrings(data: Uint8Array | undefined): string[] {
  const strings: string[] = [];
  let current: string[] = [];
  let inText = false;
  let inPhonetic = false;
  walkXml(data, {
    open: (name) => {
      if (name === 'si') current = [];
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 't') inText = !inPhonetic;
    },
    close: (name) => {
      if (name === 'si') strings.push(current.join(''));
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 't') inText = false;
    },
    text: (text) => {
      if (inText) current.push(text);
    },
  });
  return strings;
}

function sheetText(data: Uint8Array | undefined, shared: readonly string[]): string {
  const lines: string[] = [];
  let row: string[] = [];
  let cellType = '';
  let value: string[] = [];
  let capture = false;
  walkXml(data, {
    open: (name, attributes) => {
      if (name === 'row') row = [];
      else if (name === 'c') {
        cellType = attributes.t ?? 'n';
        value = [];
      } else if (name === 'v' || (name === 't' && cellType === 'inlineStr')) capture = true;
    },
    close: (name) => {
      if (name === 'v' || name === 't') capture = false;
      else if (name === 'c') {
        const raw = value.join('');
        row.push(cellType === 's' ? (shared[Number(raw)] ?? '') : cellType === 'b' ? (raw === '1' ? 'TRUE' : 'FALSE') : raw);
      } else if (name === 'row') lines.push(row.join('\t'));
    },
    text: (text) => {
      if (capture) value.push(text);
    },
  });
  return lines.join('\n');
}
