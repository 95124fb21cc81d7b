/**
 * Everything that leaves Candor as a message: the one mail module (Message-ID, sending), the
 * templates with their per-format escaping, and the email, Slack and Teams providers.
 */
export { createMailService, messageId, type MailService } from './mail';
export { createProviders, type ChannelProvider, type NoticeSend } from './providers';
export {
  renderDigest,
  renderEmail,
  renderFeedbackForOwner,
  renderReminder,
  renderReviewDue,
  renderSlack,
  renderTeams,
  renderWeeklyUpdate,
  type EmailContent,
  type FeedbackForOwner,
  type RenderableNotice,
} from './templates';
export { escapeHtml } from './escape';
