import type { APIRoute } from 'astro';
import { ackRedirect, acknowledgeNotice } from '../../../lib/notices';
import { describeFailure, logFailure } from '../../../lib/problems';
import { cms } from '../../../lib/server';
import { loginPath, safeNextPath, SESSION_COOKIE } from '../../../lib/session';

/**
 * The Acknowledge button: a plain form POST (origin-checked by the middleware), answered with a 303
 * back to the page it came from, which says how it went. No script needed.
 */
export const POST: APIRoute = async ({ params, request, locals, cookies, redirect }) => {
  let back: unknown;
  try {
    back = (await request.formData()).get('back');
  } catch {
    back = undefined;
  }
  const id = /^[1-9]\d{0,15}$/.test(params.id ?? '') ? Number(params.id) : null;
  if (id === null) return redirect(ackRedirect(back, 'done', ''), 303);

  const session = locals.session;
  if (!session || locals.problem) {
    if (locals.problem) return redirect(ackRedirect(back, 'failed', id), 303);
    return redirect(loginPath(safeNextPath(back), 'expired'), 303);
  }
  try {
    const ack = await acknowledgeNotice(cms(), session.token, id);
    return redirect(ackRedirect(back, 'done', ack ? id : ''), 303);
  } catch (err) {
    const outcome = describeFailure(err);
    if (outcome.kind === 'reauth') {
      cookies.delete(SESSION_COOKIE, { path: '/' });
      return redirect(loginPath(safeNextPath(back), 'expired'), 303);
    }
    if (outcome.log) logFailure(`acknowledge notice ${id}`, err);
    return redirect(ackRedirect(back, 'failed', id), 303);
  }
};

/** A typed or bookmarked address: acknowledging needs the button. */
export const GET: APIRoute = ({ redirect }) => redirect('/notices', 303);
