// What `npm run mutate` reports: from Stryker's mutation reports (the
// mutation-testing-report-schema JSON its incremental files hold), the score
// per file and per capability, and the surviving mutants. A mutant listed in
// mutation/equivalent.yaml counts for neither. A mutant no claiming
// capability executed (NoCoverage, from the coverage pass) is kept apart
// from the survivors that ran, and counts against the score as they do.
import { NOT_EXECUTED } from './coverage-map.js';

/** Statuses that mean a scenario failed (or hung) with the mutant active. */
export const DETECTED = ['Killed', 'Timeout'];
/** Statuses that mean every covering scenario still passed. */
export const UNDETECTED = ['Survived', 'NoCoverage'];

/** One line of text for a replacement (Stryker's can span a block). */
export function oneLine(text) {
  return String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The source text a mutant replaces (1-based lines and columns, end exclusive), on one line. */
export function originalText(source, { start, end }) {
  if (typeof source !== 'string') return undefined;
  const lines = source.split('\n');
  const offset = (position) =>
    lines.slice(0, position.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + position.column - 1;
  return oneLine(source.slice(offset(start), offset(end)));
}

/** The mutants of one source file in a Stryker report, flattened. */
export function mutantsOf(report, file) {
  const entry = Object.entries(report?.files ?? {}).find(([name]) => name === file || name.endsWith(`/${file}`));
  if (!entry) return [];
  return (entry[1].mutants ?? []).map((mutant) => ({
    file,
    id: String(mutant.id),
    line: mutant.location.start.line,
    column: mutant.location.start.column,
    mutator: mutant.mutatorName,
    original: originalText(entry[1].source, mutant.location),
    replacement: oneLine(mutant.replacement ?? mutant.mutatorName),
    status: mutant.status,
  }));
}

/** The equivalent.yaml entry that names this mutant, if any. */
export function equivalentEntry(entries, mutant) {
  return entries.find(
    (entry) =>
      entry.file === mutant.file &&
      Number(entry.line) === mutant.line &&
      entry.mutator === mutant.mutator &&
      (entry.column === undefined || Number(entry.column) === mutant.column) &&
      (entry.original === undefined || oneLine(entry.original) === mutant.original) &&
      (entry.replacement === undefined || oneLine(entry.replacement) === mutant.replacement),
  );
}

function emptyCounts() {
  return {
    mutants: 0,
    killed: 0,
    timedOut: 0,
    survived: 0,
    notExecuted: 0,
    equivalent: 0,
    errors: 0,
    ignored: 0,
    pending: 0,
  };
}

function count(counts, mutant, equivalent) {
  counts.mutants += 1;
  if (equivalent) counts.equivalent += 1;
  else if (mutant.status === 'Killed') counts.killed += 1;
  else if (mutant.status === 'Timeout') counts.timedOut += 1;
  else if (mutant.status === 'Survived') counts.survived += 1;
  else if (mutant.status === 'NoCoverage') counts.notExecuted += 1;
  else if (mutant.status === 'Ignored') counts.ignored += 1;
  else if (mutant.status === 'Pending' || mutant.status === undefined) counts.pending += 1;
  else counts.errors += 1; // CompileError, RuntimeError: the mutant never ran as code
}

/**
 * killed ÷ non-equivalent mutants (a timeout counts as killed: a scenario hung; one no capability
 * executed counts as not killed); null with none.
 */
export function score(counts) {
  const detected = counts.killed + counts.timedOut;
  const total = detected + counts.survived + counts.notExecuted;
  return total === 0 ? null : Math.round((detected / total) * 1000) / 10;
}

function addCounts(into, from) {
  for (const key of Object.keys(emptyCounts())) into[key] += from[key];
}

/** What the coverage pass says of a survivor: the claiming capabilities that ran it, or none. */
function guidance(mutant, capabilities, executedBy) {
  if (mutant.status === 'NoCoverage') return { note: NOT_EXECUTED, ranBy: [] };
  if (!executedBy) return {};
  const executed = executedBy[mutant.id] ?? [];
  return { ranBy: capabilities.filter((capability) => executed.includes(capability)) };
}

/**
 * inputs: { files: [{ file, report, capabilities: [ids], skipped?: reason, executedBy?: { mutant id: [ids] } }],
 * equivalent: [entries] }; executedBy is the coverage pass's map.
 * Capabilities score over the mutants of every file whose code_refs name them.
 */
export function summarise({ files, equivalent = [] }) {
  const fileRows = [];
  const survivors = [];
  const byCapability = new Map();
  for (const { file, report, capabilities = [], skipped, executedBy } of files) {
    const counts = emptyCounts();
    for (const mutant of report ? mutantsOf(report, file) : []) {
      const entry = equivalentEntry(equivalent, mutant);
      count(counts, mutant, entry !== undefined);
      if (entry || !UNDETECTED.includes(mutant.status)) continue;
      survivors.push({ ...mutant, capabilities, ...guidance(mutant, capabilities, executedBy) });
    }
    fileRows.push({ file, capabilities, ...counts, score: score(counts), ...(skipped ? { skipped } : {}) });
    for (const id of capabilities) {
      const row = byCapability.get(id) ?? { id, files: [], ...emptyCounts() };
      row.files.push(file);
      addCounts(row, counts);
      byCapability.set(id, row);
    }
  }
  const total = emptyCounts();
  for (const row of fileRows) addCounts(total, row);
  const capabilities = [...byCapability.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((row) => ({ ...row, score: score(row) }));
  survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { files: fileRows, capabilities, survivors, total: { ...total, score: score(total) } };
}

function percent(value) {
  return value === null ? '   —  ' : `${value.toFixed(1).padStart(5)}%`;
}

function countsText(row) {
  const detected = row.killed + row.timedOut;
  const parts = [`${detected}/${detected + row.survived + row.notExecuted} killed`];
  if (row.timedOut) parts.push(`${row.timedOut} by timeout`);
  if (row.notExecuted) parts.push(`${row.notExecuted} ${NOT_EXECUTED}`);
  if (row.equivalent) parts.push(`${row.equivalent} equivalent`);
  if (row.errors) parts.push(`${row.errors} invalid`);
  if (row.pending) parts.push(`${row.pending} not run yet`);
  return parts.join(', ');
}

/** The console text: per file, per capability, then every survivor. */
export function formatSummary(summary) {
  const lines = ['mutation score per file (killed ÷ non-equivalent):'];
  for (const row of summary.files) {
    lines.push(`  ${percent(row.score)}  ${row.file}  ${row.skipped ? `skipped: ${row.skipped}` : countsText(row)}`);
  }
  lines.push('', 'per capability (mutants in the files its code_refs name):');
  for (const row of summary.capabilities)
    lines.push(`  ${percent(row.score)}  ${row.id.padEnd(13)} ${countsText(row)}`);
  lines.push('', `total ${percent(summary.total.score).trim()}  ${countsText(summary.total)}`);
  lines.push(
    '',
    summary.survivors.length === 0 ? 'no surviving mutant' : `${summary.survivors.length} surviving mutants:`,
  );
  for (const mutant of summary.survivors) lines.push(`  ${formatSurvivor(mutant)}`);
  return `${lines.join('\n')}\n`;
}

function cut(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

export function formatSurvivor(mutant) {
  const status = mutant.status === 'Survived' ? '' : ` (${mutant.note ?? mutant.status})`;
  const original = mutant.original === undefined ? '' : `${cut(mutant.original, 80)} `;
  const change = `${original}→ ${cut(mutant.replacement, 80)}`;
  // Which scenarios it passed: those of the capabilities that ran it, when the coverage pass says.
  const ran = mutant.ranBy?.length ? mutant.ranBy : mutant.capabilities;
  return `${mutant.file}:${mutant.line}:${mutant.column} ${mutant.mutator}: ${change}${status}  [${ran.join(', ')}]`;
}
