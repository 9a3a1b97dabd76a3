/**
 * The commander program: every command and flag. Actions resolve to an exit
 * code; each command's module loads only when it runs, so `validate` never
 * pays for the stack's dependencies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { PACKAGE_ROOT } from '../package-root.ts';
import { REPORTER_NAMES } from '../report/reporter-names.ts';
import type { Screen } from '../report/screen.ts';
import type { CliIo } from './io.ts';
import { addFilterOptions, collect, defaultJobs, parseCount, parseDuration, parseJobs } from './options.ts';
import { addStackOptions } from './stack-flags.ts';

const EXIT_CODES = `
Exit codes:
  0    passed (expected failures of planned/in_progress capabilities allowed)
  1    a scenario failed (or an unexpected pass under --strict)
  2    invalid input: bad flags, invalid catalog, unknown id/domain, nothing selected
  3    the stack failed to start
  130  interrupted (SIGINT/SIGTERM); everything started was torn down`;

function common(command: Command): Command {
  return command
    .option('--root <dir>', 'repository holding plan/capabilities and src/scenarios', '.')
    .option('--color', 'force colours')
    .option('--no-color', 'disable colours');
}

/** Settings are copied into subcommands when they are created, so output and exit handling come first. */
export function createProgram(io: CliIo, setExitCode: (code: number) => void, screen: Screen): Command {
  const program = new Command('santokit-it')
    .exitOverride()
    .configureOutput({ writeOut: (text) => screen.out(text), writeErr: (text) => screen.err(text) })
    .description(
      'Capability-driven integration tests for Santokit: validate the plan, start the stack, run the scenarios.',
    )
    .version(packageVersion(), '-V, --version', 'print the santokit-it version')
    .addHelpText('after', EXIT_CODES)
    .showSuggestionAfterError(true);
  const done = (promise: Promise<number>) => promise.then(setExitCode);

  const run = common(addStackOptions(addFilterOptions(program.command('run', { isDefault: true }))))
    .description('run the selected scenarios against a stack it starts itself (the default command)')
    .argument('[paths...]', 'scenario files or folders, e.g. src/scenarios/spec')
    .option('-j, --jobs <n>', 'scenarios run at once', parseJobs, defaultJobs())
    .option('--timeout <duration>', 'per-scenario timeout (30s, 2m, 1500ms)', parseDuration, 60_000)
    .option('--retries <n>', 'retry a failing scenario n times; a pass on retry is reported flaky', parseCount, 0)
    .option('--bail', 'stop starting scenarios after the first failure')
    .option('--strict', 'an unexpected pass (a planned capability passing) fails the run')
    .option('--reporter <name>', `${REPORTER_NAMES.join(', ')} (repeatable, or comma list)`, collect)
    .option('--output-dir <dir>', 'where the json, junit and html reports and the service logs go', '.santokit-it')
    .option('--no-validate', 'skip the catalog validation before running')
    .option('--relaxed-status', 'skip the STATUS_* cardinality rules')
    .option('--expectations <file>', 'known-failure baseline (YAML or JSON): listed tests may fail, or are skipped')
    .option('--pass-with-no-scenarios', 'exit 0 when the filters select nothing')
    .option('--keep-stack', 'keep the stack after the run, print how to reach it, tear down on Ctrl-C')
    .option(
      '--reuse-stack',
      'run on the warm stack (stack up --detach) if it is up and built from these sources; else start one as usual',
    )
    .option('--verbose', 'stream service output prefixed [service]; failures print every step and log line')
    .addHelpText('after', EXIT_CODES);
  run.action((paths: string[], flags) =>
    done(import('./commands/run-command.ts').then(({ runCommand }) => runCommand(paths, flags, io))),
  );

  common(program.command('validate'))
    .description('the pre-merge check: validate every capability document and scenario reference')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--relaxed-status', 'skip the STATUS_* cardinality rules')
    .option('--expectations <file>', 'known-failure baseline (YAML or JSON): listed tests may fail, or are skipped')
    .action((flags) =>
      done(import('./commands/validate-command.ts').then(({ validateCommand }) => validateCommand(flags, io))),
    );

  common(addFilterOptions(program.command('list')))
    .description('print the selected capabilities and scenario ids')
    .argument('[paths...]', 'scenario files or folders')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'shell']).default('text'))
    .option('--pass-with-no-scenarios', 'exit 0 when the filters select nothing')
    .action((paths: string[], flags) =>
      done(import('./commands/list-command.ts').then(({ listCommand }) => listCommand(paths, flags, io))),
    );

  common(program.command('matrix'))
    .description('regenerate the coverage matrix markdown from the catalog and, optionally, a results.json')
    .option('--from <results.json>', 'fill in the last results from this run report')
    .option('--output <file>', 'where to write it, or - for standard output', 'plan/coverage-matrix.md')
    .action((flags) =>
      done(import('./commands/matrix-command.ts').then(({ matrixCommand }) => matrixCommand(flags, io))),
    );

  program
    .command('show-report')
    .description('serve an HTML report on 127.0.0.1 and print its URL, until Ctrl-C')
    .argument('[dir]', "a run's output directory (or its report folder)", '.santokit-it')
    .option('--port <n>', 'port to listen on (0: any free one)', parseCount, 0)
    .action((dir: string, flags) =>
      done(
        import('./commands/show-report-command.ts').then(({ showReportCommand }) => showReportCommand(dir, flags, io)),
      ),
    );

  common(program.command('merge-reports'))
    .description(
      "join shards' results into one report: results.json, JUnit, HTML, coverage matrix, GitHub step summary",
    )
    .argument('<reports...>', 'results.json files, or folders holding them (one per shard)')
    .option('--reporter <name>', 'reporters for the merged run (repeatable, or comma list)', collect)
    .option('--output-dir <dir>', 'where the merged reports and coverage-matrix.md go', '.santokit-it/merged')
    .action((reports: string[], flags) =>
      done(
        import('./commands/merge-reports-command.ts').then(({ mergeReportsCommand }) =>
          mergeReportsCommand(reports, flags, io),
        ),
      ),
    );

  common(program.command('trace'))
    .description(
      "run each capability's scenarios with V8 coverage of the reference stack and list the reference files they execute that its code_refs do not name",
    )
    .option('--capability <id>', 'trace only these capabilities (repeatable, or comma list)', collect)
    .option('--domain <domain>', 'trace only these domains (repeatable, or comma list)', collect)
    .option('-j, --jobs <n>', "scenarios at once within a capability's run", parseJobs, 2)
    .option(
      '--timeout <duration>',
      'per-scenario timeout (30s, 2m, 1500ms); coverage slows every process',
      parseDuration,
      120_000,
    )
    .option(
      '--threshold <share>',
      "share of a file's functions, beyond the baseline, that counts (0-1)",
      parseShare,
      0.25,
    )
    .option('--min-functions <n>', 'functions beyond the baseline a file needs to count', parseCount, 2)
    .option('--plumbing <file>', 'allow-list of shared plumbing files, never gaps (default plan/trace-plumbing.yaml)')
    .option('--output-dir <dir>', "where each run's logs, reports and coverage summary go", '.santokit-it/trace')
    .option('--from <dir>', 'measure again the summaries of an earlier trace instead of running')
    .option('--keep-coverage', "keep each run's raw V8 coverage (tens of megabytes a run)")
    .option('--json', 'print the report as JSON')
    .option('--no-validate', 'skip the catalog validation before tracing')
    .action((flags) => done(import('./commands/trace-command.ts').then(({ traceCommand }) => traceCommand(flags, io))));

  const stack = program.command('stack').description('start a stack by hand');
  common(addStackOptions(stack.command('up')))
    .description('start a stack, print its URLs, keep it until Ctrl-C or SIGTERM')
    .addOption(
      new Option('--format <format>', 'text, or one JSON line once ready').choices(['text', 'json']).default('text'),
    )
    .option('--output-dir <dir>', 'where service logs go', '.santokit-it')
    .option('--verbose', 'stream service output prefixed [service]')
    .option(
      '--detach',
      'start it in the background, record it in .santokit-it/stack.json for run --reuse-stack, and return once it is ready',
    )
    .addOption(new Option('--warm-owner').hideHelp())
    .action((flags) =>
      done(import('./commands/stack-command.ts').then(({ stackUpCommand }) => stackUpCommand(flags, io))),
    );
  common(stack.command('down'))
    .description('stop the warm stack that stack up --detach started here')
    .action((flags) => done(import('./warm-stack.ts').then(({ stackDownCommand }) => stackDownCommand(flags, io))));

  return program;
}

function parseShare(value: string): number {
  const share = Number(value);
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new InvalidArgumentError('expected a share from 0 to 1, e.g. 0.25');
  return share;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
