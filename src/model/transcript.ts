/**
 * What a scenario did, in order: every HTTP exchange, CLI call and SQL
 * statement the scenario kit made. Reports print it for failing scenarios.
 */

/** A command line that ran to its end: what `stk` answers, and what a transcript keeps of it. */
export interface CliRun {
  readonly argv: readonly string[];
  readonly cwd?: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** One SQL statement the kit ran. */
export interface SqlRun {
  readonly database: string;
  readonly text: string;
  readonly rowCount: number | null;
  readonly error?: string;
  readonly durationMs: number;
}

export type TranscriptEntry =
  | {
      readonly kind: 'http';
      readonly at: number;
      readonly method: string;
      readonly url: string;
      readonly requestHeaders: Readonly<Record<string, string>>;
      readonly requestBody?: string;
      readonly status: number;
      readonly responseHeaders: Readonly<Record<string, string>>;
      readonly responseBody: string;
      readonly durationMs: number;
    }
  | ({ readonly kind: 'cli'; readonly at: number } & CliRun)
  | ({ readonly kind: 'sql'; readonly at: number } & SqlRun)
  | { readonly kind: 'note'; readonly at: number; readonly text: string };

/** Append-only log handed to the scenario kit; the runner reads it after the scenario ends. */
export class Transcript {
  readonly #entries: TranscriptEntry[] = [];

  record(entry: TranscriptEntry): void {
    this.#entries.push(entry);
  }

  note(text: string): void {
    this.record({ kind: 'note', at: Date.now(), text });
  }

  get entries(): readonly TranscriptEntry[] {
    return this.#entries;
  }
}
