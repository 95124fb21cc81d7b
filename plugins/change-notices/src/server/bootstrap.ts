import os from 'node:os';
import type { Core } from '@strapi/strapi';
import { pluginConfig } from './config';
import { PLUGIN_ID } from './constants';
import { migrate } from './database/migrations';
import { registerAdminActions } from './permissions';
import { bootstrapFiles } from './files';
import { bootstrapSearch } from './search';
import { getService } from './services';

export default async function bootstrap({ strapi }: { strapi: Core.Strapi }) {
  await migrate(strapi);
  await registerAdminActions(strapi);
  const config = pluginConfig(strapi);

  const dispatcher = getService(strapi, 'dispatcher');
  const notices = getService(strapi, 'notices');
  const jobs = getService(strapi, 'jobs');
  const digests = getService(strapi, 'digests');
  dispatcher.register('notice.version', (job) => notices.handleVersionJob(job));
  dispatcher.register('notice.deliver', (job) => notices.handleDeliverJob(job));
  dispatcher.register('notice.deliver-batch', (job) => notices.handleDeliverBatchJob(job));
  dispatcher.register('notice.direct', (job) => notices.handleDirectJob(job));
  dispatcher.register('notice.remind', (job) => jobs.handleRemindJob(job));
  dispatcher.register('owner.review-overdue', (job) => jobs.handleReviewOverdueJob(job));
  dispatcher.register('mail.send', (job) => jobs.handleMailJob(job));
  dispatcher.register('notice.digest', (job) => digests.handleDigestJob(job));
  dispatcher.register('weekly.update', (job) => digests.handleWeeklyJob(job));
  const shares = getService(strapi, 'shares');
  dispatcher.register('shares.retracted', (job) => shares.handleRetractedJob(job));
  bootstrapSearch(strapi);
  bootstrapFiles(strapi);
  const { enabled, nice, ...options } = config.dispatcher;
  dispatcher.configure(options);
  // A worker process gives way to the web process on a shared machine (a fan-out is CPU-bound).
  if (enabled && nice > 0) os.setPriority(Math.max(os.getPriority(), nice));

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
