/**
 * Cross-site request forgery guard for form posts.
 *
 * Astro's built-in `checkOrigin` compares the Origin header with the URL it derives from the socket and
 * the Host header. Behind a TLS-terminating proxy that URL is `http://…` while browsers send
 * `Origin: https://…`, so every sign-in would be refused unless the public host was known at build time.
 * This check runs at request time instead and also accepts PORTAL_URL's origin.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface OriginCheckInput {
  method: string;
  /** The request's Origin header, or null when absent. */
  origin: string | null;
  /** The Sec-Fetch-Site header, or null when absent (older browsers, non-browser clients). */
  secFetchSite: string | null;
  /** The origin Astro resolved for this request (Host header, or trusted forwarded headers). */
  requestOrigin: string;
  /** PORTAL_URL's origin, when configured. */
  portalOrigin: string | null;
}

/** True when the request may change state: a safe method, or a post from one of our own pages. */
export function isAllowedOrigin({ method, origin, secFetchSite, requestOrigin, portalOrigin }: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (origin !== null) {
    // Browsers send the literal "null" from sandboxed frames and some redirects: never ours.
    if (origin === 'null') return false;
    return origin === requestOrigin || (portalOrigin !== null && origin === portalOrigin);
  }
  // Without Origin, fall back to Fetch Metadata; a request carrying neither is not from a browser page.
  return secFetchSite === 'same-origin';
}

/**
 * Hosts whose forwarded headers (X-Forwarded-Host/Proto) Astro may trust, for `security.allowedDomains`.
 * Local hosts always; the public host when PORTAL_URL is known at build time.
 */
export function allowedDomainsFor(portalUrl: string | undefined): { hostname: string; protocol?: string }[] {
  const domains: { hostname: string; protocol?: string }[] = [{ hostname: 'localhost' }, { hostname: '127.0.0.1' }];
  if (portalUrl && URL.canParse(portalUrl)) {
    const url = new URL(portalUrl);
    if (!domains.some((d) => d.hostname === url.hostname)) domains.push({ hostname: url.hostname, protocol: url.protocol.replace(':', '') });
  }
  return domains;
}
