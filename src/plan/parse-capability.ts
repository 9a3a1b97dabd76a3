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
  const lines = text.split(/\r?\n/);
  const end = frontMatterEnd(lines);
  if (end === undefined) {
    return parseError(file, 1, 'no YAML front-matter', 'Start the file with a `---` line, the fields, and a closing `---` line.');
  }
  let data: unknown;
  try {
    // The block is already cut out (its lines are needed anyway), so only
    // gray-matter's YAML engine runs: the whole matter() call costs 2.5x more.
    data = parseYaml(lines.slice(1, end).join('\n'));
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const line = typeof mark?.line === 'number' ? mark.line + 2 : 1;
    const reason = (error as { reason?: string }).reason ?? String(error);
    return parseError(file, line, `front-matter is not valid YAML: ${reason}`, 'Fix the YAML syntax at this line.');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return parseError(file, 1, 'front-matter is not a YAML mapping', 'Write the fields as `key: value` lines.');
  }
  const fieldLines = locateFields(lines.slice(1, end), 2);
  return { status: 'ok', document: buildDocument(file, data as Record<string, unknown>, fieldLines, lines, end) };
}

function buildDocument(
  file: string,
  data: Record<string, unknown>,
  fieldLines: FieldLines,
  lines: readonly string[],
  end: number,
): CapabilityDocument {
  const fieldIssues: ValidationIssue[] = [];
  const list = (key: string, code: string) => readList(file, data, key, fieldLines, code, fieldIssues);
  const { sections, acceptanceItems } = readBody(lines, end + 1);
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

function frontMatterEnd(lines: readonly string[]): number | undefined {
  if (lines[0]?.trim() !== '---') return undefined;
  for (let index = 1; index < lines.length; index += 1) {
    if (lines[index]?.trim() === '---') return index;
  }
  return undefined;
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

/** Finds `## ` sections outside code fences and counts `- [ ]` items under Acceptance Criteria. */
function readBody(lines: readonly string[], start: number): { sections: Section[]; acceptanceItems: number } {
  const sections: Section[] = [];
  let acceptanceItems = 0;
  let inFence = false;
  let inAcceptance = false;
  for (let index = start; index < lines.length; index += 1) {
    const raw = lines[index] ?? '';
    const first = raw.trimStart().charAt(0);
    // Only fences, headings and list items matter; most lines are prose and skip the regexes.
    if (first === '`' || first === '~') {
      if (/^\s*(```|~~~)/.test(raw)) inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    if (first === '#') {
      const heading = /^##\s+(.+?)\s*#*\s*$/.exec(raw);
      if (heading?.[1] !== undefined) {
        sections.push({ title: heading[1], line: index + 1 });
        inAcceptance = heading[1] === 'Acceptance Criteria';
      }
    } else if (inAcceptance && (first === '-' || first === '*') && /^\s*[-*]\s+\[[ xX]\]\s+\S/.test(raw)) {
      acceptanceItems += 1;
    }
  }
  return { sections, acceptanceItems };
}

export function issue(code: string, file: string, line: number, message: string, hint: string): ValidationIssue {
  return { code, severity: 'error', file, line, message, hint };
}

function parseError(file: string, line: number, message: string, hint: string): ParsedCapability {
  return { status: 'error', issue: issue('PARSE_ERROR', file, line, message, hint) };
}
