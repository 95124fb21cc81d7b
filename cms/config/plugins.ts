import path from 'node:path';
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

/**
 * Where uploads are stored; private either way (src/files). The embedded default is a folder outside
 * anything Strapi serves; production uses a private S3-compatible bucket, whose signed URLs work for
 * `UPLOAD_SIGNED_URL_TTL` seconds.
 */
function uploadProvider(env: Core.Config.Shared.ConfigParams['env']) {
  const signedUrlTtl = env.int('UPLOAD_SIGNED_URL_TTL', 300);
  if (env('UPLOAD_PROVIDER', 'local') === 's3') {
    return {
      provider: 'aws-s3',
      providerOptions: {
        s3Options: {
          region: env('S3_REGION', 'us-east-1'),
          endpoint: env('S3_ENDPOINT'),
          forcePathStyle: env.bool('S3_FORCE_PATH_STYLE', false),
          credentials: { accessKeyId: env('S3_ACCESS_KEY_ID'), secretAccessKey: env('S3_SECRET_ACCESS_KEY') },
          params: { Bucket: env('S3_BUCKET'), ACL: 'private', signedUrlExpires: signedUrlTtl },
        },
        rootPath: env('S3_ROOT_PATH'),
      },
    };
  }
  return {
    // Loaded by module name, which Strapi lower-cases: a package path, not a file path.
    provider: '@candor/cms/dist/src/files/private-local-provider',
    providerOptions: {
      rootDir: env('UPLOADS_DIR', path.join(process.cwd(), '.tmp', 'uploads')),
      appKeys: env.array('APP_KEYS'),
      signedUrlTtl,
    },
  };
}

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
      ...uploadProvider(env),
      sizeLimit: env.int('UPLOAD_MAX_MB', 200) * 1024 * 1024,
      security: {
        allowedTypes: allowedMediaTypes,
        deniedTypes,
      },
    },
  },
});

export default config;
