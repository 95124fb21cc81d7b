import type { Core } from '@strapi/strapi';
import { headerText, plainText } from './escape';
import type { EmailContent } from './templates';

/** The part of Strapi's email service Candor uses. */
interface EmailService {
  send(options: { to: string; subject: string; text: string; html: string; messageId: string }): Promise<unknown>;
}

/**
 * The one Message-ID scheme: `<candor-<ref>@candor>`, where ref names what the mail is (a delivery,
 * a reminder, a digest period...). A stable id lets mail systems drop the copy a crash-and-retry may
 * send.
 */
export const messageId = (ref: string): string => `<candor-${ref.replace(/[^\w.-]/g, '-')}@candor>`;

/**
 * The one place Candor sends email. Every email (notices, reminders, digests, the weekly update,
 * review-by notes, feedback for owners) is rendered by templates.ts, so it has an escaped HTML part,
 * and goes out here through Strapi's email plugin.
 */
export const createMailService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Sends one rendered email. `ref` makes its Message-ID (see `messageId`). */
  async send(to: string, content: EmailContent, ref: string): Promise<void> {
    const email = strapi.plugin('email').service('email') as EmailService;
    // The subject is one header line and the text part plain text, whatever a template put in them.
    await email.send({ to, subject: headerText(content.subject), text: plainText(content.text), html: content.html, messageId: messageId(ref) });
  },

  /** Where mail for "marketing" goes when an item names no owner (MAIL_REPLY_TO). */
  defaultRecipient(): string | null {
    const to = strapi.config.get('plugin::email.settings.defaultReplyTo');
    return typeof to === 'string' && to.trim() ? to : null;
  },
});

export type MailService = ReturnType<typeof createMailService>;
