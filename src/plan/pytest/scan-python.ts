/**
 * Reads a pytest module as text (Python is never imported or run): its
 * module- and class-level definitions, the tests pytest would collect by its
 * default rules (`test*` functions, `test*` methods of `Test*` classes
 * without `__init__`), and the `pytest.mark.capability("ID")` markers that
 * apply to each test — on the function, its classes, or `pytestmark`.
 */
import { indentOf, pythonLines } from './python-text.ts';

export interface PythonTest {
  /** `test_fn` or `TestClass::test_method`. */
  readonly qualified: string;
  /** Line of the `def`. */
  readonly line: number;
  /** Capability ids of its markers, nearest first: function, classes (inner first), module. */
  readonly capabilities: readonly string[];
  readonly parametrized: boolean;
}

export interface ScannedPythonModule {
  readonly file: string;
  readonly tests: readonly PythonTest[];
  /** Every module- and class-level `def`, qualified, with its line: helpers too. */
  readonly definitions: ReadonlyMap<string, number>;
}

interface Statement {
  readonly line: number;
  readonly indent: number;
  readonly text: string;
}

interface Frame {
  readonly kind: 'module' | 'class' | 'def';
  readonly indent: number;
  readonly path: string;
  readonly marks: string[];
  readonly testable: boolean;
  hasInit: boolean;
}

interface PendingTest {
  readonly qualified: string;
  readonly line: number;
  readonly own: readonly string[];
  readonly scopes: readonly Frame[];
  readonly parametrized: boolean;
}

const CAPABILITY_MARK = /\bmark\.capability\(\s*(?:'([^'\n]*)'|"([^"\n]*)")/g;
const DEF = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/;
const CLASS = /^class\s+([A-Za-z_]\w*)/;
const PYTESTMARK = /^pytestmark\s*(?::[^=]*)?=/;

export function capabilityMarks(text: string): string[] {
  return [...text.matchAll(CAPABILITY_MARK)].map((match) => match[1] ?? match[2] ?? '');
}

function statementsOf(source: string): Statement[] {
  const statements: Statement[] = [];
  for (const line of pythonLines(source)) {
    const last = statements.at(-1);
    if (line.continued && last) statements[statements.length - 1] = { ...last, text: `${last.text}\n${line.text}` };
    else if (line.text.trim() !== '') statements.push({ line: line.number, indent: indentOf(line.text), text: line.text.trim() });
  }
  return statements;
}

interface ScanState {
  readonly module: Frame;
  readonly stack: Frame[];
  readonly definitions: Map<string, number>;
  readonly pending: PendingTest[];
  decorators: string[];
}

export function scanPythonModule(file: string, source: string): ScannedPythonModule {
  const module: Frame = { kind: 'module', indent: -1, path: '', marks: [], testable: true, hasInit: false };
  const state: ScanState = { module, stack: [module], definitions: new Map(), pending: [], decorators: [] };
  for (const statement of statementsOf(source)) visit(state, statement);
  const tests = state.pending.filter((test) => !test.scopes.some((scope) => scope.hasInit)).map((test) => resolveTest(test, module));
  return { file, tests, definitions: state.definitions };
}

/** One statement: a decorator waits for its def or class; a def inside a function body is not collected. */
function visit(state: ScanState, statement: Statement): void {
  const { stack } = state;
  while (stack.length > 1 && statement.indent <= (stack.at(-1)?.indent ?? -1)) stack.pop();
  const top = stack.at(-1) ?? state.module;
  if (top.kind === 'def') return;
  const text = statement.text;
  if (text.startsWith('@')) {
    state.decorators.push(text);
    return;
  }
  const def = DEF.exec(text)?.[1];
  const cls = CLASS.exec(text)?.[1];
  if (def) visitDef(state, top, def, statement);
  else if (cls) stack.push({ kind: 'class', indent: statement.indent, path: `${top.path}${cls}::`, marks: capabilityMarks(state.decorators.join('\n')), testable: top.testable && cls.startsWith('Test'), hasInit: false });
  else if (PYTESTMARK.test(text)) top.marks.push(...capabilityMarks(text));
  state.decorators = [];
}

function visitDef(state: ScanState, top: Frame, name: string, statement: Statement): void {
  const qualified = `${top.path}${name}`;
  state.definitions.set(qualified, statement.line);
  if (name === '__init__') top.hasInit = true;
  if (name.startsWith('test') && top.testable) {
    const scopes = state.stack.filter((frame) => frame.kind === 'class').reverse();
    const decorators = state.decorators;
    state.pending.push({ qualified, line: statement.line, own: capabilityMarks(decorators.join('\n')), scopes, parametrized: decorators.some((line) => /\bmark\.parametrize\b/.test(line)) });
  }
  state.stack.push({ kind: 'def', indent: statement.indent, path: '', marks: [], testable: false, hasInit: false });
}

function resolveTest(test: PendingTest, module: Frame): PythonTest {
  const all = [...test.own, ...test.scopes.flatMap((scope) => scope.marks), ...module.marks];
  return { qualified: test.qualified, line: test.line, capabilities: [...new Set(all)], parametrized: test.parametrized };
}
