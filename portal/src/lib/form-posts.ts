/**
 * Every POST the portal answers is an HTML form: sign-in, sign-out, the subscription form, Acknowledge
 * and the suggestion action. Bodies are read with `Request.formData()`, which reads UTF-8 only, and
 * Astro's action runtime answers 500 to a JSON body it cannot parse. So the Content-Type is checked
 * before anything reads the body, and anything else is refused with a sentence saying what to send.
 */
import { MIMEType } from 'node:util';

/** Why a post's body will not be read, and the status to answer with. */
export interface PostProblem {
  status: 400 | 413 | 415;
  message: string;
}

/** The largest form the portal reads: Astro's action limit, far above any form it serves. */
export const MAX_FORM_BYTES = 1024 * 1024;
/**
 * How much of a refused body is read (and dropped) before the refusal goes out. A server that answers
 * before the client has sent its body and closes the connection makes the client fail writing (EPIPE)
 * before it reads the answer; reading the rest first, as web servers' "lingering close" does, lets
 * the 413 arrive. Past this, the connection is closed regardless.
 */
const LINGER_BYTES = 32 * 1024 * 1024;

/**
 * A post declaring a body over {@link MAX_FORM_BYTES}: its body is read up to {@link LINGER_BYTES}
 * and dropped, and the refusal returned. Null for any other request.
 */
export async function oversizePost(request: Request): Promise<PostProblem | null> {
  const declared = Number(request.headers.get('content-length'));
  if (!Number.isFinite(declared) || declared <= MAX_FORM_BYTES) return null;
  if (declared <= LINGER_BYTES && request.body) {
    try {
      for await (const _chunk of request.body) {
        // dropped: only the client's chance to read the answer matters
      }
    } catch {
      // the client gave up: nobody is left to answer
    }
  }
  return { status: 413, message: `This form is larger than ${MAX_FORM_BYTES / 1024 / 1024} MB, so it was refused and nothing was saved. A suggestion fits in a few thousand characters.` };
}

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);
const UTF8_LABELS = new Set(['utf-8', 'utf8']);
const SEND_A_FORM = 'Send it as an HTML form: application/x-www-form-urlencoded or multipart/form-data, in UTF-8.';

const shown = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

/**
 * Checks a POST's Content-Type header. Null when the portal reads such a body: a form type (any
 * letter case), a multipart boundary, no charset or UTF-8. A post without Content-Type passes: it has
 * no form to read, and each page handles a missing form.
 */
export function formPostProblem(contentType: string | null): PostProblem | null {
  if (contentType === null || contentType.trim() === '') return null;
  let mime: MIMEType;
  try {
    mime = new MIMEType(contentType);
  } catch {
    return { status: 400, message: `The Content-Type header could not be read. ${SEND_A_FORM}` };
  }
  if (!FORM_TYPES.has(mime.essence)) return { status: 415, message: `This address takes forms, not ${shown(mime.essence)}. ${SEND_A_FORM}` };
  if (mime.essence === 'multipart/form-data' && !mime.params.get('boundary')) {
    return { status: 400, message: 'A multipart/form-data post needs its boundary: Content-Type: multipart/form-data; boundary=<the boundary the parts use>.' };
  }
  const charset = mime.params.get('charset');
  if (charset !== null && !UTF8_LABELS.has(charset.toLowerCase())) return { status: 415, message: `The form's charset "${shown(charset)}" is not supported: send it in UTF-8.` };
  return null;
}
