import { z } from 'astro/zod';

/** What the portal needs from its environment, read once per process. */
export interface PortalConfig {
  /** Strapi's base URL without a trailing slash; only the server ever talks to it. */
  strapiUrl: string;
  /** The public origin reps use (PORTAL_URL), or null when the portal is reached directly. */
  portalOrigin: string | null;
  /** Session cookies get `Secure` when the public URL is https. */
  secureCookies: boolean;
  /** How long one CMS request may take before the rep sees "the CMS is not answering". */
  cmsTimeoutMs: number;
  /** Meilisearch as this server reaches it (MEILI_URL), or null to use the address Strapi hands out with the search token. */
  meiliUrl: string | null;
}

/** A configuration problem a person can fix; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const httpUrl = (name: string) =>
  z
    .string({ error: `${name} must be set` })
    .trim()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: `${name} must be an absolute http(s) URL` });

const envSchema = z.object({
  STRAPI_URL: httpUrl('STRAPI_URL').optional(),
  PORTAL_URL: httpUrl('PORTAL_URL').optional(),
  MEILI_URL: httpUrl('MEILI_URL').optional(),
  CMS_TIMEOUT_MS: z.coerce.number({ error: 'CMS_TIMEOUT_MS must be a number' }).int().min(100).max(120_000).optional(),
  NODE_ENV: z.string().optional(),
});

/**
 * Parses the portal's environment. STRAPI_URL may only be left out in development, where the local
 * Strapi on port 1337 is assumed.
 */
export function readConfig(env: Record<string, string | undefined>): PortalConfig {
  // Empty strings come from `VAR=` lines in env files and mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => i.message).join('; '));
  const { STRAPI_URL, PORTAL_URL, CMS_TIMEOUT_MS, MEILI_URL, NODE_ENV } = parsed.data;
  if (!STRAPI_URL && NODE_ENV === 'production') throw new ConfigError('STRAPI_URL must be set in production');
  const portal = PORTAL_URL ? new URL(PORTAL_URL) : null;
  return {
    strapiUrl: (STRAPI_URL ?? 'http://127.0.0.1:1337').replace(/\/+$/, ''),
    portalOrigin: portal?.origin ?? null,
    secureCookies: portal?.protocol === 'https:',
    cmsTimeoutMs: CMS_TIMEOUT_MS ?? 10_000,
    meiliUrl: MEILI_URL ? MEILI_URL.replace(/\/+$/, '') : null,
  };
}

let cached: PortalConfig | undefined;

/** The process's configuration; throws ConfigError (every time) while it is invalid. */
export function getConfig(): PortalConfig {
  cached ??= readConfig(process.env);
  return cached;
}
