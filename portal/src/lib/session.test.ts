import { describe, expect, it } from 'vitest';
import { isPublicPath, jwtSecondsLeft, loginPath, safeNextPath, sessionCookieOptions, sessionTokenFrom } from './session';

const jwtWith = (claims: object) => `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('safeNextPath', () => {
  it.each([
    ['/', '/'],
    ['/collateral/aurora-suite-launch-deck-2026', '/collateral/aurora-suite-launch-deck-2026'],
    ['/?kind=deck&q=aurora', '/?kind=deck&q=aurora'],
    ['/collateral/x#claims', '/collateral/x#claims'],
  ])('keeps the same-origin path %s', (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([
    ['https://evil.example/phish'],
    ['//evil.example/phish'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['javascript:alert(1)'],
    ['collateral/x'],
    ['/\tevil'],
    ['/login'],
    ['/login?next=/login'],
    ['/logout'],
    [''],
    ['/' + 'a'.repeat(3000)],
  ])('falls back to / for %j', (raw) => {
    expect(safeNextPath(raw)).toBe('/');
  });

  it('falls back to / for anything that is not a string', () => {
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath(undefined)).toBe('/');
    expect(safeNextPath(['/a'])).toBe('/');
  });

  it('normalises dot segments without leaving the origin', () => {
    expect(safeNextPath('/a/../../collateral/x')).toBe('/collateral/x');
  });
});

describe('loginPath', () => {
  it('carries the page to come back to', () => {
    expect(loginPath('/collateral/x?y=1')).toBe('/login?next=%2Fcollateral%2Fx%3Fy%3D1');
  });

  it('leaves out next for the home page and adds the reason', () => {
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/', 'expired')).toBe('/login?reason=expired');
  });

  it('drops unsafe targets', () => {
    expect(loginPath('//evil.example')).toBe('/login');
  });
});

describe('isPublicPath', () => {
  it('opens sign-in, sign-out, the health probe and built assets', () => {
    for (const p of ['/login', '/logout', '/healthz', '/favicon.svg', '/_astro/client.js']) expect(isPublicPath(p)).toBe(true);
  });

  it('guards everything else, including look-alikes', () => {
    for (const p of ['/', '/collateral/x', '/media/a.png', '/login/x', '/healthz/x', '/loginx']) expect(isPublicPath(p)).toBe(false);
  });
});

describe('session cookie', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  const exp = now.getTime() / 1000 + 3600;

  it('reads the seconds left from the JWT', () => {
    expect(jwtSecondsLeft(jwtWith({ id: 1, exp }), now)).toBe(3600);
    expect(jwtSecondsLeft('not-a-jwt', now)).toBeNull();
    expect(jwtSecondsLeft('a.%%%.c', now)).toBeNull();
    expect(jwtSecondsLeft(jwtWith({ id: 1 }), now)).toBeNull();
  });

  it('is httpOnly, SameSite=Lax, on every path, and ends with the JWT', () => {
    expect(sessionCookieOptions(jwtWith({ exp }), false, now)).toEqual({ httpOnly: true, sameSite: 'lax', path: '/', secure: false, maxAge: 3600 });
  });

  it('is Secure when asked (PORTAL_URL on https)', () => {
    expect(sessionCookieOptions(jwtWith({ exp }), true, now).secure).toBe(true);
  });

  it('falls back to 12 hours without a readable expiry and never goes negative', () => {
    expect(sessionCookieOptions('opaque', false, now).maxAge).toBe(12 * 3600);
    expect(sessionCookieOptions(jwtWith({ exp: exp - 7200 }), false, now).maxAge).toBe(0);
  });
});

describe('sessionTokenFrom', () => {
  it('takes a JWT-shaped cookie as it is', () => {
    const jwt = jwtWith({ id: 2, exp: 2_000_000_000 });
    expect(sessionTokenFrom(jwt)).toBe(jwt);
    expect(sessionTokenFrom('eyJhbGciOiJIUzI1NiJ9.eyJpZCI6Mn0.c2ln-_')).toBe('eyJhbGciOiJIUzI1NiJ9.eyJpZCI6Mn0.c2ln-_');
  });

  it.each([
    [undefined],
    [''],
    ['a.b.c\r\nSet-Cookie: x=1'],
    ['a.b.c\u0000'],
    ['a.b.c '],
    ['a.b'],
    ['a..c'],
    ['a.b.c.d'],
    ['a.b.c=='],
    ['a.b.' + 'c'.repeat(5000)],
  ])('is no session for %j', (cookie) => {
    expect(sessionTokenFrom(cookie)).toBeNull();
  });
});
