/** How a tool failure reaches the user: a message and what to do; a stack trace only for our own bugs. */
import { SantokitItError, StackStartError } from '../errors.ts';
import type { Screen } from './screen.ts';

export function formatToolError(error: unknown, screen: Screen): string {
  const { colors } = screen;
  if (error instanceof StackStartError) {
    const { failure } = error;
    const exit = failure.exitCode === undefined ? '' : ` (exit code ${failure.exitCode ?? 'none: still running'})`;
    return [
      colors.red(`error: ${error.message}`),
      `  service: ${failure.service}${exit}`,
      `  waited for: ${failure.waitedFor}`,
      `  last ${failure.logTail.length} log lines:`,
      ...failure.logTail.map((line) => colors.dim(`    ${line}`)),
      '',
    ].join('\n');
  }
  if (error instanceof SantokitItError) {
    return `${colors.red(`error: ${error.message}`)}\n${error.hint ? `${error.hint}\n` : ''}`;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${colors.red('internal error (a bug in santokit-it, please report it):')}\n${detail}\n`;
}
