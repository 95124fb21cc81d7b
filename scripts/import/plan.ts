/**
 * The import's decisions, as plain data: which files are one document (the same bytes), which
 * documents are versions of one item (a name family whose texts are alike), what each item is about
 * and what a person must decide. Pure: the files' hashes and text signatures, the metadata, the
 * mapping and Candor's taxonomy in; the plan out. `apply.ts` carries it out, `report.ts` tells it.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { groupSimilar, similarityOf } from '../../plugins/change-notices/src/server/files/similarity';
import { columnRole, kindFromExtension, kindFromName, noTags, resolveValue, skipReason, tagsFromFolders, TAXONOMIES, type Kind, type Mapping, type Tags, type Taxonomies } from './mapping';
import { matchMetadata, type Metadata } from './metadata';
import { cleanName, familyKeyOf, hasHiddenCharacters, titleOf, versionNumberOf } from './names';
import type { SourceProblem } from './sources';

/** A source file once read: its bytes' sha256 and what its text is like. */
export interface ScannedFile {
  path: string;
  size: number;
  mtime: number | null;
  hash: string;
  text: { status: 'ok'; minhash: number[] | null; snippet: string } | { status: 'unreadable'; message: string };
}

/** One source path as a plan sees it: its stable key and what the library said about it. */
export interface PlannedFile {
  sourceKey: string;
  path: string;
  /** The file name fit to show and store: hidden characters removed. */
  name: string;
  modified: number;
  modifiedBy: string | null;
}

/** One version of an item: distinct bytes, found at one or more paths (copies). */
export interface PlannedVersion {
  hash: string;
  /** The first path is the one uploaded; the others are copies of the same bytes. */
  files: PlannedFile[];
  modified: number;
  modifiedBy: string | null;
  size: number;
}

export interface PlannedItem {
  itemKey: string;
  familyKey: string;
  title: string;
  kind: Kind;
  tags: Tags;
  ownerEmail: string | null;
  summary: string;
  /** Oldest first; the last is current. */
  versions: PlannedVersion[];
  lastModified: number;
}

export type Ambiguity =
  | { kind: 'dissimilar_family'; family: string; groups: string[][] }
  | { kind: 'uncomparable_family'; family: string; paths: string[] }
  | { kind: 'similar_names_differ'; titles: [string, string]; paths: [string, string]; similarity: number };

export interface Plan {
  items: PlannedItem[];
  skipped: { path: string; reason: string }[];
  /** Input that could not be used: source problems (links, depth, zip slip), metadata problems. */
  problems: { path: string | null; problem: string }[];
  unreadableText: { path: string; message: string }[];
  ambiguous: Ambiguity[];
  /** Names that had hidden or reordering characters: the raw name, for the report to show escaped. */
  hiddenCharacters: { path: string; title: string }[];
  staleItems: PlannedItem[];
  metadataEncoding: string | null;
  counts: { files: number; skipped: number; items: number; versions: number; copies: number; families: number; ambiguous: number };
}

export interface PlanInput {
  files: ScannedFile[];
  /** Files that could not be read at all, and the source's own problems. */
  problems: SourceProblem[];
  metadata: Metadata | null;
  mapping: Mapping;
  taxonomies: Taxonomies;
  now: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The ledger key of a source file: its path and its bytes. The same bytes at the same path import once. */
export const sourceKeyOf = (sourcePath: string, hash: string) => sha256(`file\0${sourcePath}\0${hash}`);

const DAY = 86_400_000;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function planImport(input: PlanInput): Plan {
  const { mapping, taxonomies } = input;
  const skipped: Plan['skipped'] = [];
  const problems: Plan['problems'] = input.problems.map((p) => ({ path: p.path, problem: p.problem }));
  const unknownValues = new Map<string, number>();

  const kept: (ScannedFile & { tags: Tags; folderKind: Kind | null; meta: ReturnType<typeof matchMetadata>['byPath'] extends Map<string, infer R> ? R | undefined : never })[] = [];
  const meta = input.metadata ? matchMetadata(input.metadata.rows, input.files.map((f) => f.path)) : null;
  if (input.metadata) for (const p of input.metadata.problems) problems.push({ path: null, problem: p });
  if (meta) {
    for (const p of meta.problems) problems.push({ path: null, problem: p });
    if (meta.unmatched.length) {
      const shown = meta.unmatched.slice(0, 5).map((r) => `“${r.name}” (line ${r.line})`).join(', ');
      problems.push({ path: null, problem: `${meta.unmatched.length} metadata row(s) match no file in the source: ${shown}${meta.unmatched.length > 5 ? ', …' : ''}.` });
    }
  }
  for (const f of input.files) {
    const name = path.posix.basename(f.path);
    const reason = skipReason(name, mapping);
    if (reason) {
      skipped.push({ path: f.path, reason });
      continue;
    }
    const folders = path.posix.dirname(f.path) === '.' ? [] : path.posix.dirname(f.path).split('/');
    const fromFolders = tagsFromFolders(folders.map(cleanName), mapping, taxonomies);
    if (fromFolders.skip) {
      skipped.push({ path: f.path, reason: 'in a folder the mapping skips' });
      continue;
    }
    kept.push({ ...f, tags: fromFolders.tags, folderKind: fromFolders.kind, meta: meta?.byPath.get(f.path) });
  }

  // What the metadata's custom columns say about a file.
  const columnsOf = (row: (typeof kept)[number]['meta']): { tags: Tags; kind: Kind | null } => {
    const tags = noTags();
    let kind: Kind | null = null;
    for (const [column, value] of Object.entries(row?.custom ?? {})) {
      const role = columnRole(column, mapping);
      if (!role || role === 'ignore') continue;
      if (role === 'kind') {
        kind = kindFromName(value, mapping) ?? kind;
        continue;
      }
      // SharePoint writes multi-value columns as "A;B" or "A, B".
      for (const v of value.split(/[;,]/).map((s) => s.trim()).filter(Boolean)) {
        const resolved = resolveValue(role, v, mapping, taxonomies);
        if (resolved) {
          if (!tags[role].includes(resolved)) tags[role].push(resolved);
        } else {
          const key = `${role.replace(/s$/, '')} “${v}”`;
          unknownValues.set(key, (unknownValues.get(key) ?? 0) + 1);
        }
      }
    }
    if (!kind && row?.contentType) kind = kindFromName(row.contentType, mapping);
    return { tags, kind };
  };

  // One document per distinct bytes.
  const byHash = new Map<string, typeof kept>();
  for (const f of kept) byHash.set(f.hash, [...(byHash.get(f.hash) ?? []), f]);
  interface Doc {
    hash: string;
    files: typeof kept;
    planned: PlannedFile[];
    family: string;
    modified: number;
  }
  const docs: Doc[] = [...byHash.entries()].map(([hash, files]) => {
    const planned = files
      .map((f) => ({ sourceKey: sourceKeyOf(f.path, hash), path: f.path, name: cleanName(path.posix.basename(f.path)), modified: f.meta?.modified ?? f.mtime ?? input.now, modifiedBy: f.meta?.modifiedBy ?? null }))
      .sort((a, b) => a.modified - b.modified || a.path.localeCompare(b.path));
    // Copies named differently: the family most of them share (ties: the earliest).
    const votes = new Map<string, number>();
    for (const p of planned) votes.set(familyKeyOf(p.name), (votes.get(familyKeyOf(p.name)) ?? 0) + 1);
    const family = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    return { hash, files, planned, family, modified: planned[0]!.modified };
  });

  // Families of names, split where the texts are not alike.
  const byFamily = new Map<string, Doc[]>();
  for (const d of docs) byFamily.set(d.family, [...(byFamily.get(d.family) ?? []), d]);
  const ambiguous: Ambiguity[] = [];
  const groups: { family: string; docs: Doc[] }[] = [];
  const minhashOf = (d: Doc) => {
    const t = d.files[0]!.text;
    return t.status === 'ok' ? t.minhash : null;
  };
  for (const [family, members] of [...byFamily.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (members.length === 1) {
      groups.push({ family, docs: members });
      continue;
    }
    const comparable = members.filter((d) => minhashOf(d));
    const blind = members.filter((d) => !minhashOf(d));
    const similar = groupSimilar(comparable.map((d, i) => ({ id: i, hash: d.hash, minhash: minhashOf(d) })), mapping.familySimilarity);
    const grouped = new Set(similar.flat());
    const parts = [...similar.map((g) => g.map((i) => comparable[i]!)), ...comparable.filter((_, i) => !grouped.has(i)).map((d) => [d])];
    for (const p of parts) groups.push({ family, docs: p });
    for (const d of blind) groups.push({ family, docs: [d] });
    if (parts.length > 1) ambiguous.push({ kind: 'dissimilar_family', family, groups: parts.map((p) => p.map((d) => d.planned[0]!.path)) });
    if (blind.length) ambiguous.push({ kind: 'uncomparable_family', family, paths: members.map((d) => d.planned[0]!.path) });
  }

  const items: PlannedItem[] = groups.map(({ family, docs: members }) => {
    const versions: PlannedVersion[] = members
      .map((d) => ({ hash: d.hash, files: d.planned, modified: d.modified, modifiedBy: d.planned[0]!.modifiedBy, size: d.files[0]!.size }))
      .sort((a, b) => a.modified - b.modified || (versionNumberOf(a.files[0]!.name) ?? 0) - (versionNumberOf(b.files[0]!.name) ?? 0) || a.files[0]!.path.localeCompare(b.files[0]!.path));
    const current = versions[versions.length - 1]!;
    const currentDoc = members.find((d) => d.hash === current.hash)!;
    const tags = noTags();
    let metaKind: Kind | null = null;
    let folderKind: Kind | null = null;
    for (const d of members) {
      for (const f of d.files) {
        const cols = columnsOf(f.meta);
        for (const t of TAXONOMIES) for (const n of [...f.tags[t], ...cols.tags[t]]) if (!tags[t].includes(n)) tags[t].push(n);
        if (d === currentDoc) {
          metaKind ??= cols.kind;
          folderKind ??= f.folderKind;
        }
      }
    }
    const name = current.files[0]!.name;
    const kind = folderKind ?? metaKind ?? kindFromName(name, mapping) ?? kindFromExtension(name, mapping);
    const text = currentDoc.files[0]!.text;
    const snippet = text.status === 'ok' ? text.snippet.replace(/\s+/g, ' ').trim() : '';
    const provenance = `Imported from ${cleanName(current.files[0]!.path)}.`;
    const summary = snippet ? `${snippet.slice(0, 590 - provenance.length).trimEnd()}${snippet.length > 590 - provenance.length ? '…' : ''} ${provenance}` : provenance.slice(0, 600);
    return {
      itemKey: sha256(`item\0${family}\0${versions[0]!.hash}`),
      familyKey: family,
      title: titleOf(name),
      kind,
      tags,
      ownerEmail: current.modifiedBy && EMAIL.test(current.modifiedBy) ? current.modifiedBy.toLowerCase() : null,
      summary,
      versions,
      lastModified: current.modified,
    };
  });
  items.sort((a, b) => a.title.localeCompare(b.title) || a.itemKey.localeCompare(b.itemKey));

  // Different names, nearly the same words: maybe one document; a person decides.
  const signed = items.map((it) => {
    const d = docs.find((x) => x.hash === it.versions[it.versions.length - 1]!.hash)!;
    return { item: it, minhash: minhashOf(d) };
  });
  for (let i = 0; i < signed.length; i++) {
    const a = signed[i]!;
    if (!a.minhash) continue;
    for (let j = i + 1; j < signed.length; j++) {
      const b = signed[j]!;
      if (!b.minhash || a.item.familyKey === b.item.familyKey) continue;
      const similarity = similarityOf(a.minhash, b.minhash);
      if (similarity >= mapping.nearDuplicate) {
        ambiguous.push({ kind: 'similar_names_differ', titles: [a.item.title, b.item.title], paths: [a.item.versions.at(-1)!.files[0]!.path, b.item.versions.at(-1)!.files[0]!.path], similarity: Math.round(similarity * 100) / 100 });
      }
    }
  }

  for (const [value, n] of [...unknownValues.entries()].sort()) problems.push({ path: null, problem: `The metadata names ${value} (${n} file${n === 1 ? '' : 's'}), which Candor does not have: not linked. Create it, or map it in the mapping file's "values".` });

  const unreadableText = kept.filter((f) => f.text.status === 'unreadable').map((f) => ({ path: f.path, message: (f.text as { message: string }).message }));
  const hiddenCharacters = kept.filter((f) => hasHiddenCharacters(f.path)).map((f) => ({ path: f.path, title: items.find((it) => it.versions.some((v) => v.files.some((p) => p.path === f.path)))?.title ?? '' }));
  const staleItems = items.filter((it) => it.lastModified < input.now - mapping.staleAfterDays * DAY);
  const versions = items.reduce((n, it) => n + it.versions.length, 0);
  return {
    items,
    skipped,
    problems,
    unreadableText,
    ambiguous,
    hiddenCharacters,
    staleItems,
    metadataEncoding: input.metadata?.encoding ?? null,
    counts: {
      files: input.files.length,
      skipped: skipped.length,
      items: items.length,
      versions,
      copies: kept.length - docs.length,
      families: items.filter((it) => it.versions.length > 1).length,
      ambiguous: ambiguous.length,
    },
  };
}
