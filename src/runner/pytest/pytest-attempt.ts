/**
 * What one pytest process says about its test, from the plugin's JSON lines
 * (README "The environment contract"): pass, fail (with pytest's assertion
 * and traceback) or skip, plus a transcript of every HTTP exchange, `stk`
 * run and SQL statement the harness made, and the test's captured output.
 * A process that ran no test (collection error, bad command, timeout) is a
 * failure that says why.
 */
import type { ScenarioError } from '../../model/results.ts';
import type { TranscriptEntry } from '../../model/transcript.ts';
import type { PytestProcessOutcome } from './pytest-process.ts';

export interface PytestAttempt {
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly error?: ScenarioError;
  readonly skipReason?: string;
  readonly transcript: readonly TranscriptEntry[];
}

interface TestLine {
  readonly nodeid: string;
  readonly outcome: string;
  readonly error?: {
    readonly phase?: string;
    readonly message?: string;
    readonly traceback?: string;
    readonly path?: string;
    readonly line?: number;
  };
  readonly skipReason?: string;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly log?: string;
}

interface Lines {
  readonly tests: TestLine[];
  readonly collectErrors: string[];
  readonly transcript: TranscriptEntry[];
}

const ENTRY_KINDS = new Set(['http', 'cli', 'sql', 'note']);
const FAILING = new Set(['failed', 'error']);
const SKIPPING = new Set(['skipped', 'xfailed']);

export function parseLines(text: string): Lines {
  const lines: Lines = { tests: [], collectErrors: [], transcript: [] };
  for (const raw of text.split('\n')) {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      continue;
    }
    const entry = event.entry as { kind?: unknown } | undefined;
    if (event.event === 'transcript' && entry && ENTRY_KINDS.has(String(entry.kind)))
      lines.transcript.push(entry as TranscriptEntry);
    else if (event.event === 'test') lines.tests.push(event as unknown as TestLine);
    else if (event.event === 'collect-error') lines.collectErrors.push(String(event.longrepr ?? ''));
  }
  return lines;
}

export function readAttempt(text: string, ran: PytestProcessOutcome, nodeId: string, timeoutMs: number): PytestAttempt {
  const { tests, collectErrors, transcript } = parseLines(text);
  const withOutput = [...transcript, ...tests.flatMap(capturedOutput)];
  if (ran.spawnError)
    return failed(
      {
        message: ran.spawnError,
        stack: 'Set pytest.command in santokit-it.config.json (README "Running Santokit\'s pytest suite").',
      },
      withOutput,
    );
  if (ran.timedOut)
    return failed(
      {
        message: `timed out after ${timeoutMs} ms: the pytest process group was killed`,
        timedOut: true,
        stack: tail(ran.output),
      },
      withOutput,
    );
  if (tests.length === 0) {
    const collect = collectErrors[0];
    const message = collect
      ? `pytest could not collect ${nodeId}: ${lastLine(collect)}`
      : `pytest ran no test for ${nodeId} (exit code ${String(ran.exitCode)})`;
    return failed({ message, stack: collect ?? tail(ran.output) }, withOutput);
  }
  const failing = tests.find((test) => FAILING.has(test.outcome));
  if (failing) return failed(errorOf(failing, tests.length > 1), withOutput);
  if (tests.every((test) => SKIPPING.has(test.outcome))) {
    return {
      status: 'skipped',
      skipReason: tests.map((test) => test.skipReason ?? 'skipped by pytest').join('; '),
      transcript: withOutput,
    };
  }
  return { status: 'passed', transcript: withOutput };
}

function failed(error: ScenarioError, transcript: readonly TranscriptEntry[]): PytestAttempt {
  return { status: 'failed', error, transcript };
}

function errorOf(test: TestLine, several: boolean): ScenarioError {
  const error = test.error ?? {};
  const where = error.phase && error.phase !== 'call' ? ` (in ${error.phase})` : '';
  const which = several ? `${test.nodeid.split('::').slice(1).join('::')}: ` : '';
  const at = error.path && error.line !== undefined ? `\n  at ${error.path}:${error.line}` : '';
  return {
    message: `${which}${error.message ?? 'failed'}${where}${at}`,
    ...(error.traceback ? { stack: `${which}pytest traceback\n${error.traceback}` } : {}),
  };
}

function capturedOutput(test: TestLine): TranscriptEntry[] {
  const streams = [
    ['stdout', test.stdout],
    ['stderr', test.stderr],
    ['log', test.log],
  ] as const;
  return streams.flatMap(([name, value]) =>
    value && value.trim() !== ''
      ? [{ kind: 'note' as const, at: Date.now(), text: `captured ${name} of ${test.nodeid}:\n${value.trimEnd()}` }]
      : [],
  );
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? text;
}

function tail(output: string, lines = 40): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}
