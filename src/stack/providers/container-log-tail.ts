/**
 * The last lines of a stopped container's log, stdout and stderr together.
 *
 * Docker copies the two streams with separate readers and stamps each line
 * when its reader gets to it, so a line the service wrote last on stderr (the
 * usual "fatal: …" before an exit) can be stamped before a burst of stdout
 * lines written earlier. Neither the log file's order nor the timestamps can
 * restore the true order; what a failure report must not do is lose that
 * stderr line. So the tail is the last `count` lines by timestamp with the last
 * few stderr lines always among them, all in timestamp order.
 */

/** A line as `docker logs --timestamps` prints it, with the stream it came on. */
export interface StampedLine {
  readonly stream: 'stdout' | 'stderr';
  /** RFC 3339 with up to nine fraction digits, as Docker prints it. */
  readonly stamp: string;
  readonly text: string;
}

/** Stderr lines kept in the tail however many stdout lines came after them. */
export const KEPT_STDERR_LINES = 5;

/** Splits `docker logs --timestamps` output of one stream into stamped lines. */
export function parseStamped(output: string, stream: StampedLine['stream']): StampedLine[] {
  return output.split('\n').flatMap((raw): StampedLine[] => {
    const space = raw.indexOf(' ');
    const stamped = space > 0 && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(raw.slice(0, space));
    const line = stamped
      ? { stream, stamp: raw.slice(0, space), text: raw.slice(space + 1) }
      : { stream, stamp: '', text: raw };
    return line.text.length > 0 ? [line] : [];
  });
}

/** Docker trims trailing zeros from the fraction; padded, stamps compare as strings. */
function sortKey(stamp: string): string {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(stamp);
  if (!match) return stamp;
  return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}`;
}

/** The last `count` lines by timestamp, with the last KEPT_STDERR_LINES stderr lines always among them. */
export function mergedTail(stdout: readonly StampedLine[], stderr: readonly StampedLine[], count: number): string[] {
  if (count <= 0) return [];
  const keyed = [...stdout, ...stderr].map((line) => ({ line, key: sortKey(line.stamp) }));
  // The sort is stable: on equal stamps one stream's lines stay in their order.
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const all = keyed.map((entry) => entry.line);
  const kept = new Set(all.filter((line) => line.stream === 'stderr').slice(-Math.min(KEPT_STDERR_LINES, count)));
  const others = all.filter((line) => !kept.has(line));
  const recent = new Set(others.slice(Math.max(0, others.length - (count - kept.size))));
  return all.filter((line) => kept.has(line) || recent.has(line)).map((line) => line.text);
}
