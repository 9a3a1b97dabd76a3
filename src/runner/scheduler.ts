/** A bounded pool: up to `jobs` workers at once, results in input order. */

export interface PoolOptions {
  readonly jobs: number;
  /** Checked before each start; true stops scheduling (bail, interrupt). */
  readonly shouldStop?: () => boolean;
}

/** Runs `work` over `items`; entries never started stay `undefined`. */
export async function runPool<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  options: PoolOptions,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array<R | undefined>(items.length).fill(undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !options.shouldStop?.()) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  const count = Math.max(1, Math.min(options.jobs, items.length));
  await Promise.all(Array.from({ length: count }, worker));
  return results;
}
