/**
 * Pure parsing of one capability document: front-matter (gray-matter, a real
 * YAML parser) plus the line of every field, list item and section, so each
 * later issue can point at `file:line`.
 */
import matter from 'gray-matter';
import { KNOWN_FIELDS, type CapabilityDocument, type Located, type Section, type ValidationIssue } from './types.ts';

const yamlEngine = (matter as unknown as { engines: { yaml: { parse: (text: string) => unknown } } }).engines.yaml;

function parseYaml(text: string): unknown {
  return yamlEngine.parse(text) ?? {};
}

export type ParsedCapability =
  | { readonly status: 'ok'; readonly document: CapabilityDocument }
  | { readonly status: 'error'; readonly issue: ValidationIssue };

interface FieldLines {
  readonly keys: ReadonlyMap<string, number>;
  readonly items: ReadonlyMap<string, readonly number[]>;
}

export function parseCapability(file: string, text: string): ParsedCapability {
  const head = readFrontMatter(text);
  if (head === undefined) {
    return parseError(file, 1, 'no YAML front-matter', 'Start the file with a `---` line, the fields, and a closing `---` line.');
  }
  let data: unknown;
  try {
    // Only the block goes to gray-matter's YAML engine: the whole matter() call costs 2.5x more.
    data = parseYaml(head.lines.join('\n'));
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const line = typeof mark?.line === 'number' ? mark.line + 2 : 1;
    const reason = (error as { reason?: string }).reason ?? String(error);
    return parseError(file, line, `front-matter is not valid YAML: ${reason}`, 'Fix the YAML syntax at this line.');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return parseError(file, 1, 'front-matter is not a YAML mapping', 'Write the fields as `key: value` lines.');
  }
  const fieldLines = locateFields(head.lines, 2);
  return { status: 'ok', document: buildDocument(file, data as Record<string, unknown>, fieldLines, readBody(text, head.bodyStart, head.bodyLine)) };
}

interface FrontMatter {
  /** The lines between the two `---` lines. */
  readonly lines: string[];
  /** Offset and 1-based line number of the first line after the closing `---`. */
  readonly bodyStart: number;
  readonly bodyLine: number;
}

/** Cuts out the front-matter block without splitting the (longer) body into lines. */
function readFrontMatter(text: string): FrontMatter | undefined {
  const lines: string[] = [];
  let start = 0;
  for (let index = 0; start <= text.length; index += 1) {
    const newline = text.indexOf('\n', start);
    const stop = newline === -1 ? text.length : newline;
    const line = text.slice(start, stop).replace(/\r$/, '');
    const next = newline === -1 ? text.length + 1 : newline + 1;
    if (index === 0) {
      if (line.trim() !== '---') return undefined;
    } else if (line.trim() === '---') {
      return { lines, bodyStart: next, bodyLine: index + 2 };
    } else {
      lines.push(line);
    }
    start = next;
  }
  return undefined;
}

function buildDocument(file: string, data: Record<string, unknown>, fieldLines: FieldLines, body: { sections: Section[]; acceptanceItems: number }): CapabilityDocument {
  const fieldIssues: ValidationIssue[] = [];
  const list = (key: string, code: string) => readList(file, data, key, fieldLines, code, fieldIssues);
  const { sections, acceptanceItems } = body;
  return {
    file,
    id: readScalar(data, 'id', fieldLines),
    domain: readScalar(data, 'domain', fieldLines),
    title: readScalar(data, 'title', fieldLines),
    status: readScalar(data, 'status', fieldLines),
    depends: list('depends', 'DEPENDS_FORMAT'),
    specRefs: list('spec_refs', 'PARSE_ERROR'),
    testRefs: list('test_refs', 'TEST_NODEID_INVALID'),
    codeRefs: list('code_refs', 'PARSE_ERROR'),
    unknownFields: Object.keys(data)
      .filter((key) => !(KNOWN_FIELDS as readonly string[]).includes(key))
      .map((key) => ({ value: key, line: fieldLines.keys.get(key) ?? 1 })),
    sections,
    acceptanceItems,
    fieldIssues,
  };
}

/** Maps each top-level key, and each block-list item under it, to its file line. */
function locateFields(frontMatter: readonly string[], firstLine: number): FieldLines {
  const keys = new Map<string, number>();
  const items = new Map<string, number[]>();
  let current: number[] | undefined;
  frontMatter.forEach((raw, offset) => {
    const line = firstLine + offset;
    const key = /^([A-Za-z_][\w-]*)\s*:/.exec(raw);
    if (key?.[1] !== undefined) {
      keys.set(key[1], line);
      current = [];
      items.set(key[1], current);
    } else if (current && /^\s*-\s/.test(raw)) {
      current.push(line);
    }
  });
  return { keys, items };
}

function readScalar(data: Record<string, unknown>, key: string, fieldLines: FieldLines): Located<string> | undefined {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  const text = value instanceof Date ? value.toISOString() : String(value);
  return { value: text, line: fieldLines.keys.get(key) ?? 1 };
}

function readList(
  file: string,
  data: Record<string, unknown>,
  key: string,
  fieldLines: FieldLines,
  code: string,
  issues: ValidationIssue[],
): Located<string>[] {
  const value = data[key];
  const keyLine = fieldLines.keys.get(key) ?? 1;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issues.push(issue(code, file, keyLine, `\`${key}\` must be a YAML list`, `Write \`${key}: [a, b]\` or one \`- item\` per line.`));
    return [];
  }
  const itemLines = fieldLines.items.get(key) ?? [];
  const located: Located<string>[] = [];
  value.forEach((item: unknown, index) => {
    const line = itemLines[index] ?? keyLine;
    if (typeof item === 'string' && item.trim() !== '') located.push({ value: item.trim(), line });
    else issues.push(issue(code, file, line, `\`${key}\` item ${index + 1} is not a non-empty string`, 'Each item must be a plain string.'));
  });
  return located;
}

/** Finds `## ` sections outside code fences and counts `- [ ]` items under Acceptance Criteria, line by line from `start`. */
function readBody(text: string, start: number, firstLine: number): { sections: Section[]; acceptanceItems: number } {
  const sections: Section[] = [];
  let acceptanceItems = 0;
  let inFence = false;
  let inAcceptance = false;
  for (let offset = start, lineNumber = firstLine; offset < text.length; lineNumber += 1) {
    const newline = text.indexOf('\n', offset);
    const end = newline === -1 ? text.length : newline;
    let first = offset;
    while (first < end && (text[first] === ' ' || text[first] === '\t')) first += 1;
    const lead = text[first];
    // Only fences, headings and list items matter; prose lines are never cut out of the text.
    if (lead === '`' || lead === '~') {
      if (/^\s*(```|~~~)/.test(text.slice(offset, end))) inFence = !inFence;
    } else if (!inFence && lead === '#') {
      const heading = /^##\s+(.+?)\s*#*\s*$/.exec(text.slice(offset, end));
      if (heading?.[1] !== undefined) {
        sections.push({ title: heading[1], line: lineNumber });
        inAcceptance = heading[1] === 'Acceptance Criteria';
      }
    } else if (!inFence && inAcceptance && (lead === '-' || lead === '*') && /^\s*[-*]\s+\[[ xX]\]\s+\S/.test(text.slice(offset, end))) {
      acceptanceItems += 1;
    }
    offset = end + 1;
  }
  return { sections, acceptanceItems };
}

export function issue(code: string, file: string, line: number, message: string, hint: string): ValidationIssue {
  return { code, severity: 'error', file, line, message, hint };
}

function parseError(file: string, line: number, message: string, hint: string): ParsedCapability {
  return { status: 'error', issue: issue('PARSE_ERROR', file, line, message, hint) };
}
