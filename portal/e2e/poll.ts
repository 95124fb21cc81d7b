/**
 * Waits on a real condition: calls `check` until it returns something truthy and returns that, or
 * throws after `timeoutMs`. For what happens behind the page (outbox jobs, the search index), where
 * there is nothing in the browser to wait for.
 */
export async function until<T>(what: string, check: () => Promise<T | undefined | false | null>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
