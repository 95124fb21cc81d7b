import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('readConfig', () => {
  it('reads STRAPI_URL and PORTAL_URL', () => {
    expect(readConfig({ STRAPI_URL: 'http://127.0.0.1:1337/', PORTAL_URL: 'https://portal.example.com/x', NODE_ENV: 'production' })).toEqual({
      strapiUrl: 'http://127.0.0.1:1337',
      portalOrigin: 'https://portal.example.com',
      secureCookies: true,
      cmsTimeoutMs: 10_000,
      meiliUrl: null,
    });
  });

  it('reads MEILI_URL, the Meilisearch the portal searches (optional)', () => {
    expect(readConfig({ MEILI_URL: 'http://127.0.0.1:7700/' }).meiliUrl).toBe('http://127.0.0.1:7700');
    expect(() => readConfig({ MEILI_URL: 'meili:7700' })).toThrow(/MEILI_URL must be an absolute http\(s\) URL/);
  });

  it('uses the local Strapi in development and plain cookies over http', () => {
    const config = readConfig({ PORTAL_URL: 'http://localhost:4321' });
    expect(config.strapiUrl).toBe('http://127.0.0.1:1337');
    expect(config.secureCookies).toBe(false);
    expect(readConfig({}).portalOrigin).toBeNull();
  });

  it('treats empty variables as unset', () => {
    expect(readConfig({ STRAPI_URL: '', PORTAL_URL: ' ' }).portalOrigin).toBeNull();
  });

  it('names the variable that is wrong', () => {
    expect(() => readConfig({ NODE_ENV: 'production' })).toThrow(new ConfigError('STRAPI_URL must be set in production'));
    expect(() => readConfig({ STRAPI_URL: 'ftp://x' })).toThrow(/STRAPI_URL must be an absolute http\(s\) URL/);
    expect(() => readConfig({ STRAPI_URL: 'http://x', CMS_TIMEOUT_MS: 'soon' })).toThrow(/CMS_TIMEOUT_MS/);
  });
});
