import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/paths.js';

/** Prints a Markdown table and writes it (with a heading and the machine) to bench-results/<name>.md. */
export function report(name: string, title: string, headers: string[], rows: (string | number)[][], notes: string[] = []) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => `| ${cells.map((c, i) => String(c).padEnd(widths[i]!)).join(' | ')} |`;
  const table = [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
  const os = `${process.platform}-${process.arch}, Node ${process.versions.node}, ${new Date().toISOString()}`;
  const text = `## ${title}\n\n${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}${notes.length ? '\n' : ''}\n_${os}_\n`;
  console.log(`\n${text}`);
  const dir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.md`), text);
  return text;
}

export const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
export const s = (n: number) => `${(n / 1000).toFixed(2)} s`;
