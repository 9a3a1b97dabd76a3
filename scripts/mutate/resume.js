// Resuming a file's mutation run. Stryker writes its incremental file (a
// full mutation report) only when a run ends; the journal reporter appends
// each mutant as it is tested. Before a run, the journal's mutants are folded
// into the incremental file, so Stryker reuses them and tests only the rest.
// The journal starts with the source's hash: mutants of other code are dropped.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { UNDETECTED } from './summary.js';

export function sourceHash(source) {
  return createHash('sha256').update(source).digest('hex');
}

function mutantKey(mutant) {
  const { start, end } = mutant.location;
  return `${mutant.mutatorName}|${mutant.replacement ?? ''}|${start.line}:${start.column}-${end.line}:${end.column}`;
}

/** The journal's mutants for this source (later lines win); [] when it belongs to other code. */
export function readJournal(journalFile, source) {
  if (!existsSync(journalFile)) return [];
  const [header, ...lines] = readFileSync(journalFile, 'utf8').split('\n').filter(Boolean);
  if (!header || JSON.parse(header).sourceHash !== sourceHash(source)) return [];
  const byKey = new Map();
  for (const line of lines) {
    try {
      const mutant = JSON.parse(line);
      byKey.set(mutantKey(mutant), mutant);
    } catch {
      // A line cut short by a kill mid-write: that mutant runs again.
    }
  }
  return [...byKey.values()];
}

function parsable(line) {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

export function startJournal(journalFile, source, keep) {
  const hash = sourceHash(source);
  const current = existsSync(journalFile) ? readFileSync(journalFile, 'utf8').split('\n').filter(Boolean) : [];
  const sameSource = current[0] !== undefined && JSON.parse(current[0]).sourceHash === hash;
  const kept = sameSource ? current.slice(1).filter((line) => parsable(line) && keep(JSON.parse(line))) : [];
  writeFileSync(journalFile, [JSON.stringify({ sourceHash: hash }), ...kept].map((line) => `${line}\n`).join(''));
}

/** The report Stryker would have written had the journaled mutants been its whole run. */
export function foldedReport(report, file, source, journaled) {
  const files = { ...(report?.files ?? {}) };
  const previous = files[file]?.source === source ? (files[file].mutants ?? []) : [];
  const byKey = new Map(previous.map((mutant) => [mutantKey(mutant), mutant]));
  for (const mutant of journaled) {
    // The journal's own fields (time, the capabilities that ran) are not part of Stryker's report.
    const { seconds: _seconds, capabilities: _capabilities, ...fields } = mutant;
    byKey.set(mutantKey(mutant), fields);
  }
  files[file] = { language: 'typescript', source, mutants: [...byKey.values()] };
  return { schemaVersion: '2.0', thresholds: { high: 90, low: 80 }, ...(report ?? {}), files };
}

/**
 * Prepares a file's incremental file before Stryker runs. With retest, mutants
 * that survived or that no capability executed are dropped from both, so they
 * run again (new scenarios may kill or reach them; Stryker, which sees one
 * command as one test, would otherwise reuse them).
 */
export function prepareResume({ file, source, incrementalFile, journalFile, retest }) {
  const report = existsSync(incrementalFile) ? JSON.parse(readFileSync(incrementalFile, 'utf8')) : undefined;
  const keep = (mutant) => !retest || !UNDETECTED.includes(mutant.status);
  startJournal(journalFile, source, keep);
  const journaled = readJournal(journalFile, source);
  // Nothing journaled for this source: leave Stryker's own file as it is (it diffs older sources itself).
  const folded = journaled.length > 0 ? foldedReport(report, file, source, journaled) : report;
  if (folded?.files?.[file]) folded.files[file].mutants = (folded.files[file].mutants ?? []).filter(keep);
  if (folded) writeFileSync(incrementalFile, `${JSON.stringify(folded, null, 2)}\n`);
}

/** The report as it stands: the incremental file plus whatever the journal holds since. */
export function currentReport({ file, source, incrementalFile, journalFile }) {
  const report = existsSync(incrementalFile) ? JSON.parse(readFileSync(incrementalFile, 'utf8')) : undefined;
  const journaled = readJournal(journalFile, source);
  if (!report && journaled.length === 0) return undefined;
  return foldedReport(report, file, source, journaled);
}

/** Seconds per tested mutant, as the journal measured them. */
export function journalTimes(journalFile, source) {
  return readJournal(journalFile, source)
    .map((mutant) => mutant.seconds)
    .filter((seconds) => typeof seconds === 'number');
}
