/**
 * The selection steps that look past the catalog's own fields: what changed
 * in git (`--changed`), what failed last time (`--last-failed`) and which
 * shard this machine runs (`--shard`). Each one narrows the scenarios the
 * filters chose and leaves a note saying what it did; with any of them, a
 * selection left empty is an answer ("nothing to run"), not a mistake.
 */
import type { Catalog } from './catalog.ts';
import { impactOf, type Impact } from './changed.ts';
import type { ChangedFiles } from './git-changes.ts';
import { parseShard, pickShard, type ShardStrategy } from './shard.ts';
import { readSourceGraph } from './source-graph.ts';
import { scenarioId, type ScenarioRef } from './types.ts';

/** The scenarios a previous run failed or was flaky on. */
export interface LastFailed {
  readonly ids: ReadonlySet<string>;
  /** When that run ended (ISO), for the note. */
  readonly recordedAt?: string;
}

export interface NarrowInputs {
  readonly changed?: ChangedFiles;
  readonly lastFailed?: LastFailed;
  readonly shard?: string;
  /** Scenario durations by id (timings.json), for balanced shards. */
  readonly timings?: ReadonlyMap<string, number>;
}

export interface ShardInfo {
  readonly index: number;
  readonly total: number;
  readonly strategy: ShardStrategy;
  /** Fingerprint of the selection and durations the split was cut from (same on every shard of one split). */
  readonly split: string;
}

export interface Narrowed {
  readonly scenarios: ScenarioRef[];
  readonly impact?: Impact & { readonly base: string; readonly mergeBase: string };
  readonly shard?: ShardInfo;
  readonly notes: readonly string[];
  /** An empty selection is the expected answer of --changed, --last-failed or --shard. */
  readonly emptyIsAnswer: boolean;
}

function plural(count: number, word: string): string {
  if (count === 1) return `${count} ${word}`;
  return `${count} ${word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

function changedNote(impact: Impact, changed: ChangedFiles, kept: number): string {
  const base = `--changed (against ${changed.base}, ${changed.mergeBase.slice(0, 10)}): ${plural(impact.files.length, 'changed file')}`;
  if (impact.files.length === 0) return `${base}: nothing to run`;
  if (impact.everything) {
    const shown = impact.unattributed.slice(0, 3).join(', ') + (impact.unattributed.length > 3 ? ', …' : '');
    return `${base}; no capability claims ${shown}: running everything selected (${plural(kept, 'scenario')})`;
  }
  const ids = [...impact.capabilities.keys()];
  const listed = ids.slice(0, 8).join(', ') + (ids.length > 8 ? ', …' : '');
  return `${base} → ${plural(ids.length, 'capability')}${ids.length ? ` (${listed})` : ''}, ${plural(kept, 'scenario')}; \`santokit-it list --changed\` says why`;
}

function lastFailedNote(lastFailed: LastFailed, known: number, kept: number): string {
  const when = lastFailed.recordedAt ? ` (last run ${lastFailed.recordedAt})` : '';
  if (lastFailed.ids.size === 0) return `--last-failed: no scenario failed or was flaky${when}: nothing to run`;
  const gone = lastFailed.ids.size - known;
  const goneNote = gone > 0 ? `; ${plural(gone, 'of them')} no longer in the catalog` : '';
  return `--last-failed: ${plural(lastFailed.ids.size, 'scenario')} failed or flaky${when}${goneNote}; ${plural(kept, 'scenario')} selected`;
}

export function narrowSelection(catalog: Catalog, chosen: readonly ScenarioRef[], inputs: NarrowInputs): Narrowed {
  let scenarios = [...chosen];
  const notes: string[] = [];
  let impact: Narrowed['impact'];
  if (inputs.changed) {
    const found = impactOf(catalog, inputs.changed.files, readSourceGraph(catalog.root));
    impact = { ...found, base: inputs.changed.base, mergeBase: inputs.changed.mergeBase };
    if (!found.everything) scenarios = scenarios.filter((scenario) => found.capabilities.has(scenario.capability));
    notes.push(changedNote(found, inputs.changed, scenarios.length));
  }
  if (inputs.lastFailed) {
    const ids = inputs.lastFailed.ids;
    const known = catalog.modules.flatMap((module) => (module.status === 'ok' ? module.scenarios : [])).filter((scenario) => ids.has(scenarioId(scenario))).length;
    scenarios = scenarios.filter((scenario) => ids.has(scenarioId(scenario)));
    notes.push(lastFailedNote(inputs.lastFailed, known, scenarios.length));
  }
  let shard: ShardInfo | undefined;
  if (inputs.shard !== undefined) {
    const spec = parseShard(inputs.shard);
    const pick = pickShard(scenarios, spec, inputs.timings);
    shard = { ...spec, strategy: pick.strategy, split: pick.split };
    const by = pick.strategy === 'duration' ? 'balanced by the durations in .santokit-it/timings.json' : 'by scenario id (no timings recorded)';
    notes.push(`--shard ${spec.index}/${spec.total}: ${plural(pick.items.length, 'scenario')} of ${scenarios.length}, ${by}`);
    scenarios = pick.items;
  }
  const emptyIsAnswer = inputs.changed !== undefined || inputs.lastFailed !== undefined || inputs.shard !== undefined;
  return { scenarios, ...(impact ? { impact } : {}), ...(shard ? { shard } : {}), notes, emptyIsAnswer };
}
