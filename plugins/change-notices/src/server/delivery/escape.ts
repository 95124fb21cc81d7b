/**
 * One escaping function per format a Candor message leaves in. Every value a template interpolates
 * goes through the one for its format; rep and marketer text alike.
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Control characters (but newline and tab) and bidi overrides, which can disguise what a line says. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;

/** Plain text (an email's text part, chat fallbacks): no control characters or bidi overrides. */
export const plainText = (s: string): string => s.replace(UNSAFE, '');

/** A header line (an email subject): plain text on one line. */
export const headerText = (s: string): string => plainText(s).replace(/[\r\n\t]+/g, ' ');

/** Text and attribute values in HTML email. */
export const escapeHtml = (s: string): string => plainText(s).replace(/[&<>"']/g, (c) => HTML[c]!);

/**
 * Slack mrkdwn: `&`, `<` and `>` are the control characters of Slack's format (`<!channel>`,
 * `<url|text>`, `<@U123>`), so they become entities, as Slack's own docs say to.
 */
export const escapeSlack = (s: string): string =>
  plainText(s).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

/**
 * Teams Adaptive Card text: a Markdown subset (bold, italic, links, lists). Its markup characters
 * are backslash-escaped, and a line cannot start a list, so text shows as written.
 */
export const escapeTeams = (s: string): string =>
  plainText(s)
    .replace(/[\\*_[\]()~`]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+]|\d+\.)(?=\s)/gm, (_m, space: string, mark: string) => `${space}${mark.replace(/[-+.]/, (c) => `\\${c}`)}`);
