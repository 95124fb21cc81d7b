import path from 'node:path';
import { z } from 'zod';
import { DATA_DIR } from './paths.js';
import type { StackPorts } from './stack.js';

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int({ error: `${name} must be a whole number` })
    .min(1, { error: `${name} must be between 1 and 65535` })
    .max(65535, { error: `${name} must be between 1 and 65535` })
    .default(fallback);

/** Every variable `npm start` reads (documented in README.md). */
const schema = z.object({
  STRAPI_PORT: port('STRAPI_PORT', 1337),
  PORTAL_PORT: port('PORTAL_PORT', 4321),
  MEILI_PORT: port('MEILI_PORT', 7700),
  MAILDEV_WEB_PORT: port('MAILDEV_WEB_PORT', 1080),
  MAILDEV_SMTP_PORT: port('MAILDEV_SMTP_PORT', 1025),
  MEILI_URL: z.url({ error: 'MEILI_URL must be a URL such as https://search.example.com' }).optional(),
  SMTP_HOST: z.string().optional(),
  CANDOR_WORKERS: z.coerce
    .number({ error: 'CANDOR_WORKERS must be a number of worker processes' })
    .int({ error: 'CANDOR_WORKERS must be a whole number' })
    .min(0, { error: 'CANDOR_WORKERS must be 0 to 8' })
    .max(8, { error: 'CANDOR_WORKERS must be 0 to 8' })
    .default(1),
  CANDOR_ADMIN_EMAIL: z.email({ error: 'CANDOR_ADMIN_EMAIL must be an email address' }).default('marketing@candor.local'),
  CANDOR_ADMIN_PASSWORD: z.string().min(8, { error: 'CANDOR_ADMIN_PASSWORD needs 8+ characters' }).default('Candor-Marketing-1'),
  CANDOR_REP_EMAIL: z.email({ error: 'CANDOR_REP_EMAIL must be an email address' }).default('rep@candor.local'),
  CANDOR_REP_PASSWORD: z.string().min(6, { error: 'CANDOR_REP_PASSWORD needs 6+ characters' }).default('Candor-Rep-1'),
});
export type LocalConfig = z.infer<typeof schema>;

export function readLocalConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

export const portsOf = (c: LocalConfig): StackPorts => ({
  strapi: c.STRAPI_PORT,
  portal: c.PORTAL_PORT,
  meili: c.MEILI_PORT,
  mailWeb: c.MAILDEV_WEB_PORT,
  mailSmtp: c.MAILDEV_SMTP_PORT,
});

/** The second demo rep's email, derived from the first: rep@x → rep.two@x. */
export const secondRepEmail = (email: string) => email.replace('@', '.two@');

export const SECRETS_FILE = path.join(DATA_DIR, 'secrets.env');
