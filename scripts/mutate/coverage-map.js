// Coverage guidance for `npm run mutate`: which claiming capabilities execute
// which mutant. A coverage pass runs each capability that claims the file
// alone, with no mutant active, and every Node process of its stack writes
// the mutants it executed (scripts/mutate/coverage-preload.js). The result is
// cached beside the file's journal, keyed by the file's source, the scenario
// sources, the rest of the reference stack (its callers decide what runs the
// file's code) and the Stryker settings (which fix the mutant ids); a mutant then
// runs only the capabilities that executed it, and one that none executed is
// not run at all: it is reported as not executed by any claiming capability.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Where the coverage preload writes (one directory per capability run). */
export const COVERAGE_OUT_ENV = 'SANTOKIT_IT_MUTATE_COVERAGE_OUT';
/**
 * What decides which capability executes which mutant: the scenarios (their code, fixtures and kit,
 * the documents' refs) and the reference stack around the file. Unit tests (*.test.*) are left out.
 */
export const SCENARIO_SOURCES = ['src/scenarios', 'plan/capabilities', 'python', 'reference'];
/** The survivor note for a mutant no claiming capability executed. */
export const NOT_EXECUTED = 'not executed by any claiming capability';

/** Mutant ids with at least one hit in one process's `{ static, perTest }` counts. */
export function executedIds(coverage) {
  const ids = new Set();
  const add = (counts) => {
    for (const [id, hits] of Object.entries(counts ?? {})) if (hits > 0) ids.add(id);
  };
  add(coverage?.static);
  for (const counts of Object.values(coverage?.perTest ?? {})) add(counts);
  return ids;
}

/** Every process's file in a capability's directory: how many wrote, and the union of what they executed. */
export function readCoverageDir(dir) {
  const ids = new Set();
  let processes = 0;
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (!name.endsWith('.json')) continue;
    let written;
    try {
      written = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch {
      continue; // a process killed mid-write
    }
    processes += 1;
    for (const id of executedIds(written?.coverage)) ids.add(id);
  }
  return { processes, ids: [...ids].sort(byId) };
}

function byId(a, b) {
  return Number(a) - Number(b) || String(a).localeCompare(String(b));
}

/** capability → executed ids, turned around: mutant id → the capabilities that executed it, sorted. */
export function mutantMap(byCapability) {
  const map = {};
  for (const [capability, ids] of Object.entries(byCapability)) {
    for (const id of ids) (map[String(id)] ??= []).push(capability);
  }
  for (const capabilities of Object.values(map)) capabilities.sort();
  return map;
}

/**
 * The capabilities to run for a mutant: the claiming ones the cache says
 * executed it ([] when none did). Without a cache, every claiming one (unguided).
 */
export function capabilitiesFor(cache, id, claiming) {
  if (!cache) return [...claiming];
  const executed = new Set(cache.mutants[String(id)] ?? []);
  return claiming.filter((capability) => executed.has(capability));
}

/** The journal status of a tested mutant: a survivor that no capability ran is NoCoverage, not Survived. */
export function guidedStatus(status, capabilities) {
  return status === 'Survived' && capabilities.length === 0 ? 'NoCoverage' : status;
}

function sha256(update) {
  const hash = createHash('sha256');
  update(hash);
  return hash.digest('hex');
}

function filesUnder(root, dir) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !entry.parentPath.includes('node_modules'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((path) => !path.split('/').some((part) => part.startsWith('.') || part === '__pycache__'))
    .filter((path) => !/\.test\.[cm]?[jt]s$/.test(path))
    .sort();
}

/** One hash of every scenario source (path and content), SCENARIO_SOURCES under root. */
export function scenarioSourcesHash(root, dirs = SCENARIO_SOURCES) {
  return sha256((hash) => {
    for (const path of dirs.flatMap((dir) => filesUnder(root, dir))) {
      hash
        .update(`${path}\0`)
        .update(readFileSync(join(root, path)))
        .update('\0');
    }
  });
}

/** The cache key: the mutated file's source, the scenario sources' hash, and what fixes the mutant ids. */
export function coverageKey({ source, scenarioHash, settings }) {
  return sha256((hash) => hash.update(source).update('\0').update(scenarioHash).update('\0').update(settings));
}

/** What fixes the mutant ids of a file besides its source: Stryker's version and its settings. */
export function strykerSettings(root) {
  const core = readFileSync(join(root, 'node_modules', '@stryker-mutator', 'core', 'package.json'), 'utf8');
  return `${JSON.parse(core).version}\0${readFileSync(join(root, 'stryker.config.mjs'), 'utf8')}`;
}

/** What fixes the mutant ids (and nothing else): the source and the settings. The report reads a map by it. */
export function mutantIdsKey({ source, settings }) {
  return sha256((hash) => hash.update(source).update('\0').update(settings));
}

/**
 * The cached map for the report: computed for this very code (the ids match),
 * however the scenarios or the rest of the stack changed since.
 */
export function readCoverageForReport(file, idsKey) {
  const cache = readCoverageCache(file, undefined, true);
  return cache?.idsKey === idsKey ? cache : undefined;
}

/** The cached coverage of a file when it was computed for this key, else undefined. */
export function readCoverageCache(file, key, anyKey = false) {
  if (!existsSync(file)) return undefined;
  try {
    const cache = JSON.parse(readFileSync(file, 'utf8'));
    return (anyKey || cache?.key === key) && typeof cache.mutants === 'object' ? cache : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cache's contents from each capability's run ({ capability: { seconds,
 * processes, ids } }): per capability its time and how many mutants it
 * executed, and the map mutant id → capabilities.
 */
export function coverageCache({ key, idsKey, file, runs }) {
  const seconds = Object.values(runs).reduce((sum, run) => sum + run.seconds, 0);
  const capabilities = Object.fromEntries(
    Object.entries(runs).map(([capability, run]) => [
      capability,
      { seconds: run.seconds, processes: run.processes, executed: run.ids.length },
    ]),
  );
  const byCapability = Object.fromEntries(Object.entries(runs).map(([capability, run]) => [capability, run.ids]));
  const map = mutantMap(byCapability);
  return { key, idsKey, file, seconds: Math.round(seconds * 10) / 10, capabilities, mutants: map };
}
