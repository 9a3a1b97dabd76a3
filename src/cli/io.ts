/** What a command may touch of the process: injected so the CLI runs in-process in tests. */
import type { Screen } from '../report/screen.ts';

export interface CliIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** Builds the screen once the command knows its --color flag. */
  screen(color: boolean | undefined): Screen;
}
