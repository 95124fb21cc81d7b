import { describe, expect, it } from 'vitest';
import { parseMapping } from './mapping';
import { planImport } from './plan';
import { htmlEscape, renderHtml, renderMarkdown, type ReportInput } from './report';

const hostile = '<img src=x onerror=alert(1)> | `tick` [link](javascript:x) \u202Efdp.exe.pdf';
const plan = planImport({
  files: [{ path: `EMEA/${hostile}`, size: 1, mtime: 0, hash: 'h', text: { status: 'unreadable', message: 'text could not be read: "quoted" & <odd>' } }],
  problems: [{ path: '../../etc/passwd', problem: 'unsafe zip entry: a path that climbs out of the archive (..); not imported' }],
  metadata: null,
  mapping: parseMapping(),
  taxonomies: { products: [], regions: [], personas: [] },
  now: Date.UTC(2026, 0, 1),
});
const input: ReportInput = { source: 'lib.zip', dryRun: true, publish: false, plan, result: null, interrupted: null, startedAt: 0, finishedAt: 1000, staleAfterDays: 365 };

describe('the import report', () => {
  it('escapes HTML once, everywhere, and writes hidden characters out', () => {
    const html = renderHtml(input);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &lt;odd&gt;');
    expect(html).toContain('\\u202Efdp.exe.pdf');
    expect(html).not.toContain('\u202E');
    expect(htmlEscape(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
  });

  it('keeps Markdown tables intact: pipes, backticks and markup in names cannot break out', () => {
    const md = renderMarkdown(input);
    const row = md.split('\n').find((l) => l.includes('EMEA/'))!;
    // One code span per path, its backticks longer than any inside, its pipes escaped.
    expect(row).toContain('`` EMEA/<img src=x onerror=alert(1)> \\| `tick` [link](javascript:x) \\u202Efdp.exe.pdf ``');
    expect(md).toContain('\\<odd\\>');
    expect(md).not.toContain('\u202E');
    expect(md).toMatch(/## To decide\n\nNever merged silently/);
    expect(md).toMatch(/\| ` \.\.\/\.\.\/etc\/passwd ` \| unsafe zip entry/);
  });
});
