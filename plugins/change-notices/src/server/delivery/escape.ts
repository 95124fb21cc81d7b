/**
 * One escaping function per format a Candor message leaves in. Every value a template interpolates
 * goes through the one for its format; rep and marketer text alike.
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values in HTML email. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML[c]!);
