import type { ExtractLimits } from './limits';
import { UnreadableFileError, type ExtractedPart } from './types';

// C0/C1 controls except tab and line feed; the line-ish ones become line feeds first.
const LINE_CONTROLS = /\r\n?|[\v\f\u0085\u2028\u2029]/g;
const OTHER_CONTROLS = /[^\P{Cc}\t\n]/gu;
// A surrogate without its pair (broken PDF text): String#toWellFormed is ES2024, past our lib.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// \s minus the line feed: spaces, tabs, NBSP, the U+2000 family, U+3000, BOM.
const HORIZONTAL_SPACE = /[^\S\n]+/g;

/**
 * Text as we index it: well-formed UTF-16, NFC, no control characters, runs of spaces collapsed to one,
 * each line trimmed, blank lines dropped (one line feed keeps paragraphs apart for snippets).
 */
export function normaliseText(raw: string): string {
  return raw
    .replace(LONE_SURROGATE, '\ufffd')
    .normalize('NFC')
    .replace(LINE_CONTROLS, '\n')
    .replace(OTHER_CONTROLS, '')
    .replace(HORIZONTAL_SPACE, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return text.slice(0, end);
}

/** A wall-clock budget. Readers call `check()` between pages and parts; `race` bounds one awaited step. */
export class Deadline {
  readonly #at: number;

  constructor(readonly ms: number) {
    this.#at = performance.now() + ms;
  }

  check(): void {
    if (performance.now() > this.#at) throw this.#error();
  }

  /** Rejects with a timeout when `work` outlasts the budget; `onTimeout` may cancel it. */
  async race<T>(work: Promise<T>, onTimeout?: () => void): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          onTimeout?.();
          reject(this.#error());
        },
        Math.max(0, this.#at - performance.now()),
      );
    });
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  #error(): UnreadableFileError {
    return new UnreadableFileError('timeout', `reading took longer than ${Math.round(this.ms / 1000)} s`);
  }
}

/** Collects parts under the character and part limits; readers stop asking once `full` is true. */
export class PartCollector {
  readonly parts: ExtractedPart[] = [];
  truncated = false;
  #chars = 0;

  constructor(
    private readonly limits: ExtractLimits,
    private readonly deadline: Deadline,
  ) {}

  get full(): boolean {
    return this.parts.length >= this.limits.maxParts || this.#chars >= this.limits.maxTotalChars;
  }

  /** Adds the next part (index = its position); marks the result truncated when a limit cut it. */
  add(label: string, raw: string): void {
    this.deadline.check();
    if (this.full) {
      this.truncated = true;
      return;
    }
    const text = normaliseText(raw);
    const room = Math.min(this.limits.maxPartChars, this.limits.maxTotalChars - this.#chars);
    const kept = clip(text, room);
    if (kept.length < text.length) this.truncated = true;
    this.#chars += kept.length;
    this.parts.push({ label, index: this.parts.length + 1, text: kept });
  }

  /** The reader had more parts than it offered (it stopped because `full` was true). */
  markSkipped(): void {
    this.truncated = true;
  }
}
