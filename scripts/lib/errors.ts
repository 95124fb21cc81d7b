/** A failure a person can act on; the CLI prints only its message. */
export class StackError extends Error {
  override name = 'StackError';
}
