/**
 * `bench shard`: how evenly `--shard i/4` splits the planned suite, from the
 * durations in .santokit-it/timings.json (what the shards would read): the
 * longest shard's summed scenario time over the shortest's, for the balanced
 * split, for its fallback without timings, and for the id slicing it
 * replaced (contiguous slices of the id-sorted scenarios, capabilities cut
 * anywhere). Nothing runs; a shard's wall time also pays one stack start.
 */
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/plan/load-catalog.ts';
import { selectScenarios } from '../src/plan/select.ts';
import { pickShard } from '../src/plan/shard.ts';
import { scenarioId } from '../src/plan/types.ts';
import { readTimings } from '../src/runner/timings.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SHARDS = 4;
const TARGET = 1.25;

interface Timed {
  readonly file: string;
  readonly name: string;
  readonly capability: string;
}

/** The slicing `--shard` did before: n contiguous slices of the id-sorted list. */
function idSlices<T extends Timed>(items: readonly T[], total: number): T[][] {
  const sorted = [...items].sort((a, b) => scenarioId(a).localeCompare(scenarioId(b)));
  return Array.from({ length: total }, (_, index) =>
    sorted.slice(Math.floor((index * sorted.length) / total), Math.floor(((index + 1) * sorted.length) / total)),
  );
}

/** Untimed scenarios count as the mean of the timed ones, as the balanced split assumes. */
function describe(
  label: string,
  shards: readonly (readonly Timed[])[],
  timings: ReadonlyMap<string, number>,
  mean: number,
): { line: string; ratio: number } {
  const loads = shards.map((shard) => shard.reduce((sum, item) => sum + (timings.get(scenarioId(item)) ?? mean), 0));
  const ratio = Math.max(...loads) / Math.max(1, Math.min(...loads));
  const split = (shard: readonly Timed[]) => new Set(shard.map((item) => item.capability));
  const cut = [...new Set(shards.flatMap((shard) => [...split(shard)]))].filter(
    (capability) => shards.filter((shard) => split(shard).has(capability)).length > 1,
  ).length;
  const seconds = loads.map((load) => (load / 1000).toFixed(1)).join(' / ');
  return {
    ratio,
    line: `${label}: ${seconds} s of scenario time; longest ÷ shortest ${ratio.toFixed(2)}; capabilities split across shards: ${cut}`,
  };
}

export async function shardBench(): Promise<string[]> {
  const catalog = await loadCatalog(ROOT);
  const timings = readTimings(ROOT);
  const scenarios = selectScenarios(catalog, { fromPlan: true }, ROOT).scenarios;
  const timed = scenarios.filter((scenario) => timings.has(scenario.id)).length;
  if (timed === 0)
    return ['no durations in .santokit-it/timings.json: run the suite once (npm run bench -- suite), then this'];
  const known = scenarios.flatMap((scenario) => timings.get(scenario.id) ?? []);
  const mean = known.reduce((sum, value) => sum + value, 0) / known.length;
  const balanced = describe(
    'balanced by duration',
    Array.from(
      { length: SHARDS },
      (_, index) => pickShard(scenarios, { index: index + 1, total: SHARDS }, timings).items,
    ),
    timings,
    mean,
  );
  const byId = describe(
    'fallback without timings (capabilities whole, id order)',
    Array.from(
      { length: SHARDS },
      (_, index) => pickShard(scenarios, { index: index + 1, total: SHARDS }, new Map()).items,
    ),
    timings,
    mean,
  );
  const before = describe('id slicing (before)', idSlices(scenarios, SHARDS), timings, mean);
  return [
    `--from-plan, ${scenarios.length} scenarios (${timed} timed; the others count as their mean, ${(mean / 1000).toFixed(1)} s), ${SHARDS} shards`,
    balanced.line,
    byId.line,
    before.line,
    `balanced split: ${balanced.ratio.toFixed(2)} (target ≤ ${TARGET}: ${balanced.ratio <= TARGET ? 'met' : 'NOT met'}); id slicing: ${before.ratio.toFixed(2)}`,
  ];
}
