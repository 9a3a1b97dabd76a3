/**
 * `/call` select on the embedded stack with a warm release cache, against a
 * direct `pg` query of the same row in the same run: the Bridge's overhead
 * as a ratio. The project is set up the way a scenario does it (kit helpers).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchBridgeSelect, type BenchResult } from './bridge-select.ts';
import { Transcript } from '../src/model/transcript.ts';
import { createScenarioContext } from '../src/scenarios/kit/context.ts';
import { bootstrapProject, createApiKey, expectStatus } from '../src/scenarios/kit/index.ts';
import { createStackProvider } from '../src/stack/index.ts';
import { createTeardownStack } from '../src/stack/teardown-stack.ts';
import type { StackHandles } from '../src/stack/types.ts';

async function prepare(root: string, stack: StackHandles, signal: AbortSignal) {
  const ctx = createScenarioContext(stack, new Transcript(), signal, { root });
  const { project, env, database } = await bootstrapProject(ctx, 'basic', { prefix: 'bench' });
  const key = await createApiKey(ctx, project, env, 'admin');
  const headers = { 'x-santokit-api-key': key, 'x-santokit-project': project, 'x-santokit-env': env };
  const inserted = await ctx.bridge.call(
    'db/users/insert',
    { values: { email: 'bench@example.com' } },
    { apiKey: key, project, env },
  );
  expectStatus(inserted, 200, 'bench row insert');
  const id = (inserted.json as { data: { id: string }[] }).data[0]?.id ?? '';
  return { headers, pgUrl: database.runnerUrl, where: { id } };
}

export async function bridgeBench(root: string): Promise<string[]> {
  const outputDir = await mkdtemp(join(tmpdir(), 'santokit-it-bench-'));
  const teardowns = createTeardownStack();
  const signal = new AbortController().signal;
  try {
    const stack = await createStackProvider({ stack: 'embedded', repoRoot: root }).start({
      teardowns,
      signal,
      outputDir,
    });
    const target = await prepare(root, stack, signal);
    const results: BenchResult[] = [];
    for (const concurrency of [1, 16]) {
      results.push(
        await benchBridgeSelect({
          bridgeUrl: stack.bridgeUrl,
          table: 'users',
          requests: 2_000,
          concurrency,
          ...target,
        }),
      );
    }
    return results.flatMap((result) => [
      `concurrency ${result.concurrency}: /call select ${result.bridge.requestsPerSecond} req/s, p50 ${result.bridge.p50Ms} ms, p99 ${result.bridge.p99Ms} ms`,
      `concurrency ${result.concurrency}: direct pg    ${result.direct.requestsPerSecond} req/s, p50 ${result.direct.p50Ms} ms, p99 ${result.direct.p99Ms} ms`,
      `concurrency ${result.concurrency}: Bridge overhead (p50 ratio) ${result.overhead}×`,
    ]);
  } finally {
    await teardowns.runAll();
    await rm(outputDir, { recursive: true, force: true });
  }
}
