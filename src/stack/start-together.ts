/**
 * Starts several things at once. When one fails, the others' waits are
 * aborted at once (they would only delay the report), every start is allowed
 * to settle (no stray rejections), and the first failure is thrown.
 */
export async function startTogether<T extends readonly unknown[]>(
  signal: AbortSignal,
  starts: { readonly [K in keyof T]: (signal: AbortSignal) => Promise<T[K]> },
): Promise<T> {
  signal.throwIfAborted();
  const siblings = new AbortController();
  const forward = () => siblings.abort(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  let first: { readonly error: unknown } | undefined;
  try {
    const settled = await Promise.allSettled(
      starts.map((start) =>
        start(siblings.signal).catch((error: unknown) => {
          first ??= { error };
          siblings.abort(error);
          throw error;
        }),
      ),
    );
    if (first) throw first.error;
    return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
  } finally {
    signal.removeEventListener('abort', forward);
  }
}
