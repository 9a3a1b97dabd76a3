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

export function scanPythonModule(file: string, source: string): ScannedPythonModule {
  const module: Frame = { kind: 'module', indent: -1, path: '', marks: [], testable: true, hasInit: false };
  const stack: Frame[] = [module];
  const definitions = new Map<string, number>();
  const pending: PendingTest[] = [];
  let decorators: string[] = [];
  for (const statement of statementsOf(source)) {
    while (stack.length > 1 && statement.indent <= (stack.at(-1)?.indent ?? -1)) stack.pop();
    const top = stack.at(-1) ?? module;
    if (top.kind === 'def') continue;
    const text = statement.text;
    const def = DEF.exec(text);
    const cls = CLASS.exec(text);
    if (text.startsWith('@')) {
      decorators.push(text);
      continue;
    }
    if (def?.[1]) {
      const name = def[1];
      const qualified = `${top.path}${name}`;
      definitions.set(qualified, statement.line);
      if (name === '__init__') top.hasInit = true;
      if (name.startsWith('test') && top.testable) {
        const scopes = stack.filter((frame) => frame.kind === 'class').reverse();
        pending.push({ qualified, line: statement.line, own: capabilityMarks(decorators.join('\n')), scopes, parametrized: decorators.some((line) => /\bmark\.parametrize\b/.test(line)) });
      }
      stack.push({ kind: 'def', indent: statement.indent, path: '', marks: [], testable: false, hasInit: false });
    } else if (cls?.[1]) {
      const testable = top.testable && cls[1].startsWith('Test');
      stack.push({ kind: 'class', indent: statement.indent, path: `${top.path}${cls[1]}::`, marks: capabilityMarks(decorators.join('\n')), testable, hasInit: false });
    } else if (PYTESTMARK.test(text)) {
      top.marks.push(...capabilityMarks(text));
    }
    decorators = [];
  }
  return { file, tests: pending.filter((test) => !test.scopes.some((scope) => scope.hasInit)).map((test) => resolveTest(test, module)), definitions };
}

function resolveTest(test: PendingTest, module: Frame): PythonTest {
  const all = [...test.own, ...test.scopes.flatMap((scope) => scope.marks), ...module.marks];
  return { qualified: test.qualified, line: test.line, capabilities: [...new Set(all)], parametrized: test.parametrized };
}
