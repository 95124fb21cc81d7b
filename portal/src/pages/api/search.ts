import type { APIRoute } from 'astro';
import { describeFailure, logFailure } from '../../lib/problems';
import { parseSearchParams } from '../../lib/search';
import { searchForRep, SearchUnavailableError } from '../../lib/search-server';
import { cms } from '../../lib/server';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

/**
 * GET /api/search?q=…&kind=…: the search island's results, from the same search and truth overlay as
 * the /search page, so the browser never holds a Meilisearch key and never sees an unchecked hit.
 * `log=1` records the search (the island sends it once the rep stops typing, not on every keystroke).
 * The middleware has already checked the session; failures answer JSON `{ error }` with a status.
 */
export const GET: APIRoute = async ({ url, locals }) => {
  if (locals.problem) return json(locals.problem.status, { error: locals.problem.title });
  const session = locals.session;
  if (!session) return json(401, { error: 'Sign in again.' });
  try {
    const view = await searchForRep(cms(), session.token, parseSearchParams(url.searchParams), { log: url.searchParams.get('log') === '1' });
    return json(200, view);
  } catch (err) {
    if (err instanceof SearchUnavailableError) {
      logFailure('/api/search', err);
      return json(503, { error: 'Search is unavailable right now.' });
    }
    const outcome = describeFailure(err);
    if (outcome.kind === 'reauth') return json(401, { error: 'Sign in again.' });
    if (outcome.log) logFailure('/api/search', err);
    return json(outcome.problem.status, { error: outcome.problem.title });
  }
};
