import type { Core } from '@strapi/strapi';
import type { PluginConfig } from './config';
import { PLUGIN_ID } from './constants';
import { ensureTables } from './database/tables';
import { bootstrapSearch } from './search/bootstrap';
import { OUTBOX_TOPICS } from './services/outbox';
import { getService } from './utils/get-service';

export default async function bootstrap({ strapi }: { strapi: Core.Strapi }) {
  await ensureTables(strapi);
  const config = strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

  const dispatcher = getService(strapi, 'dispatcher');
  const notices = getService(strapi, 'notices');
  const channels = getService(strapi, 'channels');
  const jobs = getService(strapi, 'jobs');
  const digests = getService(strapi, 'digests');
  dispatcher.register(OUTBOX_TOPICS.noticeVersion, (job) => notices.handleVersionJob(job));
  dispatcher.register(OUTBOX_TOPICS.noticeDeliver, (job) => channels.handleDeliverJob(job));
  dispatcher.register(OUTBOX_TOPICS.noticeRemind, (job) => jobs.handleRemindJob(job));
  dispatcher.register(OUTBOX_TOPICS.ownerReviewOverdue, (job) => jobs.handleReviewOverdueJob(job));
  dispatcher.register(OUTBOX_TOPICS.noticeDirect, (job) => notices.handleDirectJob(job));
  dispatcher.register(OUTBOX_TOPICS.mailSend, (job) => jobs.handleMailJob(job));
  dispatcher.register(OUTBOX_TOPICS.digest, (job) => digests.handleDigestJob(job));
  dispatcher.register(OUTBOX_TOPICS.weeklyUpdate, (job) => digests.handleWeeklyJob(job));
  bootstrapSearch(strapi);
  const { enabled, ...options } = config.dispatcher;
  dispatcher.configure(options);

  strapi.cron.add({
    [`${PLUGIN_ID}-review-by`]: { task: () => jobs.flagOverdueReviews(), options: { rule: '0 6 * * *' } },
    [`${PLUGIN_ID}-reminders`]: { task: () => jobs.queueReminders(), options: { rule: '15 * * * *' } },
    [`${PLUGIN_ID}-daily-digest`]: { task: () => digests.queueDigests('daily'), options: { rule: '0 7 * * *' } },
    [`${PLUGIN_ID}-weekly-digest`]: { task: () => digests.queueDigests('weekly'), options: { rule: '0 7 * * 1' } },
    [`${PLUGIN_ID}-weekly-update`]: { task: () => digests.queueWeeklyUpdate(), options: { rule: '0 8 * * 1' } },
  });

  // Workers start once the server is up, so a slow boot never races the first deliveries.
  if (enabled) strapi.server.httpServer.once('listening', () => dispatcher.start());
}
