import { describe, expect, it } from 'vitest';
import { formatDate, formatSize, isoDate, isOverdue } from './format';

describe('formatDate', () => {
  it('shows dates and date-times as day month year', () => {
    expect(formatDate('2026-12-15')).toBe('15 Dec 2026');
    expect(formatDate('2026-11-23T07:32:52.215Z')).toBe('23 Nov 2026');
  });

  it('never shifts a date-only value by the time zone', () => {
    expect(formatDate('2027-01-01')).toBe('1 Jan 2027');
    expect(isoDate('2027-01-01')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('returns null for missing or unreadable values', () => {
    expect(formatDate(null)).toBeNull();
    expect(formatDate('')).toBeNull();
    expect(formatDate('soon')).toBeNull();
    expect(isoDate('soon')).toBeNull();
  });
});

describe('isOverdue', () => {
  const today = new Date('2026-11-23T12:00:00Z');
  it('is overdue only after the review-by day', () => {
    expect(isOverdue('2026-11-22', today)).toBe(true);
    expect(isOverdue('2026-11-23', today)).toBe(false);
    expect(isOverdue('2026-12-15', today)).toBe(false);
    expect(isOverdue(null, today)).toBe(false);
    expect(isOverdue('next week', today)).toBe(false);
  });
});

describe('formatSize', () => {
  it('shows kilobytes and megabytes', () => {
    expect(formatSize(1.2)).toBe('1 KB');
    expect(formatSize(84.4)).toBe('84 KB');
    expect(formatSize(2457.6)).toBe('2.4 MB');
    expect(formatSize(null)).toBeNull();
    expect(formatSize(-1)).toBeNull();
  });
});
