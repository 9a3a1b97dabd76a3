#!/usr/bin/env node
// `npm run mutate [-- <files…>] [--shard i/n] [--retest-survivors] [--force] [--report]`
//
// Mutation testing of the reference stack: Stryker, once per file, with
// santokit-it as its test command, over the capabilities whose code_refs name
// the file (`--covering`). Coverage-guided: Stryker's dry run is a coverage
// pass that runs each of those capabilities alone and records which mutants
// each executes; a mutant then runs only the capabilities that executed it
// (scripts/mutate/run-mutant.js), and one that none executed is reported as
// such without running. Stryker switches mutants on through
// __STRYKER_ACTIVE_MUTANT__, which santokit-it's services inherit. One
// PostgreSQL serves the whole run. Results go to .santokit-it/mutation/
// (incremental file, journal, coverage cache and summary.json).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  coverageKey,
  mutantIdsKey,
  readCoverageCache,
  readCoverageForReport,
  scenarioSourcesHash,
  strykerSettings,
} from './mutate/coverage-map.js';
import { currentReport, journalTimes, prepareResume } from './mutate/resume.js';
import { formatSummary, summarise } from './mutate/summary.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const outDir = join(root, '.santokit-it', 'mutation');
const cli = join(root, 'bin', 'santokit-it.js');
const USAGE = 'usage: npm run mutate -- [files…] [--shard i/n] [--retest-survivors] [--force] [--report]';

function parseArgs(argv) {
  const options = { files: [], shard: undefined, retest: false, force: false, reportOnly: false };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--shard') options.shard = argv[(index += 1)];
    else if (arg.startsWith('--shard=')) options.shard = arg.slice('--shard='.length);
    else if (arg === '--retest-survivors') options.retest = true;
    else if (arg === '--force') options.force = true;
    else if (arg === '--report') options.reportOnly = true;
    else if (arg === '--help' || arg === '-h') fail(USAGE, 0);
    else if (arg.startsWith('-')) fail(`unknown option ${arg}\n${USAGE}`);
    else options.files.push(arg);
  }
  return options;
}

function fail(message, code = 2) {
  (code === 0 ? process.stdout : process.stderr).write(`${message}\n`);
  process.exit(code);
}

/** Every n-th file from the i-th: shards by file, so each file's incremental file has one writer. */
export function shardFiles(files, shard) {
  if (shard === undefined) return files;
  const match = /^(\d+)\/(\d+)$/.exec(shard);
  const [index, total] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || total < 1 || index < 1 || index > total) fail(`--shard expects i/n with 1 ≤ i ≤ n, got '${shard}'`);
  return files.filter((_, position) => position % total === index - 1);
}

function readYaml(file, key) {
  const value = parse(readFileSync(join(root, file), 'utf8'))?.[key];
  if (!Array.isArray(value)) fail(`${file}: expected a list under '${key}'`);
  return value;
}

function paths(file) {
  const slug = file.replaceAll('/', '__');
  return {
    incrementalFile: join(outDir, `${slug}.incremental.json`),
    journalFile: join(outDir, `${slug}.journal.jsonl`),
    coverageFile: join(outDir, `${slug}.coverage.json`),
  };
}

/** The capabilities whose code_refs name the file, or why there are none. */
function covering(file) {
  const result = spawnSync(process.execPath, [cli, 'list', '--covering', file, '--format', 'json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) return { capabilities: [], skipped: (result.stderr || result.stdout).trim().split('\n')[0] };
  return { capabilities: JSON.parse(result.stdout).covering.capabilities.map((item) => item.id) };
}

/** One PostgreSQL (a stack of the unmutated checkout) for every mutant of the run. */
async function startPostgres() {
  const child = spawn(
    process.execPath,
    [cli, 'stack', 'up', '--format', 'json', '--output-dir', join(outDir, 'stack')],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (!line.startsWith('{')) continue;
    lines.close();
    const stop = async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    };
    return { url: JSON.parse(line).adminDatabaseUrl, stop };
  }
  fail(`the PostgreSQL for the mutants did not start (stack up exited ${await exited})`, 3);
}

let interrupted = false;
process.on('SIGINT', () => (interrupted = true)).on('SIGTERM', () => (interrupted = true));

/** The coverage cache's key for the file, and the cache when it is current (deleted first with --force). */
function coverageOf(file, source, scenarioHash, force) {
  const { coverageFile } = paths(file);
  if (force) rmSync(coverageFile, { force: true });
  rmSync(`${coverageFile}.runs`, { recursive: true, force: true }); // a pass killed halfway
  const settings = strykerSettings(root);
  const key = coverageKey({ source, scenarioHash, settings });
  const idsKey = mutantIdsKey({ source, settings });
  return { file: coverageFile, key, idsKey, cache: readCoverageCache(coverageFile, key) };
}

/**
 * Stryker's timeout per mutant is timeoutMS + timeoutFactor × its dry run. A
 * cached coverage makes the dry run instant, so the pass's recorded time
 * takes its place: a mutant that runs every capability still has room.
 */
function timeoutMs(coverage) {
  return 60_000 + 2 * Math.round((coverage.cache?.seconds ?? 0) * 1000);
}

function runStryker(file, databaseUrl, force, claim, coverage) {
  const { incrementalFile, journalFile } = paths(file);
  const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    SANTOKIT_IT_MUTATE_ROOT: root,
    SANTOKIT_IT_MUTATE_FILE: file,
    SANTOKIT_IT_MUTATE_COMMAND: 'node scripts/mutate/run-mutant.js',
    SANTOKIT_IT_MUTATE_CAPABILITIES: claim.capabilities.join(','),
    SANTOKIT_IT_MUTATE_COVERAGE: coverage.file,
    SANTOKIT_IT_MUTATE_COVERAGE_KEY: coverage.key,
    SANTOKIT_IT_MUTATE_IDS_KEY: coverage.idsKey,
    SANTOKIT_IT_MUTATE_TIMEOUT_MS: String(timeoutMs(coverage)),
    SANTOKIT_IT_MUTATE_INCREMENTAL: incrementalFile,
    SANTOKIT_IT_MUTATE_JOURNAL: journalFile,
  };
  const args = [stryker, 'run', 'stryker.config.mjs', ...(force ? ['--force'] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    // Ctrl-C reaches Stryker from the terminal; a signal sent to this process alone is passed on.
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve(signal || interrupted ? 130 : (code ?? 1));
    });
  });
}

function summaryInputs(files, covered) {
  return files.map((file) => {
    const source = readFileSync(join(root, file), 'utf8');
    const report = currentReport({ file, source, ...paths(file) });
    const times = journalTimes(paths(file).journalFile, source);
    // The coverage pass of this very code, if cached: its time, and its map for the survivor list.
    const cache = readCoverageForReport(
      paths(file).coverageFile,
      mutantIdsKey({ source, settings: strykerSettings(root) }),
    );
    const pass = cache ? { passSeconds: cache.seconds, executedBy: cache.mutants } : {};
    return { file, report, ...covered.get(file), times, ...pass };
  });
}

function passText(row) {
  return row.coveragePassSeconds === undefined ? '' : ` (+ ${row.coveragePassSeconds} s coverage pass)`;
}

function writeSummary(inputs, equivalent) {
  const summary = summarise({ files: inputs, equivalent });
  for (const row of summary.files) {
    const input = inputs.find((candidate) => candidate.file === row.file);
    const times = input?.times ?? [];
    if (times.length > 0)
      row.secondsPerMutant = Math.round((times.reduce((a, b) => a + b, 0) / times.length) * 10) / 10;
    if (input?.passSeconds !== undefined) row.coveragePassSeconds = input.passSeconds;
  }
  writeFileSync(
    join(outDir, 'summary.json'),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), ...summary }, null, 2)}\n`,
  );
  let text = formatSummary(summary);
  const timed = summary.files.filter((row) => row.secondsPerMutant !== undefined);
  if (timed.length > 0)
    text += `\ntime per mutant: ${timed.map((row) => `${row.file} ${row.secondsPerMutant} s${passText(row)}`).join(', ')}\n`;
  process.stdout.write(`\n${text}\nsummary: ${join(outDir, 'summary.json')}\n`);
  return summary;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const files = shardFiles(
    options.files.length > 0 ? options.files : readYaml('mutation/files.yaml', 'files'),
    options.shard,
  );
  const equivalent = readYaml('mutation/equivalent.yaml', 'equivalent');
  mkdirSync(outDir, { recursive: true });
  const covered = new Map(files.map((file) => [file, covering(file)]));
  let postgres;
  let exitCode = 0;
  try {
    for (const file of options.reportOnly ? [] : files) {
      const claim = covered.get(file);
      if (claim.skipped) {
        process.stdout.write(`[mutate] ${file}: skipped — ${claim.skipped}\n`);
        continue;
      }
      const source = readFileSync(join(root, file), 'utf8');
      const coverage = coverageOf(file, source, scenarioSourcesHash(root), options.force);
      const how = coverage.cache ? `cached (pass took ${coverage.cache.seconds} s)` : 'computed in the dry run';
      process.stdout.write(`[mutate] ${file}: ${claim.capabilities.join(', ')}; coverage ${how}\n`);
      prepareResume({ file, source, ...paths(file), retest: options.retest });
      postgres ??= await startPostgres();
      const code = await runStryker(file, postgres.url, options.force, claim, coverage);
      // Stryker's own file calls a mutant no capability executed Survived, and would reuse that word
      // once the journal restarts for changed code: the journal's statuses go back in.
      prepareResume({ file, source, ...paths(file), retest: false });
      if (code === 130) {
        exitCode = 130;
        break;
      }
      if (code !== 0) exitCode = 1;
    }
  } finally {
    await postgres?.stop();
  }
  writeSummary(summaryInputs(files, covered), equivalent);
  return exitCode;
}

process.exitCode = await main();
