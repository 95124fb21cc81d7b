/**
 * How every message Candor sends reads: notices on email, Slack and Teams, reminders, digests, the
 * weekly update, review-by notes and new feedback for an item's owner. Pure functions of plain data;
 * every interpolated value is escaped for its format (escape.ts).
 */
import type { WeeklyUpdate } from '../../shared/contracts';
import { escapeHtml as esc, escapeSlack as slack, escapeTeams as teams, headerText } from './escape';

/** A rendered email: the subject, the plain-text part and the HTML part (always both). */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface RenderableNotice {
  urgency: 'action_required' | 'fyi';
  headline: string;
  whatChanged: string;
  why: string | null;
  whatToDo: string;
  link: string;
  details: string[];
  actor: string;
}

const tag = (n: RenderableNotice) => (n.urgency === 'action_required' ? 'Action required' : 'FYI');

/** "Affected: <title> (<url>)", as compose writes it for each collateral that makes a changed claim. */
const AFFECTED = /^Affected: (.+) \((https?:\/\/\S+)\)$/;
const NOTE = /^Note from marketing: ([\s\S]+)$/;

/**
 * The detail lines in HTML: marketing's note as a quote, affected collateral as a list of links (the
 * plain-text part keeps the lines as they are, URLs included), anything else as a list.
 */
function detailsHtml(details: string[]): string {
  const notes = details.map((d) => NOTE.exec(d)?.[1]).filter((d): d is string => d != null);
  const affected = details.map((d) => AFFECTED.exec(d)).filter((m): m is RegExpExecArray => m != null);
  const other = details.filter((d) => !NOTE.test(d) && !AFFECTED.test(d));
  const list = (items: string[]) => `<ul style="margin:8px 0 0;padding-left:20px;font-size:15px;line-height:1.5;color:#101828">${items.join('')}</ul>`;
  return [
    ...notes.map(
      (note) =>
        `<p style="margin:16px 0 0;padding:10px 14px;border-left:4px solid #d0d5dd;background:#f9fafb;font-size:15px;line-height:1.5;color:#344054"><strong>Note from marketing:</strong> ${esc(note)}</p>`
    ),
    affected.length
      ? `<p style="margin:20px 0 0;font-size:15px;font-weight:600;color:#475467">Affected collateral</p>` +
        list(affected.map((m) => `<li style="margin:4px 0"><a href="${esc(m[2]!)}" style="color:#1d4ed8">${esc(m[1]!)}</a></li>`))
      : '',
    other.length ? list(other.map((d) => `<li>${esc(d)}</li>`)) : '',
  ].join('');
}

export function renderEmail(n: RenderableNotice, links: { ack: string | null; preferences: string }): EmailContent {
  const subject = `[${tag(n)}] ${n.headline}`;
  const lines = [
    n.headline,
    '',
    `What changed: ${n.whatChanged}`,
    ...(n.why ? [`Why: ${n.why}`] : []),
    `What to do now: ${n.whatToDo}`,
    ...n.details,
    '',
    `Open in Candor: ${n.link}`,
    ...(links.ack ? [`Acknowledge: ${links.ack}`] : []),
    '',
    `Sent by Candor for ${n.actor}. Change what you receive: ${links.preferences}`,
  ];
  const color = n.urgency === 'action_required' ? '#b42318' : '#1d4ed8';
  const row = (label: string, value: string) =>
    `<tr><th align="left" valign="top" style="padding:6px 12px 6px 0;color:#475467;font-weight:600;white-space:nowrap">${esc(label)}</th><td style="padding:6px 0;color:#101828">${esc(value)}</td></tr>`;
  const html = `<!doctype html><html lang="en"><body style="margin:0;background:#f2f4f7;font-family:Segoe UI,Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px;border-top:6px solid ${color}">
<tr><td style="padding:24px 28px">
<p style="margin:0 0 8px;font-size:13px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;color:${color}">${esc(tag(n))}</p>
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;color:#101828">${esc(n.headline)}</h1>
<table role="presentation" cellpadding="0" cellspacing="0" style="font-size:15px;line-height:1.5">
${row('What changed', n.whatChanged)}${n.why ? row('Why', n.why) : ''}${row('What to do now', n.whatToDo)}
</table>
${detailsHtml(n.details)}
<p style="margin:24px 0 0">
<a href="${esc(n.link)}" style="display:inline-block;background:#101828;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">Open in Candor</a>
${links.ack ? `&nbsp;<a href="${esc(links.ack)}" style="display:inline-block;background:${color};color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">I have read this</a>` : ''}
</p>
</td></tr>
<tr><td style="padding:16px 28px;border-top:1px solid #eaecf0;font-size:12px;color:#667085">Sent by Candor for ${esc(n.actor)}. <a href="${esc(links.preferences)}" style="color:#475467">Change what you receive</a>.</td></tr>
</table></td></tr></table></body></html>`;
  return { subject, text: lines.join('\n'), html };
}

/** Slack incoming webhook: Block Kit with a plain-text fallback. */
export function renderSlack(n: RenderableNotice) {
  const emoji = n.urgency === 'action_required' ? ':rotating_light:' : ':information_source:';
  return {
    text: `${tag(n)}: ${slack(n.headline)}`,
    blocks: [
      // plain_text is never parsed as markup.
      { type: 'header', text: { type: 'plain_text', text: headerText(n.headline).slice(0, 150), emoji: true } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${emoji} *${tag(n)}* · by ${slack(n.actor)}` }] },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*What changed*\n${slack(n.whatChanged)}` },
          ...(n.why ? [{ type: 'mrkdwn', text: `*Why*\n${slack(n.why)}` }] : []),
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: `*What to do now*\n${slack(n.whatToDo)}` } },
      ...(n.details.length ? [{ type: 'section', text: { type: 'mrkdwn', text: n.details.map((d) => `• ${slack(d)}`).join('\n') } }] : []),
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Candor' }, url: n.link, ...(n.urgency === 'action_required' ? { style: 'danger' } : {}) }] },
    ],
  };
}

/** Microsoft Teams incoming webhook (Workflows): an Adaptive Card message. */
export function renderTeams(n: RenderableNotice) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: tag(n), weight: 'Bolder', color: n.urgency === 'action_required' ? 'Attention' : 'Accent', size: 'Small' },
            { type: 'TextBlock', text: teams(n.headline), weight: 'Bolder', size: 'Large', wrap: true },
            {
              type: 'FactSet',
              facts: [
                { title: 'What changed', value: teams(n.whatChanged) },
                ...(n.why ? [{ title: 'Why', value: teams(n.why) }] : []),
                { title: 'What to do now', value: teams(n.whatToDo) },
              ],
            },
            ...n.details.map((d) => ({ type: 'TextBlock', text: teams(d), wrap: true, size: 'Small' })),
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open in Candor', url: n.link }],
        },
      },
    ],
  };
}

const PAGE_STYLE = 'font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#101828';

/** One email listing a rep's waiting informational notices. */
export function renderDigest(cadence: string, items: { headline: string; whatChanged: string; link: string }[], preferences: string): EmailContent {
  const subject = `Your ${cadence} Candor digest: ${items.length} update${items.length > 1 ? 's' : ''}`;
  const text = [subject, '', ...items.map((i) => `• ${i.headline}\n  ${i.whatChanged}\n  ${i.link}`), '', `Change what you receive: ${preferences}`].join('\n');
  const html = `<!doctype html><html lang="en"><body style="${PAGE_STYLE}">
<h1 style="font-size:20px">${esc(subject)}</h1><ul style="padding-left:18px">${items
    .map((i) => `<li style="margin-bottom:12px"><a href="${esc(i.link)}" style="font-weight:600;color:#101828">${esc(i.headline)}</a><br><span style="color:#475467">${esc(i.whatChanged)}</span></li>`)
    .join('')}</ul><p style="font-size:12px;color:#667085"><a href="${esc(preferences)}">Change what you receive</a></p></body></html>`;
  return { subject, text, html };
}

/** The weekly update, for sales and marketing alike. */
export function renderWeeklyUpdate(update: WeeklyUpdate): EmailContent {
  const ack = update.acknowledgement;
  const pct = ack.rate == null ? 'no action-required notices' : `${Math.round(ack.rate * 100)} % acknowledged (${ack.acknowledged} of ${ack.expected})`;
  const section = (title: string, lines: string[]) => (lines.length ? [`${title}`, ...lines.map((l) => `  • ${l}`), ''] : [`${title}: none`, '']);
  const text = [
    `Candor weekly update, ${update.from.slice(0, 10)} to ${update.to.slice(0, 10)}`,
    '',
    ...section('Scaled back', update.scaledBack.map((s) => `${s.title}: now ${s.nowTrue ?? '—'} (${s.reason ?? 'no reason'})`)),
    ...section('Retracted', update.retracted.map((r) => `${r.title} (${r.reason ?? 'no reason'})`)),
    ...section('New', update.created.map((c) => `${c.title} ${c.link}`)),
    ...section('Changed', update.updated.map((u) => `${u.title}: ${u.summary}`)),
    `Open feedback from sales: ${update.openFeedback}`,
    `Acknowledgements: ${pct}`,
  ].join('\n');
  const html = `<!doctype html><html lang="en"><body style="${PAGE_STYLE}"><pre style="font:inherit;white-space:pre-wrap">${esc(text)}</pre></body></html>`;
  const subject = `Candor weekly update: ${update.scaledBack.length} scaled back, ${update.retracted.length} retracted, ${update.created.length} new`;
  return { subject, text, html };
}

/** A collateral is past its review-by date: the note to its owner. */
export function renderReviewDue(item: { title: string; reviewBy: string; link: string }, preferences: string): EmailContent {
  return renderEmail(
    {
      urgency: 'action_required',
      headline: `Review due: ${item.title}`,
      whatChanged: `Its review-by date (${item.reviewBy}) has passed; reps see it marked as possibly out of date.`,
      why: null,
      whatToDo: 'Check it is still true, then publish it with a new review-by date, scale it back or retract it.',
      link: item.link,
      details: [],
      actor: 'Candor',
    },
    { ack: null, preferences }
  );
}

/** A reminder of an action-required notice the rep has not acknowledged. */
export function renderReminder(n: RenderableNotice, links: { ack: string; preferences: string }): EmailContent {
  return renderEmail({ ...n, urgency: 'action_required', headline: `Reminder: ${n.headline}` }, links);
}

/** What a rep suggested, for the item's owner. The rep's words are data, never markup. */
export interface FeedbackForOwner {
  itemTitle: string;
  from: string;
  urgent: boolean;
  kind: string;
  passage: string | null;
  suggestion: string;
  customerContext: string | null;
}

export function renderFeedbackForOwner(f: FeedbackForOwner): EmailContent {
  const subject = `${f.urgent ? '[Urgent] ' : ''}Suggested edit for “${f.itemTitle}” from ${f.from}`;
  const facts: [string, string][] = [
    ['Kind', f.kind.replace('_', ' ')],
    ...(f.passage ? ([['About', `“${f.passage}”`]] as [string, string][]) : []),
    ['Suggestion', f.suggestion],
    ...(f.customerContext ? ([['Customer context', f.customerContext]] as [string, string][]) : []),
  ];
  const footer = 'Triage it in Strapi: Content Manager → Feedback.';
  const text = [subject, '', ...facts.map(([k, v]) => `${k}: ${v}`), '', footer].join('\n');
  const html = `<!doctype html><html lang="en"><body style="${PAGE_STYLE}">
<h1 style="font-size:18px">${esc(subject)}</h1><table role="presentation" cellpadding="0" cellspacing="0" style="font-size:15px;line-height:1.5">${facts
    .map(([k, v]) => `<tr><th align="left" valign="top" style="padding:4px 12px 4px 0;color:#475467">${esc(k)}</th><td style="padding:4px 0;white-space:pre-wrap">${esc(v)}</td></tr>`)
    .join('')}</table><p style="font-size:13px;color:#667085">${esc(footer)}</p></body></html>`;
  return { subject, text, html };
}
