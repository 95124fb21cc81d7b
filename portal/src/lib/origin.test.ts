import { describe, expect, it } from 'vitest';
import { allowedDomainsFor, isAllowedOrigin } from './origin';

const base = { requestOrigin: 'http://localhost:4321', portalOrigin: null, secFetchSite: null };

describe('isAllowedOrigin', () => {
  it('lets safe methods through whatever their origin', () => {
    expect(isAllowedOrigin({ ...base, method: 'GET', origin: 'https://evil.example' })).toBe(true);
    expect(isAllowedOrigin({ ...base, method: 'head', origin: null })).toBe(true);
  });

  it('accepts posts from the origin the request was made to (localhost or 127.0.0.1)', () => {
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'http://localhost:4321' })).toBe(true);
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'http://127.0.0.1:4321', requestOrigin: 'http://127.0.0.1:4321' })).toBe(true);
  });

  it("accepts posts from PORTAL_URL's origin behind a TLS proxy", () => {
    expect(
      isAllowedOrigin({ ...base, method: 'POST', origin: 'https://portal.example.com', requestOrigin: 'http://portal.example.com', portalOrigin: 'https://portal.example.com' })
    ).toBe(true);
  });

  it('refuses posts from other sites, other ports and opaque origins', () => {
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'https://evil.example' })).toBe(false);
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'http://localhost:9999' })).toBe(false);
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'null', secFetchSite: 'same-origin' })).toBe(false);
  });

  it('falls back to Fetch Metadata without an Origin header', () => {
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: null, secFetchSite: 'same-origin' })).toBe(true);
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: null, secFetchSite: 'cross-site' })).toBe(false);
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: null })).toBe(false);
  });
});

describe('allowedDomainsFor', () => {
  it('always trusts the local hosts', () => {
    expect(allowedDomainsFor(undefined)).toEqual([{ hostname: 'localhost' }, { hostname: '127.0.0.1' }]);
  });

  it("adds PORTAL_URL's host with its protocol", () => {
    expect(allowedDomainsFor('https://portal.example.com')).toContainEqual({ hostname: 'portal.example.com', protocol: 'https' });
    expect(allowedDomainsFor('http://localhost:4321')).toHaveLength(2);
    expect(allowedDomainsFor('not a url')).toHaveLength(2);
  });
});
