/**
 * Bounded concurrency for cluster calls: many small requests in flight make a sync fast, too many
 * at once get a client throttled by the API server's priority and fairness.
 */

/** Runs thunks with at most `limit` in flight; the first rejection is rethrown after all settle. */
export async function runLimited(thunks: ReadonlyArray<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < thunks.length) {
      const thunk = thunks[next++]!;
      try {
        await thunk();
      } catch (e) {
        errors.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, thunks.length) }, worker));
  if (errors.length > 0) throw errors[0];
}
