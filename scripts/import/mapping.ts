/**
 * How a library's folders, metadata columns and file names map onto Candor's products, regions,
 * personas and kinds: the mapping file (`--mapping mapping.json`, validated here) over sensible
 * defaults. Pure: the taxonomy (names that exist in Candor) is passed in.
 */
import { z } from 'zod';
import collateralSchema from '../../cms/src/api/collateral/content-types/collateral/schema.json' with { type: 'json' };
import { splitExtension } from './names';

/** The collateral kinds, from the content type itself. */
export const KINDS = collateralSchema.attributes.kind.enum as [string, ...string[]];
export type Kind = (typeof KINDS)[number];

export const TAXONOMIES = ['products', 'regions', 'personas'] as const;
export type Taxonomy = (typeof TAXONOMIES)[number];
export type Tags = Record<Taxonomy, string[]>;
export const noTags = (): Tags => ({ products: [], regions: [], personas: [] });

const kind = z.enum(KINDS, { error: `kind must be one of: ${KINDS.join(', ')}` });
const names = z.array(z.string().min(1)).optional();

const folderRule = z
  .object({ products: names, regions: names, personas: names, kind: kind.optional(), skip: z.boolean().optional() })
  .strict();

export const mappingSchema = z
  .object({
    /**
     * A folder name (any depth, case-insensitive) or a path from the library's root ("Sales/EMEA"),
     * to what its files are about, their kind, or `skip: true`.
     */
    folders: z.record(z.string(), folderRule).default({}),
    /** A metadata column to what it fills; other columns are kept out. */
    columns: z.record(z.string(), z.enum(['products', 'regions', 'personas', 'kind', 'ignore'])).default({}),
    /** A value in the library ("Pulse") to a Candor name ("Aurora Pulse"), per taxonomy. */
    values: z.object({ products: z.record(z.string(), z.string()), regions: z.record(z.string(), z.string()), personas: z.record(z.string(), z.string()) }).partial().default({}),
    /** Words in a file name (or its Content Type) that give the kind, checked before the defaults. */
    kinds: z.record(z.string(), kind).default({}),
    /** Kind of files no rule names (presentations are decks, films are videos). */
    defaultKind: kind.default('one_pager'),
    /** Folder or file names never imported (case-insensitive), beside the built-in system files. */
    skip: z.array(z.string()).default([]),
    /** Items not modified for this many days are listed as candidates to retire. */
    staleAfterDays: z.number().int().positive().default(365),
    /** MinHash similarity from which files of one name family count as versions of one document. */
    familySimilarity: z.number().min(0).max(1).default(0.5),
    /** Similarity from which files with different names are listed as possibly the same document. */
    nearDuplicate: z.number().min(0).max(1).default(0.8),
    /** How to read 03/04/2024 in the metadata: month first (SharePoint in English) or day first. */
    dateOrder: z.enum(['MDY', 'DMY']).default('MDY'),
  })
  .strict();

export type Mapping = z.infer<typeof mappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;

/** The mapping from a file's JSON (or the defaults); a bad file throws one readable message. */
export function parseMapping(json: unknown = {}): Mapping {
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) throw new Error(`The mapping file is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** SharePoint's usual custom columns, when the mapping names none. */
const DEFAULT_COLUMNS: Record<string, Mapping['columns'][string]> = {
  product: 'products',
  products: 'products',
  region: 'regions',
  regions: 'regions',
  territory: 'regions',
  persona: 'personas',
  personas: 'personas',
  audience: 'personas',
  kind: 'kind',
  'document type': 'kind',
};

/** Name words that give the kind, in order (first match wins). */
const DEFAULT_KIND_WORDS: [RegExp, Kind][] = [
  [/\bbattle ?cards?\b/, 'battlecard'],
  [/\b(one|1) ?pagers?\b|\bonepagers?\b|\bdata ?sheets?\b/, 'one_pager'],
  [/\bcase ?stud(y|ies)\b|\bcustomer stor(y|ies)\b/, 'case_study'],
  [/\bpric(e|es|ing)\b|\brate ?card\b/, 'pricing_sheet'],
  [/\be ?mail templates?\b|\bemail\b/, 'email_template'],
  [/\btalk ?tracks?\b|\bcall scripts?\b/, 'talk_track'],
  [/\bdecks?\b|\bpresentations?\b|\bpitch\b/, 'deck'],
];
const PRESENTATION = new Set(['.pptx', '.ppt', '.pptm', '.pps', '.ppsx', '.potx', '.key', '.odp']);
const FILM = new Set(['.mp4', '.mov', '.m4v', '.webm', '.avi', '.wmv']);

/** Lower case, accents folded, separators as single spaces: how names are compared. */
export const comparable = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** The kind a file name says, or null. Mapping words first, then the defaults, then the extension. */
export function kindFromName(fileName: string, mapping: Mapping): Kind | null {
  const words = comparable(splitExtension(fileName).base);
  for (const [word, k] of Object.entries(mapping.kinds)) if (` ${words} `.includes(` ${comparable(word)} `)) return k;
  for (const [re, k] of DEFAULT_KIND_WORDS) if (re.test(words)) return k;
  return null;
}

export function kindFromExtension(fileName: string, mapping: Mapping): Kind {
  const { ext } = splitExtension(fileName);
  if (PRESENTATION.has(ext)) return 'deck';
  if (FILM.has(ext)) return 'video';
  return mapping.defaultKind;
}

/** What a metadata column fills, or null when it is not one the import uses. */
export function columnRole(column: string, mapping: Mapping): Mapping['columns'][string] | null {
  const own = Object.entries(mapping.columns).find(([c]) => comparable(c) === comparable(column));
  if (own) return own[1];
  return DEFAULT_COLUMNS[comparable(column)] ?? null;
}

/** The names that exist in Candor, per taxonomy, as the mapping resolves them. */
export type Taxonomies = Record<Taxonomy, string[]>;

/** A library value to the Candor name it means (mapping alias, or the same name compared loosely), or null. */
export function resolveValue(taxonomy: Taxonomy, value: string, mapping: Mapping, known: Taxonomies): string | null {
  const alias = Object.entries(mapping.values[taxonomy] ?? {}).find(([from]) => comparable(from) === comparable(value));
  const wanted = comparable(alias ? alias[1] : value);
  return known[taxonomy].find((n) => comparable(n) === wanted) ?? null;
}

/** What a file's folders say about it: mapped folders first, then folders named like a product, region or persona. */
export function tagsFromFolders(folders: string[], mapping: Mapping, known: Taxonomies): { tags: Tags; kind: Kind | null; skip: boolean } {
  const tags = noTags();
  let kind: Kind | null = null;
  let skip = false;
  const add = (t: Taxonomy, name: string) => {
    if (!tags[t].includes(name)) tags[t].push(name);
  };
  const rules = Object.entries(mapping.folders);
  folders.forEach((folder, depth) => {
    const pathHere = comparable(folders.slice(0, depth + 1).join('/'));
    const rule = rules.find(([key]) => (key.includes('/') ? comparable(key) === pathHere : comparable(key) === comparable(folder)))?.[1];
    if (rule) {
      for (const t of TAXONOMIES) for (const v of rule[t] ?? []) add(t, resolveValue(t, v, mapping, known) ?? v);
      if (rule.kind) kind = rule.kind;
      if (rule.skip) skip = true;
      return;
    }
    if (mapping.skip.some((s) => comparable(s) === comparable(folder))) skip = true;
    for (const t of TAXONOMIES) {
      const name = resolveValue(t, folder, mapping, known);
      if (name) add(t, name);
    }
  });
  return { tags, kind, skip };
}

/** Files a library carries that are nobody's document. */
const SYSTEM_FILES = /^(thumbs\.db|desktop\.ini|\.ds_store|~\$.*|\._.*|\.~lock\..*#|icon\r?)$/i;

/** Why a file is not imported at all, or null. */
export function skipReason(fileName: string, mapping: Mapping): string | null {
  if (SYSTEM_FILES.test(fileName)) return 'a system or lock file, not a document';
  if (mapping.skip.some((s) => comparable(s) === comparable(fileName))) return 'skipped by the mapping';
  const { ext } = splitExtension(fileName);
  if (['.exe', '.dll', '.bat', '.cmd', '.sh', '.msi', '.js', '.vbs', '.ps1', '.scr', '.com', '.lnk', '.url'].includes(ext)) return 'a program or shortcut, not a document';
  if (['.zip', '.7z', '.rar', '.tar', '.gz', '.tgz'].includes(ext)) return 'an archive inside the library: import it on its own';
  return null;
}
