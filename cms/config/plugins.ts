import type { Core } from '@strapi/strapi';

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
    },
  },
  'users-permissions': {
    config: {
      // Plain JWTs: the portal keeps the rep's token in its own httpOnly session cookie.
      jwtManagement: 'legacy-support',
      jwt: { expiresIn: env('REP_SESSION_TTL', '12h') },
      register: { allowedFields: [] },
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
