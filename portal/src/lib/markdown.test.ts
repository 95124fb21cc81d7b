import { describe, expect, it } from 'vitest';
import { isSafeHref, renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders headings, lists, quotes and tables', () => {
    const html = renderMarkdown('## Why now\n- one\n- two\n\n> "quote"\n\n| a | b |\n| --- | --- |\n| 1 | 2 |');
    expect(html).toContain('<h2>Why now</h2>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<blockquote>');
    expect(html).toMatch(/<div class="table-scroll"><table>/);
  });

  it('shows raw HTML as text instead of markup', () => {
    const html = renderMarkdown('Hi <script>alert(1)</script>\n\n<div onclick="x()">block</div>\n\n<img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<div onclick|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;div onclick="x()"&gt;');
  });

  it('drops script and data links but keeps web, mail and site links', () => {
    const html = renderMarkdown('[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](data:text/html,x) [d](https://example.com) [e](/collateral/x) [f](mailto:a@b.c) [g][r]\n\n[r]: vbscript:x');
    expect(html).not.toMatch(/href="(javascript|data|vbscript)/i);
    expect(html).toContain('<a>a</a>');
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">d</a>');
    expect(html).toContain('<a href="/collateral/x">e</a>');
    expect(html).toContain('href="mailto:a@b.c"');
  });

  it('turns images into their alt text, so bodies load nothing from elsewhere', () => {
    expect(renderMarkdown('![Chart of savings](https://tracker.example/p.png)')).toBe('<p>Chart of savings</p>\n');
  });

  it('keeps the page title the only h1', () => {
    expect(renderMarkdown('# Top **bold**')).toBe('<h2>Top <strong>bold</strong></h2>\n');
  });

  it('leaves template placeholders alone', () => {
    expect(renderMarkdown('Hi {{first_name}},')).toContain('Hi {{first_name}},');
  });
});

describe('isSafeHref', () => {
  it.each(['https://a.b', 'http://a.b', 'mailto:x@y.z', 'tel:+1', '/a', '#b'])('allows %s', (href) => expect(isSafeHref(href)).toBe(true));
  it.each(['javascript:x', ' javascript:x', 'data:x', '//evil.example', '/\\evil', 'file:///etc/passwd', 'relative/path'])('refuses %s', (href) =>
    expect(isSafeHref(href)).toBe(false)
  );
});
