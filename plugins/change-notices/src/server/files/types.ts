export type ExtractKind = 'pdf' | 'pptx' | 'docx' | 'xlsx' | 'text' | 'markdown' | 'csv';

export type UnreadableReason =
  | 'encrypted'
  | 'corrupt'
  | 'empty'
  | 'too_large'
  | 'zip_bomb'
  | 'unsupported_type'
  | 'timeout';

/** One page, slide or sheet. */
export interface ExtractedPart {
  /** What a marketer calls it: "Page 3", "Slide 7", "Sheet Prices", "Document", "Text". */
  label: string;
  /** 1-based position in the file's own order (slide order, sheet order), not file-name order. */
  index: number;
  text: string;
}

export type Extraction =
  | {
      status: 'ok';
      mime: string;
      kind: ExtractKind;
      /** sha256 hex of the bytes: skip re-extraction when it is unchanged. */
      hash: string;
      parts: ExtractedPart[];
      /** Some parts or characters were left out by a limit. */
      truncated: boolean;
    }
  | {
      status: 'unreadable';
      reason: UnreadableReason;
      /** A sentence for the admin, e.g. "text could not be read: encrypted PDF". */
      message: string;
      mime: string | null;
      hash: string;
    };

/** Thrown inside the readers for a known bad file; extractText turns it into an `unreadable` result. */
export class UnreadableFileError extends Error {
  constructor(
    readonly reason: UnreadableReason,
    /** What follows "text could not be read: ". */
    readonly detail: string,
  ) {
    super(`text could not be read: ${detail}`);
    this.name = 'UnreadableFileError';
  }
}
