/**
 * Stack start timings for `npm run bench`: embedded stack cold starts (new
 * cluster from the cached initdb template, PostgreSQL, Hub, Bridge; and with
 * initdb every time), median of 5, and the compose stack with its images
 * already built. Each start is torn down and timed too.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStackProvider, type StackOptions } from '../src/stack/index.ts';
import { dockerEngineAvailable } from '../src/stack/providers/compose-cli.ts';
import { referenceCommand } from '../src/stack/providers/embedded.ts';
import { createTeardownStack } from '../src/stack/teardown-stack.ts';

export interface StartSample {
  /** Until `start()` resolved: everything ready. */
  readonly startMs: number;
  /** Until PostgreSQL logged that it accepts connections (embedded only). */
  readonly postgresReadyMs?: number;
  readonly teardownMs: number;
}

export interface StartTiming {
  readonly samples: readonly StartSample[];
  readonly medianStartMs: number;
  readonly medianTeardownMs: number;
  readonly medianPostgresReadyMs?: number;
}

export const EMBEDDED_TARGET_MS = 3_000;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Starts and stops the stack once, timing both. Throws what start throws (after teardown). */
export async function timeStackStart(options: StackOptions): Promise<StartSample> {
  const outputDir = await mkdtemp(join(tmpdir(), 'santokit-it-bench-'));
  const teardowns = createTeardownStack();
  let postgresReadyMs: number | undefined;
  const begin = performance.now();
  const onServiceLine = (service: string, line: string) => {
    if (service === 'postgres' && postgresReadyMs === undefined && line.includes('ready to accept connections'))
      postgresReadyMs = performance.now() - begin;
  };
  try {
    await createStackProvider(options).start({
      teardowns,
      signal: new AbortController().signal,
      outputDir,
      onServiceLine,
    });
    const startMs = performance.now() - begin;
    const stopBegin = performance.now();
    const failures = await teardowns.runAll();
    if (failures.length > 0) throw new Error(`teardown failed: ${failures.map((f) => f.name).join(', ')}`);
    return {
      startMs,
      teardownMs: performance.now() - stopBegin,
      ...(postgresReadyMs === undefined ? {} : { postgresReadyMs }),
    };
  } finally {
    await teardowns.runAll();
    await rm(outputDir, { recursive: true, force: true });
  }
}

async function timeRuns(options: StackOptions, runs: number): Promise<StartTiming> {
  const samples: StartSample[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await timeStackStart(options));
  const ready = samples.flatMap((sample) => (sample.postgresReadyMs === undefined ? [] : [sample.postgresReadyMs]));
  return {
    samples,
    medianStartMs: median(samples.map((sample) => sample.startMs)),
    medianTeardownMs: median(samples.map((sample) => sample.teardownMs)),
    ...(ready.length > 0 ? { medianPostgresReadyMs: median(ready) } : {}),
  };
}

/** Embedded stack cold starts (fresh cluster each time), median of `runs` (default 5). */
export function measureEmbeddedColdStart(
  repoRoot: string,
  runs = 5,
  services?: StackOptions['services'],
): Promise<StartTiming> {
  return timeRuns({ stack: 'embedded', repoRoot, ...(services ? { services } : {}) }, runs);
}

/** Compose stack start with images already built (no `--build`), median of `runs` (default 3). */
export function measureComposeStart(
  repoRoot: string,
  runs = 3,
  extra: Partial<StackOptions> = {},
): Promise<StartTiming> {
  return timeRuns({ stack: 'compose', repoRoot, compose: { build: false }, ...extra }, runs);
}

async function withoutTemplate<T>(measure: () => Promise<T>): Promise<T> {
  const saved = process.env.STK_IT_PG_TEMPLATE;
  process.env.STK_IT_PG_TEMPLATE = 'off';
  try {
    return await measure();
  } finally {
    if (saved === undefined) delete process.env.STK_IT_PG_TEMPLATE;
    else process.env.STK_IT_PG_TEMPLATE = saved;
  }
}

const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value)} ms`);

/** Report lines for `npm run bench` (the `stack` section). Compose is skipped, saying so, without an engine. */
export async function stackBench(repoRoot: string): Promise<string[]> {
  const lines: string[] = [];
  if (!existsSync(join(repoRoot, 'reference', 'hub', 'main.ts')))
    return ['embedded: skipped, reference/hub/main.ts does not exist'];
  const hub = await referenceCommand(repoRoot, 'hub');
  const how = hub.args.includes('tsx')
    ? 'Hub and Bridge from the sources through tsx (dist/ missing or stale)'
    : 'Hub and Bridge from the compiled dist/';
  const embedded = await measureEmbeddedColdStart(repoRoot);
  const verdict = embedded.medianStartMs < EMBEDDED_TARGET_MS ? 'met' : 'NOT met';
  const fromNothing = await withoutTemplate(() => measureEmbeddedColdStart(repoRoot));
  lines.push(
    `embedded stack cold start: ${ms(embedded.medianStartMs)} (median of ${embedded.samples.length}; target < ${EMBEDDED_TARGET_MS} ms: ${verdict})`,
    `  ${how}`,
    `  postgres ready at ${ms(embedded.medianPostgresReadyMs)}; teardown ${ms(embedded.medianTeardownMs)}; samples ${embedded.samples.map((s) => ms(s.startMs)).join(', ')}`,
    `  with initdb every time (STK_IT_PG_TEMPLATE=off): ${ms(fromNothing.medianStartMs)}, postgres ready at ${ms(fromNothing.medianPostgresReadyMs)}`,
  );
  if (!(await dockerEngineAvailable()))
    return [...lines, 'compose stack start: skipped, no Docker engine (run .ci/docker-setup.sh)'];
  const compose = await measureComposeStart(repoRoot);
  lines.push(
    `compose stack start, images built: ${ms(compose.medianStartMs)} (median of ${compose.samples.length}); down ${ms(compose.medianTeardownMs)}`,
  );
  return lines;
}
