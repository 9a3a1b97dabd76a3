/**
 * The compiler thread of the SDK scenarios: `tsc -p <tsconfig.json>` through
 * the TypeScript API, one fresh program per request, so each generated client
 * is checked on its own with exactly the settings of its tsconfig.json.
 * TypeScript is loaded once per run, and the parsed default-library files
 * (lib.es2022*.d.ts, lib.dom.d.ts: nearly all of a cold tsc's work) are kept
 * and handed to every later program, as an editor's language service does.
 * Nothing a scenario writes is cached.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type * as TypeScript from 'typescript';

// require(), not import: an ES module import of the CommonJS typescript.js
// first scans all of its 9 MB for named exports (about 1.5 s of CPU).
const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript;

export interface CompileRequest {
  readonly id: number;
  /** Absolute path of the tsconfig.json, as `tsc -p` takes it. */
  readonly project: string;
}

export interface CompileAnswer {
  readonly id: number;
  /** tsc's exit status: 0 clean, 1 errors and nothing emitted, 2 errors and the output emitted. */
  readonly exitCode: number;
  /** The diagnostics as `tsc --pretty false` prints them, relative to the tsconfig's folder. */
  readonly stdout: string;
}

const libFolder = dirname(ts.getDefaultLibFilePath({}));
const libFiles = new Map<string, TypeScript.SourceFile>();

function hostFor(options: TypeScript.CompilerOptions): TypeScript.CompilerHost {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (dirname(fileName) !== libFolder) return read(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    const known = libFiles.get(key);
    if (known) return known;
    const parsed = read(fileName, languageVersion, onError, shouldCreate);
    if (parsed) libFiles.set(key, parsed);
    return parsed;
  };
  return host;
}

/** Diagnostics in tsc's own order: config, syntax; then options, global and semantic ones only on clean syntax; then emit. */
function diagnosticsOf(program: TypeScript.Program): { all: TypeScript.Diagnostic[]; emitSkipped: boolean } {
  const all = [...program.getConfigFileParsingDiagnostics()];
  const configCount = all.length;
  all.push(...program.getSyntacticDiagnostics());
  if (all.length === configCount) {
    all.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
    if (all.length === configCount) all.push(...program.getSemanticDiagnostics());
  }
  const emitted = program.emit();
  all.push(...emitted.diagnostics);
  return { all: [...ts.sortAndDeduplicateDiagnostics(all)], emitSkipped: emitted.emitSkipped };
}

function compile(request: CompileRequest): CompileAnswer {
  const folder = dirname(request.project);
  const format: TypeScript.FormatDiagnosticsHost = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => folder,
    getNewLine: () => '\n',
  };
  const unrecoverable: TypeScript.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    request.project,
    { pretty: false },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => unrecoverable.push(diagnostic) },
  );
  if (!parsed) return { id: request.id, exitCode: 1, stdout: ts.formatDiagnostics(unrecoverable, format) };
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences ?? [],
    host: hostFor(parsed.options),
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
  const { all, emitSkipped } = diagnosticsOf(program);
  const exitCode = all.length === 0 ? 0 : emitSkipped ? 1 : 2;
  return { id: request.id, exitCode, stdout: ts.formatDiagnostics(all, format) };
}

parentPort?.on('message', (request: CompileRequest) => {
  let answer: CompileAnswer;
  try {
    answer = compile(request);
  } catch (error) {
    answer = {
      id: request.id,
      exitCode: 1,
      stdout: `error: ${error instanceof Error ? error.message : String(error)}\n`,
    };
  }
  parentPort?.postMessage(answer);
});
