import type { Core } from '@strapi/strapi';
import { noDelaySmtpSocket } from '../src/utils/smtp-socket';

const allowedMediaTypes = [
  'image/*',
  'video/*',
  'application/pdf',
  'application/msword',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.*',
  'text/plain',
  'text/csv',
];

const deniedTypes = [
  'image/svg+xml',
  'application/vnd.microsoft.portable-executable',
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-executable',
  'application/x-dosexec',
  'application/x-sh',
  'text/x-shellscript',
  'application/x-mach-binary',
];

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  'change-notices': {
    enabled: true,
    // The plugin is a workspace package; Strapi loads its compiled `strapi-server.js`.
    resolve: '../plugins/change-notices',
    config: {
      portalUrl: env('PORTAL_URL', 'http://localhost:4321'),
      publicUrl: env('PUBLIC_URL', `http://localhost:${env.int('PORT', 1337)}`),
      slack: env('SLACK_WEBHOOK_URL') ? [{ name: env('SLACK_CHANNEL_NAME', 'slack'), url: env('SLACK_WEBHOOK_URL') }] : [],
      teams: env('TEAMS_WEBHOOK_URL') ? [{ name: env('TEAMS_CHANNEL_NAME', 'teams'), url: env('TEAMS_WEBHOOK_URL') }] : [],
      reminderAfterHours: env.float('NOTICE_REMINDER_HOURS', 24),
      retractionAudienceDays: env.int('RETRACTION_AUDIENCE_DAYS', 30),
      webhookTimeoutMs: env.int('WEBHOOK_TIMEOUT_MS', 10000),
      dispatcher: {
        enabled: env.bool('NOTICES_DISPATCHER', true),
        pollMs: env.int('NOTICES_POLL_MS', 1000),
        batchSize: env.int('NOTICES_BATCH_SIZE', 100),
        concurrency: env.int('NOTICES_CONCURRENCY', 16),
        maxAttempts: env.int('NOTICES_MAX_ATTEMPTS', 8),
        backoffBaseMs: env.int('NOTICES_BACKOFF_MS', 2000),
        leaseMs: env.int('NOTICES_LEASE_MS', 60000),
      },
      // Without MEILI_URL search is off; the master key never leaves the CMS and scripts.
      search: {
        url: env('MEILI_URL', ''),
        masterKey: env('MEILI_MASTER_KEY', ''),
        publicUrl: env('MEILI_PUBLIC_URL', ''),
        indexName: env('MEILI_INDEX', 'collateral'),
        tokenTtlSeconds: env.int('SEARCH_TOKEN_TTL_SECONDS', 900),
        reconcileCron: env('SEARCH_RECONCILE_CRON', '*/10 * * * *'),
        reconcileAtBoot: env.bool('SEARCH_RECONCILE_AT_BOOT', true),
        taskTimeoutMs: env.int('SEARCH_TASK_TIMEOUT_MS', 30000),
        requestTimeoutMs: env.int('SEARCH_REQUEST_TIMEOUT_MS', 5000),
      },
    },
  },
  'users-permissions': {
    config: {
      // Plain JWTs: the portal keeps the rep's token in its own httpOnly session cookie.
      jwtManagement: 'legacy-support',
      jwt: { expiresIn: env('REP_SESSION_TTL', '12h') },
      register: { allowedFields: [] },
      // Every rep signs in through the portal, which forwards the rep's IP (X-Forwarded-For, trusted
      // when PROXY_TRUSTED=true): the limit is per rep, not one budget for the whole sales team.
      ratelimit: { interval: 60_000, max: env.int('AUTH_RATELIMIT_MAX', 20) },
    },
  },
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: env('SMTP_HOST', '127.0.0.1'),
        port: env.int('SMTP_PORT', 1025),
        secure: env.bool('SMTP_SECURE', false),
        ...(env('SMTP_USERNAME')
          ? { auth: { user: env('SMTP_USERNAME'), pass: env('SMTP_PASSWORD') } }
          : {}),
        ignoreTLS: !env.bool('SMTP_SECURE', false) && !env('SMTP_USERNAME'),
        // A pool keeps a few SMTP connections open: thousands of notices go out in seconds, not minutes.
        pool: true,
        maxConnections: env.int('SMTP_MAX_CONNECTIONS', 5),
        getSocket: noDelaySmtpSocket,
      },
      settings: {
        defaultFrom: env('MAIL_FROM', 'Candor <candor@localhost>'),
        defaultReplyTo: env('MAIL_REPLY_TO', 'marketing@localhost'),
      },
    },
  },
  upload: {
    config: {
      security: {
        allowedTypes: allowedMediaTypes,
        deniedTypes,
      },
    },
  },
});

export default config;
