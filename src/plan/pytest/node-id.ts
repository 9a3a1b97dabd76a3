/**
 * The two kinds of test reference, told apart by the file: TypeScript scenario
 * modules, and pytest node ids (`path/test_x.py::test_fn`,
 * `::TestClass::test_method`, `::test_fn[case-1]`).
 */

export type TestKind = 'scenario' | 'pytest';

const SCENARIO_SOURCE = /\.(ts|mts|js|mjs)$/;

export function testKindOf(file: string): TestKind | undefined {
  if (file.endsWith('.py')) return 'pytest';
  return SCENARIO_SOURCE.test(file) ? 'scenario' : undefined;
}

export function isPytestFile(file: string): boolean {
  return file.endsWith('.py');
}

/** The part of a pytest node id after the file: classes, the function, and a parameter id. */
export interface PytestName {
  /** `TestClass::test_method` or `test_fn`, without the parameter id. */
  readonly qualified: string;
  readonly function: string;
  readonly classes: readonly string[];
  /** `case-1` of `test_fn[case-1]`. */
  readonly param?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Undefined when `name` is not `[Class::]*function[param]` with Python identifiers. */
export function parsePytestName(name: string): PytestName | undefined {
  const open = name.indexOf('[');
  let base = name;
  let param: string | undefined;
  if (open >= 0) {
    if (!name.endsWith(']') || open === name.length - 2) return undefined;
    base = name.slice(0, open);
    param = name.slice(open + 1, -1);
  }
  const parts = base.split('::');
  if (!parts.every((part) => IDENTIFIER.test(part))) return undefined;
  const fn = parts.at(-1) ?? '';
  return { qualified: base, function: fn, classes: parts.slice(0, -1), ...(param === undefined ? {} : { param }) };
}
