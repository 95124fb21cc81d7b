/**
 * Change notices: what a change means for sales (`composeNotice`, pure), who it concerns, fan-out to
 * one delivery per rep and channel, the rep's inbox and acknowledgements, subscriptions, reminders,
 * digests, the weekly update, and the marketer's read model of it all.
 */
export { composeNotice, composeFeedbackResolved, type ComposeInput, type ResolvedFeedback } from './compose';
export { createNoticesService, type NoticesService } from './notices';
export { createInboxService, type InboxService } from './inbox';
export { createJobsService, type JobsService } from './reminders';
export { createDigestsService, type DigestsService } from './digests';
export { createNoticesAdminService, type NoticesAdminService } from './admin-read-model';
export { noticesRoutes } from './routes';
import { inboxController, noticesAdminController } from './controllers';
export const noticesControllers = { inbox: inboxController, notices: noticesAdminController };
