/**
 * `--shard i/n`: which scenarios this machine runs. A capability's scenarios
 * always go to one shard together (its report, matrix row and retries stay
 * whole). With durations from `timings.json` the capabilities are packed
 * longest first into the shard with the least work so far; without any,
 * capabilities are cut into n contiguous runs of about equal scenario count in
 * scenario-id order. Both depend only on the selection and the timings file,
 * never on input order, so every machine of a CI matrix agrees.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.ts';
import { scenarioId } from './types.ts';

export interface ShardSpec {
  /** 1-based. */
  readonly index: number;
  readonly total: number;
}

export type ShardStrategy = 'duration' | 'id';

export interface ShardPick<T> {
  readonly items: T[];
  readonly strategy: ShardStrategy;
  /** Expected work of every shard (summed durations, or scenario counts by id), shard 1 first. */
  readonly loads: readonly number[];
  /**
   * What the split was made from: the selection and the durations it used.
   * Shards of one split share it; merge-reports refuses shards that differ
   * (they may overlap, or leave scenarios out).
   */
  readonly split: string;
}

interface Shardable {
  readonly file: string;
  readonly name: string;
  readonly capability: string;
}

export function parseShard(value: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) throw new UsageError(`--shard '${value}' is not i/n with 1 ≤ i ≤ n`, 'Write e.g. --shard 2/4.');
  return { index, total };
}

interface Group<T> {
  readonly capability: string;
  readonly firstId: string;
  readonly items: T[];
  weight: number;
}

function groupsOf<T extends Shardable>(items: readonly T[]): Group<T>[] {
  const groups = new Map<string, Group<T>>();
  for (const item of [...items].sort((a, b) => scenarioId(a).localeCompare(scenarioId(b)))) {
    const group = groups.get(item.capability) ?? { capability: item.capability, firstId: scenarioId(item), items: [], weight: 0 };
    group.items.push(item);
    groups.set(item.capability, group);
  }
  return [...groups.values()];
}

/** Shard of each group, by packing: heaviest first, into the lightest shard (ties: lower shard). */
function packByDuration<T extends Shardable>(groups: Group<T>[], total: number, durations: (item: T) => number): { bins: number[]; loads: number[] } {
  for (const group of groups) group.weight = group.items.reduce((sum, item) => sum + durations(item), 0);
  const loads = Array.from({ length: total }, () => 0);
  const order = groups.map((_, index) => index).sort((a, b) => (groups[b]?.weight ?? 0) - (groups[a]?.weight ?? 0) || (groups[a]?.firstId ?? '').localeCompare(groups[b]?.firstId ?? ''));
  const bins = groups.map(() => 0);
  for (const index of order) {
    const lightest = loads.indexOf(Math.min(...loads));
    bins[index] = lightest;
    loads[lightest] = (loads[lightest] ?? 0) + (groups[index]?.weight ?? 0);
  }
  return { bins, loads };
}

/** Shard of each group by id order: a group goes where its first scenario falls in n equal slices. */
function sliceById<T>(groups: Group<T>[], total: number): { bins: number[]; loads: number[] } {
  const count = groups.reduce((sum, group) => sum + group.items.length, 0);
  const loads = Array.from({ length: total }, () => 0);
  let start = 0;
  const bins = groups.map((group) => {
    let bin = 0;
    while (bin + 1 < total && Math.floor(((bin + 1) * count) / total) <= start) bin += 1;
    start += group.items.length;
    loads[bin] = (loads[bin] ?? 0) + group.items.length;
    return bin;
  });
  return { bins, loads };
}

/**
 * Scenarios of shard `spec` in their input order. Durations come from
 * `timings` (ms by scenario id); a scenario never timed counts as the mean of
 * those that were, and with none timed the split is by id.
 */
export function pickShard<T extends Shardable>(items: readonly T[], spec: ShardSpec, timings: ReadonlyMap<string, number> = new Map()): ShardPick<T> {
  const groups = groupsOf(items);
  const known = items.map((item) => timings.get(scenarioId(item))).filter((value): value is number => value !== undefined);
  const mean = known.length === 0 ? 0 : known.reduce((sum, value) => sum + value, 0) / known.length;
  const strategy: ShardStrategy = known.length > 0 ? 'duration' : 'id';
  const { bins, loads } =
    strategy === 'duration' ? packByDuration(groups, spec.total, (item) => timings.get(scenarioId(item)) ?? mean) : sliceById(groups, spec.total);
  const picked = new Set(groups.filter((_, index) => bins[index] === spec.index - 1).flatMap((group) => group.items));
  const basis = groups.flatMap((group) => group.items.map((item) => [scenarioId(item), item.capability, timings.get(scenarioId(item)) ?? null]));
  const split = `sha256:${createHash('sha256').update(JSON.stringify([spec.total, basis])).digest('hex').slice(0, 16)}`;
  return { items: items.filter((item) => picked.has(item)), strategy, loads, split };
}
