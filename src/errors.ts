/** Exit codes of the santokit-it process (README "Exit codes"). */
export const ExitCode = {
  passed: 0,
  failed: 1,
  invalidInput: 2,
  stackFailed: 3,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure of the tool or its input, carried to the one place that exits. */
export class SantokitItError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, exitCode: ExitCodeValue, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Bad flags, an invalid catalog, nothing selected: exit 2. */
export class UsageError extends SantokitItError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.invalidInput, hint);
  }
}

export interface ServiceFailure {
  readonly service: string;
  /** What the start was waiting for, e.g. `GET http://127.0.0.1:4101/healthz → 200`. */
  readonly waitedFor: string;
  readonly exitCode?: number | null;
  readonly logTail: readonly string[];
}

/** A service of the stack did not become ready: exit 3. */
export class StackStartError extends SantokitItError {
  readonly failure: ServiceFailure;

  constructor(message: string, failure: ServiceFailure) {
    super(message, ExitCode.stackFailed);
    this.failure = failure;
  }
}

/** SIGINT/SIGTERM during a run: exit 130 after teardown. */
export class InterruptedError extends SantokitItError {
  constructor(signal: string) {
    super(`interrupted by ${signal}`, ExitCode.interrupted);
  }
}
