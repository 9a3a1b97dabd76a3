/**
 * Python source as text, made safe to scan line by line: comments and
 * triple-quoted strings become spaces (line breaks stay, so line
 * numbers hold), and every line is marked with the bracket depth it starts
 * at. Single-line strings are kept: capability markers are read from them.
 */

export interface PythonLine {
  /** 1-based. */
  readonly number: number;
  readonly text: string;
  /** Open brackets (or a backslash continuation) carried in from earlier lines: not a statement start. */
  readonly continued: boolean;
}

const QUOTES = new Set(["'", '"']);

export function maskPython(source: string): string {
  const out: string[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index] ?? '';
    if (char === '#') {
      const end = source.indexOf('\n', index);
      const stop = end < 0 ? source.length : end;
      out.push(' '.repeat(stop - index));
      index = stop;
    } else if (QUOTES.has(char)) {
      index = copyString(source, index, out);
    } else {
      out.push(char);
      index += 1;
    }
  }
  return out.join('');
}

/** Copies (single-line) or blanks (triple-quoted) the string starting at `start`; returns the index after it. */
function copyString(source: string, start: number, out: string[]): number {
  const quote = source[start] ?? '';
  const triple = source.startsWith(quote.repeat(3), start);
  const delimiter = triple ? quote.repeat(3) : quote;
  let index = start + delimiter.length;
  while (index < source.length) {
    const char = source[index] ?? '';
    if (char === '\\') index += 2;
    else if (source.startsWith(delimiter, index)) break;
    else if (char === '\n' && !triple) break;
    else index += 1;
  }
  const end = Math.min(source.length, source.startsWith(delimiter, index) ? index + delimiter.length : index);
  const text = source.slice(start, end);
  out.push(triple ? text.replace(/[^\n]/g, ' ') : text);
  return end;
}

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

export function pythonLines(source: string): PythonLine[] {
  const lines: PythonLine[] = [];
  let depth = 0;
  let backslash = false;
  maskPython(source)
    .split('\n')
    .forEach((text, index) => {
      lines.push({ number: index + 1, text, continued: depth > 0 || backslash });
      for (const char of stripStrings(text)) {
        if (OPENERS.has(char)) depth += 1;
        else if (CLOSERS.has(char)) depth = Math.max(0, depth - 1);
      }
      backslash = /\\\s*$/.test(text);
    });
  return lines;
}

/** Brackets inside single-line strings do not count. */
function stripStrings(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
}

export function indentOf(text: string): number {
  let width = 0;
  for (const char of text) {
    if (char === ' ') width += 1;
    else if (char === '\t') width += 8 - (width % 8);
    else break;
  }
  return width;
}
