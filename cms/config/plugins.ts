import type { Core } from '@strapi/strapi';
import { configFromEnv } from '@candor/change-notices/server';
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
    // Every change-notices setting comes from the environment; its defaults live in the plugin's schema.
    config: configFromEnv(process.env),
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
