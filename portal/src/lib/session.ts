/** The rep's session: an httpOnly cookie holding the Strapi JWT, and where sign-in sends them next. */

export const SESSION_COOKIE = 'candor_session';

/** A JWT as Strapi issues it: header, claims and signature, each base64url. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 4096;

/** Longest a session cookie lives when the JWT carries no readable expiry. */
const FALLBACK_MAX_AGE_S = 12 * 60 * 60;
const MAX_NEXT_LENGTH = 2048;

/**
 * Returns a same-origin path to continue to after sign-in, or `/`.
 *
 * Only plain absolute paths pass: no scheme, no protocol-relative `//host`, no backslashes (browsers
 * treat `/\host` as `//host`), no control characters, and never back to the sign-in page itself.
 */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_NEXT_LENGTH) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return '/';
  const base = 'http://portal.invalid';
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  if (url.pathname === '/login' || url.pathname.startsWith('/login/') || url.pathname === '/logout') return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * The token in the session cookie, or null when the cookie cannot hold one. A tampered cookie (CR, LF,
 * NUL, spaces: `%0d%0a` decodes to them) would otherwise become the Authorization header of the call
 * to Strapi, which fetch refuses, and the rep saw "unavailable" (503) instead of the sign-in page.
 */
export function sessionTokenFrom(cookie: string | undefined): string | null {
  if (cookie === undefined || cookie.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(cookie)) return null;
  return cookie;
}

/** The sign-in URL that brings the rep back to `next` afterwards. */
export function loginPath(next: string, reason?: 'expired' | 'signed-out'): string {
  const params = new URLSearchParams();
  const safe = safeNextPath(next);
  if (safe !== '/') params.set('next', safe);
  if (reason) params.set('reason', reason);
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}

/** Paths anyone may open: sign-in, sign-out, the health probe and built assets. */
/** The buyer's side of share links, `/s/<token>…`: public, unlisted, rate-limited. */
export const isBuyerPath = (pathname: string): boolean => pathname.startsWith('/s/');

export function isPublicPath(pathname: string): boolean {
  return (
    pathname === '/login' ||
    pathname === '/logout' ||
    pathname === '/healthz' ||
    pathname === '/favicon.svg' ||
    pathname === '/robots.txt' ||
    // A buyer's share link: the token is the credential (src/lib/shares.ts).
    isBuyerPath(pathname) ||
    pathname.startsWith('/_astro/')
  );
}

/**
 * Seconds until the JWT expires, read from its `exp` claim (not verified: Strapi verifies it on every
 * request; this only keeps the cookie from outliving the token). Null when unreadable.
 */
export function jwtSecondsLeft(jwt: string, now: Date = new Date()): number | null {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null || !('exp' in claims) || typeof claims.exp !== 'number') return null;
    return Math.floor(claims.exp - now.getTime() / 1000);
  } catch {
    return null;
  }
}

export interface SessionCookieOptions {
  httpOnly: true;
  sameSite: 'lax';
  path: '/';
  secure: boolean;
  maxAge: number;
}

/** Cookie attributes for a new session holding `jwt`. */
export function sessionCookieOptions(jwt: string, secure: boolean, now: Date = new Date()): SessionCookieOptions {
  const left = jwtSecondsLeft(jwt, now);
  const maxAge = left === null ? FALLBACK_MAX_AGE_S : Math.max(0, Math.min(left, 30 * 24 * 60 * 60));
  return { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge };
}
