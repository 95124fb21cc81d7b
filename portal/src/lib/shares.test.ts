import { describe, expect, it } from 'vitest';
import type { Share } from '@candor/change-notices/contracts';
import { describeActivity, mailtoFor } from './shares';

const now = Date.parse('2026-12-03T12:00:00Z');
const activity = { opens: 2, firstOpenedAt: '2026-12-01T09:00:00Z', lastOpenedAt: '2026-12-02T18:00:00Z', pagesViewed: 6, pagesTotal: 12, downloads: 1 };

describe('what the Shares page says a buyer did', () => {
  it('reads like a person: opened twice, last yesterday, read 6 of 12 pages, 1 download', () => {
    expect(describeActivity(activity, now)).toBe('Opened twice, last yesterday, read 6 of 12 pages, 1 download');
    expect(describeActivity({ ...activity, opens: 0, lastOpenedAt: null }, now)).toBe('Not opened yet');
    expect(describeActivity({ ...activity, opens: 1, lastOpenedAt: '2026-12-03T08:00:00Z', downloads: 0, pagesTotal: 1, pagesViewed: 1 }, now)).toBe('Opened once, last today, read 1 of 1 page');
    expect(describeActivity({ ...activity, opens: 5, lastOpenedAt: '2026-11-20T08:00:00Z', pagesTotal: 0 }, now)).toBe('Opened 5 times, last on 20 Nov 2026, 1 download');
  });

  it('prepares an email with everything URL-encoded', () => {
    const share = { url: 'https://portal.test/s/abc', buyer: { name: 'Jane & Co', email: 'jane+x@acme.test', company: 'Acme' }, item: { title: 'Deck "Q1" & more' }, expiresAt: '2027-01-02T00:00:00Z' } as unknown as Share;
    const href = mailtoFor(share, 'Riley');
    expect(href.startsWith('mailto:jane%2Bx%40acme.test?subject=Deck%20%22Q1%22%20%26%20more&body=')).toBe(true);
    expect(decodeURIComponent(href.split('body=')[1]!)).toContain('https://portal.test/s/abc');
  });
});
