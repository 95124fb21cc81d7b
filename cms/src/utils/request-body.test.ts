import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bodyProblemResponse, charsetProblem, describeBodyError } from './request-body';

/** An error shaped the way formidable 2 builds them (FormidableError: message, code, httpCode). */
const formidableError = (message: string, code: number, httpCode: number) => Object.assign(new Error(message), { code, httpCode });
/** raw-body's errors are http-errors with a `type`. */
const rawBodyError = (type: string, status: number, extra: object = {}) => Object.assign(new Error(type), { type, status, expose: true, ...extra });
const none = { contentEncoding: '' };

describe('charsetProblem', () => {
  it('accepts no charset, UTF-8 in any spelling and its ASCII subset', () => {
    for (const charset of ['', 'utf-8', 'UTF-8', 'utf8', 'us-ascii']) expect(charsetProblem(charset), charset).toBeNull();
  });

  it('refuses every other charset with 415 and names it', () => {
    expect(charsetProblem('utf-16')).toEqual({ status: 415, message: 'The body\'s charset "utf-16" is not supported: send it as UTF-8 (charset=utf-8).' });
    expect(charsetProblem('BOGUS')!.message).toContain('"BOGUS"');
    expect(charsetProblem('x'.repeat(500))!.message.length).toBeLessThan(120);
  });
});

describe('describeBodyError', () => {
  it('multipart without a boundary, cut off, or with an odd transfer encoding', () => {
    expect(describeBodyError(formidableError('bad content-type header, no multipart boundary', 1013, 400), none)).toMatchObject({ status: 400, message: expect.stringContaining('boundary=') });
    expect(describeBodyError(formidableError('MultipartParser.end(): stream ended unexpectedly', 1012, 400), none)).toMatchObject({ status: 400, message: expect.stringContaining('cut off') });
    expect(describeBodyError(formidableError('unknown transfer-encoding', 1014, 501), none)).toMatchObject({ status: 415 });
  });

  it('an upload over formidable\'s limits is 413, without its option names', () => {
    const problem = describeBodyError(formidableError('options.maxFileSize (200 bytes) exceeded, received 201 bytes of file data', 1009, 413), none)!;
    expect(problem.status).toBe(413);
    // Strapi's body middleware rewrites any message naming maxFileSize to a bare "FileTooBig".
    expect(problem.message).not.toContain('maxFileSize');
  });

  it('leaves formidable\'s own failures (a plugin, the disk) to be 500s', () => {
    expect(describeBodyError(formidableError('plugin on index 0 failed with: EACCES', 1017, 500), none)).toBeNull();
  });

  it('too large, cut off or mis-sized bodies from raw-body', () => {
    expect(describeBodyError(rawBodyError('entity.too.large', 413, { limit: 1024 * 1024 }), none)).toEqual({ status: 413, message: 'The request body is larger than 1 MB, the most this API reads.' });
    expect(describeBodyError(rawBodyError('entity.too.large', 413, { limit: 56 * 1024 }), none)!.message).toContain('56 KB');
    expect(describeBodyError(rawBodyError('request.size.invalid', 400), none)).toMatchObject({ status: 400, message: expect.stringContaining('Content-Length') });
    expect(describeBodyError(rawBodyError('request.aborted', 400), none)).toMatchObject({ status: 400 });
    expect(describeBodyError(rawBodyError('stream.encoding.set', 500), none)).toBeNull();
  });

  it('broken JSON, with what the parser said', () => {
    const err = Object.assign(new SyntaxError('Unexpected end of JSON input'), { status: 400, body: '{"data":' });
    expect(describeBodyError(err, none)).toEqual({ status: 400, message: 'The body is not valid JSON: Unexpected end of JSON input' });
  });

  it('a Content-Encoding that is unknown (415) or does not match the body (400)', () => {
    const unknown = Object.assign(new Error('Unsupported Content-Encoding: compress'), { status: 415 });
    expect(describeBodyError(unknown, { contentEncoding: 'compress' })).toMatchObject({ status: 415, message: expect.stringContaining('"compress" is not supported') });

    let zlibError: unknown;
    try {
      zlib.gunzipSync(Buffer.from('{"not":"gzip"}'));
    } catch (err) {
      zlibError = err;
    }
    expect(describeBodyError(zlibError, { contentEncoding: 'gzip' })).toEqual({ status: 400, message: 'The body is not valid gzip data, though its Content-Encoding header says it is (incorrect header check).' });
    // The same failure without a Content-Encoding is not the client's doing.
    expect(describeBodyError(zlibError, none)).toBeNull();
  });

  it('anything else stays a server error', () => {
    expect(describeBodyError(new Error('ENOSPC: no space left on device'), none)).toBeNull();
    expect(describeBodyError('a string', none)).toBeNull();
    expect(describeBodyError(null, none)).toBeNull();
  });
});

describe('bodyProblemResponse', () => {
  it('is Strapi\'s error shape', () => {
    expect(bodyProblemResponse({ status: 415, message: 'Send UTF-8.' })).toEqual({ data: null, error: { status: 415, name: 'UnsupportedMediaTypeError', message: 'Send UTF-8.', details: {} } });
  });
});
