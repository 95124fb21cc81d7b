/** Dates and sizes as reps read them: unambiguous day-month-year, in English. */

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * Formats an ISO date or date-time ("2026-12-15", "2026-12-15T09:30:00.000Z") as "15 Dec 2026".
 * Date-only values are read as UTC so the day never shifts with the server's time zone.
 * Returns null for missing or unreadable values.
 */
export function formatDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? null : DATE.format(date);
}

/** The machine-readable value for a `<time datetime>` attribute, or null. */
export function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Whether a review-by date ("2026-12-15") has passed on `today`. */
export function isOverdue(reviewBy: string | null | undefined, today: Date = new Date()): boolean {
  if (!reviewBy || !/^\d{4}-\d{2}-\d{2}$/.test(reviewBy)) return false;
  return reviewBy < today.toISOString().slice(0, 10);
}

/** Strapi stores file sizes in kilobytes; shows them as "84 KB" or "2.4 MB". */
export function formatSize(kilobytes: number | null): string | null {
  if (kilobytes === null || !Number.isFinite(kilobytes) || kilobytes < 0) return null;
  if (kilobytes < 1024) return `${Math.max(1, Math.round(kilobytes))} KB`;
  return `${(kilobytes / 1024).toFixed(1)} MB`;
}
