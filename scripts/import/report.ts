/**
 * The import's report, in Markdown and HTML, written beside the source: what was imported, merged,
 * skipped and why, what a person must decide, files whose text could not be read, and items nobody
 * touched for a long time. One model (`reportSections`) rendered twice, each renderer escaping for
 * its own format; names with hidden characters are shown with them written out (`\u202E`).
 */
import type { ApplyResult } from './apply';
import { visibleName } from './names';
import type { Ambiguity, Plan } from './plan';

export interface ReportInput {
  source: string;
  dryRun: boolean;
  publish: boolean;
  plan: Plan;
  result: ApplyResult | null;
  /** Dry run: versions of the plan an earlier run already imported. */
  alreadyImported?: number | null;
  /** The run was stopped before the end. */
  interrupted: string | null;
  startedAt: number;
  finishedAt: number;
  staleAfterDays: number;
}

/** A cell of text: shown as is (escaped by the renderer); `code` for names and paths. */
type Cell = { text: string; code?: boolean };
interface Section {
  title: string;
  intro?: string;
  head?: string[];
  rows: Cell[][];
  /** Shown when there are no rows. */
  empty?: string;
}

const code = (s: string): Cell => ({ text: visibleName(s), code: true });
const txt = (s: string | number): Cell => ({ text: visibleName(String(s)) });
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function ambiguityRow(a: Ambiguity): Cell[] {
  if (a.kind === 'dissimilar_family') return [txt('Same name family, different text'), txt(`“${a.family}”: kept as ${a.groups.length} items`), code(a.groups.map((g) => g.join(' + ')).join('  |  '))];
  if (a.kind === 'uncomparable_family') return [txt('Same name family, text not comparable'), txt(`“${a.family}”: kept apart (a file's text could not be read)`), code(a.paths.join('  |  '))];
  return [txt('Similar text, different names'), txt(`“${a.titles[0]}” and “${a.titles[1]}” (${Math.round(a.similarity * 100)} % alike): kept apart`), code(a.paths.join('  |  '))];
}

export function reportSections(r: ReportInput): Section[] {
  const { plan, result } = r;
  const c = plan.counts;
  const outcomes = new Map((result?.items ?? []).map((i) => [i.itemKey, i]));
  const summary: Cell[][] = [
    [txt('Source'), code(r.source)],
    [txt('Mode'), txt(r.dryRun ? 'dry run: nothing was written' : r.publish ? 'import, items published' : 'import, items left as drafts for review')],
    [txt('Files found'), txt(c.files)],
    [txt('Skipped'), txt(c.skipped)],
    [txt('Items (one per document)'), txt(c.items)],
    [txt('Versions'), txt(c.versions)],
    [txt('Copies merged (same bytes at another path)'), txt(c.copies)],
    [txt('Version families merged into one item'), txt(c.families)],
    [txt('To decide (ambiguous)'), txt(c.ambiguous)],
    [txt('Text could not be read'), txt(plan.unreadableText.length)],
    [txt(`Candidates to retire (untouched > ${r.staleAfterDays} days)`), txt(plan.staleItems.length)],
    [txt('Problems with the input'), txt(plan.problems.length)],
  ];
  if (r.dryRun && r.alreadyImported != null) summary.push([txt('Already imported (a run would skip them)'), txt(`${r.alreadyImported} of ${c.versions} versions`)]);
  if (plan.metadataEncoding) summary.push([txt('Metadata encoding'), txt(plan.metadataEncoding)]);
  if (result) {
    summary.push(
      [txt('Created this run'), txt(`${result.created.items} items, ${result.created.versions} versions, ${result.created.copies} copies, ${result.created.uploads} uploads`)],
      [txt('Already imported before'), txt(`${result.alreadyImported.versions} versions, ${result.alreadyImported.copies} copies`)],
      [txt('Published this run'), txt(result.published)],
      [txt('Failed'), txt(result.failures.length)]
    );
  }
  if (r.interrupted) summary.push([txt('Interrupted'), txt(`${r.interrupted}: run the same command again to resume`)]);
  summary.push([txt('Time'), txt(`${((r.finishedAt - r.startedAt) / 1000).toFixed(1)} s`)]);

  return [
    { title: 'Summary', head: ['', ''], rows: summary },
    {
      title: 'Items',
      intro: r.dryRun ? 'What the import would create.' : 'Each item is a collateral in Candor; its files are its versions, oldest first, the last one current.',
      head: ['Title', 'Kind', 'Versions', 'Products, regions, personas', 'Outcome'],
      rows: plan.items.map((it) => [
        txt(it.title),
        txt(it.kind),
        txt(it.versions.length),
        txt([...it.tags.products, ...it.tags.regions, ...it.tags.personas].join(', ') || '—'),
        txt(r.dryRun ? 'planned' : (outcomes.get(it.itemKey)?.outcome ?? (r.interrupted ? 'not reached' : 'unchanged')) + (outcomes.get(it.itemKey)?.published ? ', published' : '')),
      ]),
      empty: 'No items.',
    },
    {
      title: 'Merged',
      intro: 'Files that became one item: versions of one document (by name and text), and identical copies (by hash).',
      head: ['Item', 'Versions, oldest first (copies after +)'],
      rows: plan.items
        .filter((it) => it.versions.length > 1 || it.versions.some((v) => v.files.length > 1))
        .map((it) => [txt(it.title), code(it.versions.map((v) => `${v.files.map((f) => f.path).join(' + ')} (${date(v.modified)})`).join('  →  '))]),
      empty: 'Nothing merged.',
    },
    { title: 'To decide', intro: 'Never merged silently: a person decides (the plugin’s Copies tab can merge items later).', head: ['What', 'Decision taken', 'Files'], rows: plan.ambiguous.map(ambiguityRow), empty: 'Nothing to decide.' },
    { title: 'Skipped', head: ['File', 'Why'], rows: plan.skipped.map((s) => [code(s.path), txt(s.reason)]), empty: 'Nothing skipped.' },
    {
      title: 'Text could not be read',
      intro: 'Imported, but search cannot find words inside them, and they were not compared with other files.',
      head: ['File', 'Why'],
      rows: plan.unreadableText.map((u) => [code(u.path), txt(u.message)]),
      empty: 'Every file’s text was read.',
    },
    {
      title: 'Candidates to retire',
      intro: `Not modified for more than ${r.staleAfterDays} days.`,
      head: ['Item', 'Last modified', 'File'],
      rows: plan.staleItems.map((it) => [txt(it.title), txt(date(it.lastModified)), code(it.versions.at(-1)!.files[0]!.path)]),
      empty: 'None.',
    },
    { title: 'Names with hidden characters', intro: 'Bidi overrides, zero-width or control characters: removed from titles, written out here.', head: ['File', 'Title'], rows: plan.hiddenCharacters.map((h) => [code(h.path), txt(h.title)]), empty: 'None.' },
    {
      title: 'Problems',
      head: ['Where', 'Problem'],
      rows: [...plan.problems.map((p) => [p.path ? code(p.path) : txt('—'), txt(p.problem)]), ...(result?.failures ?? []).map((f) => [code(f.path), txt(f.problem)])],
      empty: 'No problems.',
    },
  ];
}

/** Markdown: every character that could start markup is escaped; names in code spans never break out. */
const mdEscape = (s: string) => s.replace(/[\\`*_[\]<>|~]/g, '\\$&').replace(/\r?\n/g, ' ');
const mdCode = (s: string) => {
  const fence = '`'.repeat(Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length)) + 1);
  // A pipe ends a table cell even inside a code span.
  return `${fence} ${s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')} ${fence}`;
};
const mdCell = (c: Cell) => (c.code ? mdCode(c.text) : mdEscape(c.text));

export function renderMarkdown(r: ReportInput): string {
  const out = [`# Import report: ${mdEscape(visibleName(r.source))}`, '', `${date(r.finishedAt)}, ${r.dryRun ? 'dry run' : 'import'}.`, ''];
  for (const s of reportSections(r)) {
    out.push(`## ${s.title}`, '');
    if (s.intro) out.push(s.intro, '');
    if (!s.rows.length) {
      out.push(s.empty ?? 'None.', '');
      continue;
    }
    const head = s.head ?? s.rows[0]!.map(() => '');
    out.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
    for (const row of s.rows) out.push(`| ${row.map(mdCell).join(' | ')} |`);
    out.push('');
  }
  return out.join('\n');
}

/** HTML: every text goes through one escape. */
export const htmlEscape = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const htmlCell = (c: Cell) => (c.code ? `<code>${htmlEscape(c.text)}</code>` : htmlEscape(c.text));

export function renderHtml(r: ReportInput): string {
  const body = reportSections(r)
    .map((s) => {
      const rows = s.rows.length
        ? `<table>${s.head?.some(Boolean) ? `<thead><tr>${s.head.map((h) => `<th>${htmlEscape(h)}</th>`).join('')}</tr></thead>` : ''}<tbody>${s.rows.map((row) => `<tr>${row.map((c) => `<td>${htmlCell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
        : `<p>${htmlEscape(s.empty ?? 'None.')}</p>`;
      return `<section><h2>${htmlEscape(s.title)}</h2>${s.intro ? `<p>${htmlEscape(s.intro)}</p>` : ''}${rows}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Import report: ${htmlEscape(visibleName(r.source))}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:80rem;color:#101828}table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #d0d5dd;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f2f4f7}code{font-size:12px;word-break:break-all;unicode-bidi:plaintext}</style>
</head><body><h1>Import report: <code>${htmlEscape(visibleName(r.source))}</code></h1><p>${htmlEscape(`${date(r.finishedAt)}, ${r.dryRun ? 'dry run' : 'import'}.`)}</p>
${body}
</body></html>
`;
}
