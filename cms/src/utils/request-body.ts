/**
 * What to tell a client whose request body Strapi cannot read. Strapi's body parser (koa-body with
 * co-body, raw-body, inflation and formidable) throws plain errors for several client mistakes, and
 * Strapi answers those with a 500; these functions name the mistake and the status that fits it.
 */

/** A body the client has to fix: the status to answer and a sentence saying what to change. */
export interface BodyProblem {
  status: 400 | 413 | 415;
  message: string;
}

const ERROR_NAMES = { 400: 'BadRequestError', 413: 'PayloadTooLargeError', 415: 'UnsupportedMediaTypeError' } as const;

/** The answer in Strapi's error shape, as strapi::errors writes it for its own HTTP errors. */
export function bodyProblemResponse(problem: BodyProblem) {
  return { data: null, error: { status: problem.status, name: ERROR_NAMES[problem.status], message: problem.message, details: {} } };
}

/** Charsets that are UTF-8 or a subset of it: koa-body decodes every textual body as UTF-8. */
const READABLE_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

const SUPPORTED_ENCODINGS = 'gzip, deflate or br';

/**
 * A refusal for a textual body (JSON, form, text) whose declared charset is not UTF-8, or null.
 * koa-body ignores the charset and reads UTF-8, so a body in another charset would be misread.
 */
export function charsetProblem(charset: string): BodyProblem | null {
  if (charset === '' || READABLE_CHARSETS.has(charset.toLowerCase())) return null;
  const shown = charset.length > 40 ? `${charset.slice(0, 40)}…` : charset;
  return { status: 415, message: `The body's charset "${shown}" is not supported: send it as UTF-8 (charset=utf-8).` };
}

interface ParserError {
  message?: unknown;
  status?: unknown;
  type?: unknown;
  limit?: unknown;
  /** formidable's HTTP status and numeric reason. */
  httpCode?: unknown;
  code?: unknown;
  /** co-body keeps the text it could not parse. */
  body?: unknown;
}

/** formidable 2's reason codes that need their own sentence (FormidableError.js). */
const FORMIDABLE = { aborted: 1002, malformedMultipart: 1012, missingMultipartBoundary: 1013, unknownTransferEncoding: 1014 } as const;

function bytes(limit: unknown): string {
  if (typeof limit !== 'number' || !Number.isFinite(limit)) return 'the limit';
  if (limit >= 1024 * 1024) return `${Math.round((limit / (1024 * 1024)) * 10) / 10} MB`;
  if (limit >= 1024) return `${Math.round(limit / 1024)} KB`;
  return `${limit} bytes`;
}

function fromFormidable(err: ParserError): BodyProblem | null {
  const httpCode = err.httpCode as number;
  switch (err.code) {
    case FORMIDABLE.missingMultipartBoundary:
      return { status: 400, message: 'A multipart/form-data body needs its boundary: send Content-Type: multipart/form-data; boundary=<the boundary the parts use>.' };
    case FORMIDABLE.malformedMultipart:
      return { status: 400, message: 'The multipart/form-data body is malformed or cut off: its parts do not match the boundary in Content-Type.' };
    case FORMIDABLE.aborted:
      return { status: 400, message: 'The request was cut off before its body ended.' };
    case FORMIDABLE.unknownTransferEncoding:
      return { status: 415, message: 'A part of the multipart/form-data body uses a Content-Transfer-Encoding that is not supported: send the parts as binary.' };
  }
  // formidable's own message names its options (maxFileSize, maxFields): say it in the client's terms.
  if (httpCode === 413) return { status: 413, message: 'The upload is too large: a file, or the form fields together, exceed what this API accepts.' };
  if (httpCode === 415) return { status: 415, message: `The multipart/form-data body cannot be read: ${String(err.message ?? '')}`.trim() };
  if (httpCode >= 400 && httpCode < 500) return { status: 400, message: `The multipart/form-data body was refused: ${String(err.message ?? '')}`.trim() };
  return null;
}

function fromRawBody(err: ParserError): BodyProblem | null {
  switch (err.type) {
    case 'entity.too.large':
      return { status: 413, message: `The request body is larger than ${bytes(err.limit)}, the most this API reads.` };
    case 'request.aborted':
      return { status: 400, message: 'The request was cut off before its body ended.' };
    case 'request.size.invalid':
      return { status: 400, message: 'The body is shorter or longer than its Content-Length header says.' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, message: 'The body is in a charset this API cannot read: send it as UTF-8.' };
  }
  return null;
}

/**
 * Maps an error of Strapi's body parser to the client's mistake, or null when the error is the
 * server's own (a full disk, a bug): those stay 500s.
 *
 * @param request.contentEncoding the request's Content-Encoding header ('' when absent)
 */
export function describeBodyError(error: unknown, request: { contentEncoding: string }): BodyProblem | null {
  if (typeof error !== 'object' || error === null) return null;
  const err = error as ParserError;
  if (typeof err.httpCode === 'number' && typeof err.code === 'number') return fromFormidable(err);
  if (typeof err.type === 'string') return fromRawBody(err);
  const message = typeof err.message === 'string' ? err.message : '';
  if (err.status === 415 && message.startsWith('Unsupported Content-Encoding')) {
    return { status: 415, message: `Content-Encoding "${request.contentEncoding}" is not supported: send the body uncompressed or as ${SUPPORTED_ENCODINGS}.` };
  }
  // co-body: the body arrived whole but is not JSON.
  if (err.status === 400 && 'body' in err) return { status: 400, message: `The body is not valid JSON: ${message}` };
  // zlib failed on a body that claims a Content-Encoding: the body is not what the header says.
  const encoding = request.contentEncoding.trim().toLowerCase();
  if (err.status === undefined && encoding !== '' && encoding !== 'identity') {
    return { status: 400, message: `The body is not valid ${encoding} data, though its Content-Encoding header says it is (${message}).` };
  }
  return null;
}
