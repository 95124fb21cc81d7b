import { STANDING_LABELS, type Standing, type VersionCause } from '../../src/shared/contracts';

// The plugin's texts are English, so dates are too: a German date inside an English sentence reads worse.
const LOCALE = 'en';
const exactFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
const relativeFormat = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' });

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 hours ago", "yesterday", "just now". */
export function formatRelative(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  if (Number.isNaN(diff)) return '';
  if (Math.abs(diff) < 60_000) return 'just now';
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relativeFormat.format(Math.round(diff / ms), unit);
  }
  return relativeFormat.format(Math.round(diff / 60_000), 'minute');
}

/** "Nov 23, 2026, 7:03 AM" in the viewer's time zone. */
export function formatExact(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : exactFormat.format(date);
}

export const CAUSE_LABELS: Record<VersionCause, string> = {
  publish: 'Published',
  standing: 'Standing changed',
  restore: 'Restored',
  link: 'Claim linked',
  merge: 'Copies merged in',
  import: 'Imported',
};

/** Enumerations whose codes are plain words ("deck"), shown capitalized like the multi-word ones. */
const ENUM_FIELDS = new Set(['kind', 'funnelStage']);

/**
 * A field value as a marketer reads it: standing labels instead of codes, "one pager" instead of
 * `one_pager`, Yes/No for flags. Null for "nothing", which callers show as "empty".
 */
export function displayValue(field: string, value: unknown): string | null {
  if (value == null || value === '') return null;
  if (field === 'standing' && typeof value === 'string' && value in STANDING_LABELS) return STANDING_LABELS[value as Standing];
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' && (ENUM_FIELDS.has(field) || /^[a-z]+(_[a-z]+)+$/.test(value))) {
    const words = value.replace(/_/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Field errors from the shared zod schema and the server start with the field's code name ("nowTrue
 * must be …"). Under a labelled field that name is noise, so it goes: "Must be at least 5 characters…".
 */
export function fieldMessage(field: string, message: string): string {
  let text = message.trim();
  if (text.toLowerCase().startsWith(field.toLowerCase())) text = text.slice(field.length).replace(/^[\s:]+/, '');
  text = text.replace(/^is required\b/i, 'Required');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : message;
}
