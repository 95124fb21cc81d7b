/**
 * Collateral bodies are Markdown written in the CMS. They are rendered with Sätteri (the Markdown
 * engine Astro 7 itself uses) and made safe on the way: raw HTML is shown as text, links keep only
 * web, mail and phone targets, and images become their alt text, so nothing in a body can run script,
 * restyle the page or load from elsewhere.
 */
import { defineHastPlugin, markdownToHtml } from 'satteri';

const SAFE_HREF = /^(https?:|mailto:|tel:)/i;

/** True for link targets a rep may follow: web, mail, phone, same-site paths and in-page anchors. */
export function isSafeHref(href: string): boolean {
  const value = href.trim();
  if (value.startsWith('#')) return true;
  if (value.startsWith('/')) return !value.startsWith('//') && !value.startsWith('/\\');
  return SAFE_HREF.test(value);
}

const sanitize = defineHastPlugin({
  name: 'candor-safe-markdown',
  // Raw HTML in the source stays visible as text instead of becoming markup.
  raw(node, ctx) {
    ctx.replaceNode(node, { type: 'text', value: node.value });
  },
  element: {
    filter: ['a', 'img', 'h1', 'table'],
    visit(node, ctx) {
      if (node.tagName === 'table') {
        // Wide tables scroll on their own instead of widening a phone's page.
        ctx.wrapNode(node, { type: 'element', tagName: 'div', properties: { className: ['table-scroll'] }, children: [] });
        return;
      }
      if (node.tagName === 'h1') {
        // The page title is the only h1; a body's top heading sits below it.
        ctx.replaceNode(node, { type: 'element', tagName: 'h2', properties: { ...node.properties }, children: node.children });
        return;
      }
      if (node.tagName === 'img') {
        const alt = node.properties?.alt;
        ctx.replaceNode(node, { type: 'text', value: typeof alt === 'string' ? alt : '' });
        return;
      }
      const href = node.properties?.href;
      if (typeof href !== 'string' || !isSafeHref(href)) {
        ctx.setProperty(node, 'href', undefined);
        return;
      }
      if (/^https?:/i.test(href.trim())) ctx.setProperty(node, 'rel', 'noopener noreferrer nofollow');
    },
  },
});

/** Renders CMS Markdown to HTML that is safe to insert into a page. */
export function renderMarkdown(source: string): string {
  return markdownToHtml(source, { hastPlugins: [sanitize], features: { gfm: { footnotes: false }, frontmatter: false } }).html;
}
