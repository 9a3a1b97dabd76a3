/** Ready when a line of the service's output matches a pattern. */
import type { LineSource, Probe } from './probe.ts';

export function logProbe(pattern: RegExp): Probe {
  return {
    description: `a log line matching ${pattern}`,
    wait(output: LineSource, signal: AbortSignal) {
      return new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        if (output.lines().some((line) => pattern.test(line))) return resolve();
        const done = (settle: () => void) => {
          unsubscribe();
          signal.removeEventListener('abort', onAbort);
          settle();
        };
        const onAbort = () => done(() => reject(signal.reason));
        const unsubscribe = output.subscribe((line) => {
          if (pattern.test(line)) done(resolve);
        });
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
