import type { APIRoute } from 'astro';
import { SESSION_COOKIE } from '../lib/session';

/**
 * Signs the rep out. Strapi's JWTs are stateless, so ending the session means forgetting the token;
 * a POST (checked for origin by the middleware) keeps other sites from signing reps out.
 */
export const POST: APIRoute = ({ cookies, redirect }) => {
  cookies.delete(SESSION_COOKIE, { path: '/' });
  return redirect('/login?reason=signed-out', 303);
};

/** A bookmarked or typed /logout just goes home; signing out needs the button. */
export const GET: APIRoute = ({ redirect }) => redirect('/', 303);
