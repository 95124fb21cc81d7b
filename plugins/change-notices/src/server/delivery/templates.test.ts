import { describe, expect, it } from 'vitest';
import { renderEmail, renderSlack, renderTeams, type RenderableNotice } from './templates';

const notice: RenderableNotice = {
  urgency: 'action_required',
  headline: 'Scaled back: Q4 campaign <one-pager>',
  whatChanged: 'Standing: Confirmed → Scaled back.',
  why: 'Budget cut by 70 %',
  whatToDo: 'Stop promising national TV. What is true now: cable spots in 12 markets.',
  link: 'https://portal.example/collateral/q4?x=1&y=2',
  details: ['Affected: Launch deck'],
  actor: 'Morgan Marketing',
};

describe('renderEmail', () => {
  it('says what changed, why and what to do, with the ack link, and escapes HTML', () => {
    const mail = renderEmail(notice, { ack: 'https://cms.example/ack/1.2.sig', preferences: 'https://portal.example/subscriptions' });
    expect(mail.subject).toBe('[Action required] Scaled back: Q4 campaign <one-pager>');
    expect(mail.text).toContain('Why: Budget cut by 70 %');
    expect(mail.text).toContain('Acknowledge: https://cms.example/ack/1.2.sig');
    expect(mail.html).toContain('Scaled back: Q4 campaign &lt;one-pager&gt;');
    expect(mail.html).not.toContain('<one-pager>');
    expect(mail.html).toContain('href="https://portal.example/collateral/q4?x=1&amp;y=2"');
  });

  it('links the affected collateral and quotes the note in HTML, and keeps the lines in the text part', () => {
    const details = ['Note from marketing: Ask me <anything>.', 'Affected: Launch deck & notes (https://portal.example/collateral/launch-deck)', 'Something else'];
    const mail = renderEmail({ ...notice, details }, { ack: null, preferences: 'p' });
    expect(mail.html).toContain('<a href="https://portal.example/collateral/launch-deck" style="color:#1d4ed8">Launch deck &amp; notes</a>');
    expect(mail.html).not.toContain('(https://portal.example/collateral/launch-deck)');
    expect(mail.html).toContain('<strong>Note from marketing:</strong> Ask me &lt;anything&gt;.');
    expect(mail.html).toContain('<li>Something else</li>');
    expect(mail.text).toContain('Affected: Launch deck & notes (https://portal.example/collateral/launch-deck)');
  });

  it('has no acknowledge button for an FYI', () => {
    const mail = renderEmail({ ...notice, urgency: 'fyi', why: null }, { ack: null, preferences: 'p' });
    expect(mail.subject.startsWith('[FYI]')).toBe(true);
    expect(mail.html).not.toContain('I have read this');
    expect(mail.text).not.toContain('Why:');
  });
});

describe('chat formats', () => {
  it('Slack gets Block Kit with a fallback text and a danger button for action-required', () => {
    const msg = renderSlack(notice);
    expect(msg.text).toBe('Action required: Scaled back: Q4 campaign &lt;one-pager&gt;');
    expect(msg.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section', 'section', 'actions']);
    expect(JSON.stringify(msg.blocks.at(-1))).toContain('"style":"danger"');
  });

  it('Teams gets an Adaptive Card with the facts and an Open action', () => {
    const card: any = renderTeams(notice).attachments[0]!.content;
    expect(card.type).toBe('AdaptiveCard');
    expect(card.body.find((b: any) => b.type === 'FactSet')!.facts!.map((f: any) => f.title)).toEqual(['What changed', 'Why', 'What to do now']);
    expect(card.actions[0]).toMatchObject({ type: 'Action.OpenUrl', url: notice.link });
  });
});
