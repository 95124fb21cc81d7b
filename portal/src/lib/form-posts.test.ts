import { describe, expect, it } from 'vitest';
import { formPostProblem, MAX_FORM_BYTES, oversizePost } from './form-posts';

describe('formPostProblem', () => {
  it.each([
    [null],
    [''],
    ['application/x-www-form-urlencoded'],
    ['APPLICATION/X-WWW-FORM-URLENCODED; CHARSET=UTF-8'],
    ['application/x-www-form-urlencoded;charset="utf8"'],
    ['multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW'],
    ['Multipart/Form-Data; BOUNDARY=abc'],
  ])('reads %j', (contentType) => {
    expect(formPostProblem(contentType)).toBeNull();
  });

  it('refuses JSON in any letter case with 415: every portal post is a form', () => {
    for (const type of ['application/json', 'APPLICATION/JSON', 'application/json; charset=utf-16', 'text/plain']) {
      const problem = formPostProblem(type);
      expect(problem, type).toMatchObject({ status: 415, message: expect.stringContaining('application/x-www-form-urlencoded or multipart/form-data') });
    }
    expect(formPostProblem('APPLICATION/JSON')!.message).toContain('not application/json');
  });

  it('refuses a form in a charset other than UTF-8 with 415', () => {
    expect(formPostProblem('application/x-www-form-urlencoded; charset=utf-16')).toEqual({ status: 415, message: 'The form\'s charset "utf-16" is not supported: send it in UTF-8.' });
    expect(formPostProblem('application/x-www-form-urlencoded; charset=bogus')!.status).toBe(415);
  });

  it('refuses multipart without a boundary and unreadable headers with 400', () => {
    expect(formPostProblem('multipart/form-data')).toMatchObject({ status: 400, message: expect.stringContaining('boundary') });
    expect(formPostProblem('multipart/form-data; boundary=')).toMatchObject({ status: 400 });
    expect(formPostProblem(';;;')).toMatchObject({ status: 400, message: expect.stringContaining('could not be read') });
  });

  it('keeps messages short whatever the header holds', () => {
    expect(formPostProblem(`application/${'x'.repeat(500)}`)!.message.length).toBeLessThan(220);
    expect(formPostProblem(`application/x-www-form-urlencoded; charset=${'y'.repeat(500)}`)!.message.length).toBeLessThan(140);
  });
});

describe('forms too large to read', () => {
  const post = (bytes: number, declared = bytes) =>
    new Request('http://portal.test/_actions/feedback.suggest', { method: 'POST', body: 'x'.repeat(bytes), headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(declared) } });

  it('refuses a body over 1 MB with 413, after reading it so the client can read the answer', async () => {
    const request = post(MAX_FORM_BYTES + 1);
    expect(await oversizePost(request)).toMatchObject({ status: 413, message: expect.stringContaining('larger than 1 MB') });
    expect(request.bodyUsed).toBe(true);
  });

  it('lets a form of 1 MB or less, or one without a length, through unread', async () => {
    const request = post(MAX_FORM_BYTES);
    expect(await oversizePost(request)).toBeNull();
    expect(request.bodyUsed).toBe(false);
    expect(await oversizePost(new Request('http://portal.test/', { method: 'POST' }))).toBeNull();
  });
});
