/** Turns failures into what a rep reads: a status, a title and what to do. Never a stack trace. */
import { CmsError } from './cms';
import { ConfigError } from './config';

export interface Problem {
  status: number;
  title: string;
  detail: string;
}

/** A failure either sends the rep back to sign in, or shows them a problem page. */
export type FailureOutcome = { kind: 'reauth' } | { kind: 'problem'; problem: Problem; /** Worth a line in the server log. */ log: boolean };

const ASK = 'If it keeps happening, tell your sales operations team.';

/** Decides what the rep sees for an error thrown while loading a page. */
export function describeFailure(err: unknown): FailureOutcome {
  if (err instanceof CmsError) {
    switch (err.code) {
      case 'unauthorized':
        return { kind: 'reauth' };
      case 'unreachable':
      case 'timeout':
        return {
          kind: 'problem',
          log: true,
          problem: { status: 503, title: 'Collateral is unavailable right now', detail: `The content service is not answering. Try again in a minute. ${ASK}` },
        };
      case 'forbidden':
        return {
          kind: 'problem',
          log: false,
          problem: { status: 403, title: 'Your account cannot see collateral', detail: 'Your account is not set up as a sales rep. Ask your sales operations team to give it access.' },
        };
      case 'rate_limited':
        return { kind: 'problem', log: false, problem: { status: 429, title: 'Too many requests', detail: 'Wait a moment, then try again.' } };
      default:
        return {
          kind: 'problem',
          log: true,
          problem: { status: 502, title: 'Collateral could not be loaded', detail: `The content service answered with an error. Try again in a minute. ${ASK}` },
        };
    }
  }
  if (err instanceof ConfigError) {
    return { kind: 'problem', log: true, problem: { status: 503, title: 'The portal is not set up correctly', detail: `An administrator needs to fix its configuration. ${ASK}` } };
  }
  return { kind: 'problem', log: true, problem: { status: 500, title: 'Something went wrong on our side', detail: `Try again in a minute. ${ASK}` } };
}

/** One log line for a failure: what and where, with the cause chain but without secrets. */
export function logFailure(where: string, err: unknown): void {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 4; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  console.error(`[portal] ${where}: ${parts.join(' <- ')}`);
}
