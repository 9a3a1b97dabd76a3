/**
 * Typed reads from a small JSON settings file, each problem kept with the
 * line of the key it concerns (JSON.parse gives no positions of values, so
 * a key is found by its first quoted occurrence after its parent's).
 */

export interface JsonProblem {
  readonly line: number;
  readonly message: string;
  readonly hint: string;
}

export interface JsonObjectReader {
  object(key: string, allowed: readonly string[]): JsonObjectReader | undefined;
  string(key: string): string | undefined;
  strings(key: string): string[] | undefined;
  /** A string split at whitespace, or a list of strings. */
  stringOrList(key: string): string[] | undefined;
  /** A repository-relative path (no leading `/`, no `..`). */
  path(key: string): string | undefined;
  paths(key: string): string[] | undefined;
  stringMap(key: string): Record<string, string> | undefined;
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, Math.max(0, offset)).split('\n').length;
}

export function readJsonObject(text: string, problems: JsonProblem[], allowed: readonly string[]): JsonObjectReader | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    problems.push({ line: position ? lineAt(text, Number(position)) : 1, message: `not valid JSON: ${message}`, hint: 'Fix the JSON syntax at this line.' });
    return undefined;
  }
  if (!isObject(value)) {
    problems.push({ line: 1, message: 'the file is not a JSON object', hint: 'Write the settings as { "key": value, … }.' });
    return undefined;
  }
  return createReader(text, value, 0, '', problems, allowed);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function createReader(text: string, data: Record<string, unknown>, start: number, prefix: string, problems: JsonProblem[], allowed: readonly string[]): JsonObjectReader {
  return new ObjectReader({ text, data, start, prefix, problems }, allowed);
}

interface ReaderScope {
  readonly text: string;
  readonly data: Record<string, unknown>;
  /** Offset of the object's own key in the text; its keys are searched from there. */
  readonly start: number;
  /** `pytest.` for the fields of `pytest`. */
  readonly prefix: string;
  readonly problems: JsonProblem[];
}

class ObjectReader implements JsonObjectReader {
  readonly #scope: ReaderScope;

  constructor(scope: ReaderScope, allowed: readonly string[]) {
    this.#scope = scope;
    for (const key of Object.keys(scope.data)) {
      if (!allowed.includes(key)) this.#problem(key, 'unknown field', `Known fields here: ${allowed.join(', ')}.`);
    }
  }

  object(key: string, allowed: readonly string[]): JsonObjectReader | undefined {
    const value = this.#scope.data[key];
    if (value === undefined) return undefined;
    if (isObject(value)) return new ObjectReader({ ...this.#scope, data: value, start: this.#offsetOf(key), prefix: `${this.#scope.prefix}${key}.` }, allowed);
    this.#problem(key, 'expected an object', `Write "${key}": { … }.`);
    return undefined;
  }

  string(key: string): string | undefined {
    const value = this.#scope.data[key];
    if (value === undefined || (typeof value === 'string' && value !== '')) return value;
    this.#problem(key, 'expected a non-empty string', `Write "${key}": "…".`);
    return undefined;
  }

  strings(key: string): string[] | undefined {
    const value = this.#scope.data[key];
    if (value === undefined) return undefined;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
    this.#problem(key, 'expected a list of strings', `Write e.g. "${key}": ["…"].`);
    return undefined;
  }

  stringOrList(key: string): string[] | undefined {
    const value = this.#scope.data[key];
    return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : this.strings(key);
  }

  path(key: string): string | undefined {
    const value = this.string(key);
    return value !== undefined && this.#isRelative(key, value) ? value.replace(/\/+$/, '') : undefined;
  }

  paths(key: string): string[] | undefined {
    const values = this.strings(key);
    return values?.every((value) => this.#isRelative(key, value)) ? values.map((value) => value.replace(/\/+$/, '')) : undefined;
  }

  stringMap(key: string): Record<string, string> | undefined {
    const value = this.#scope.data[key];
    if (value === undefined) return undefined;
    if (isObject(value) && Object.values(value).every((item) => typeof item === 'string')) return value as Record<string, string>;
    this.#problem(key, 'expected an object of strings', `Write "${key}": { "/workspace": "." }.`);
    return undefined;
  }

  #isRelative(key: string, path: string): boolean {
    if (path !== '' && !path.startsWith('/') && !path.split('/').includes('..')) return true;
    this.#problem(key, `'${path}' is not a repository-relative path`, 'Write paths relative to the repository root, without a leading / or ..');
    return false;
  }

  #offsetOf(key: string): number {
    const found = this.#scope.text.indexOf(JSON.stringify(key), this.#scope.start);
    return found < 0 ? this.#scope.start : found;
  }

  #problem(key: string, message: string, hint: string): void {
    this.#scope.problems.push({ line: lineAt(this.#scope.text, this.#offsetOf(key)), message: `${this.#scope.prefix}${key}: ${message}`, hint });
  }
}
