/** `logic_list`, `logic_get`: the release's logics (name, SQL, params, auth), as documented in MCP-005. */
import { parse as parseYaml } from 'yaml';
import type { ReleaseSnapshot } from './release-source.ts';
import { internal, notFound } from './tool-error.ts';

type Row = Record<string, unknown>;

/** `---\n<yaml>\n---\n<sql>`; without a leading `---` line the whole text is SQL. */
function splitLogic(text: string): { front: string; sql: string } {
  const lines = text.split(/\r?\n/);
  const end = lines[0]?.trim() === '---' ? lines.findIndex((line, index) => index > 0 && line.trim() === '---') : -1;
  if (end < 0) return { front: '', sql: text.trimEnd() };
  return {
    front: lines.slice(1, end).join('\n'),
    sql: lines
      .slice(end + 1)
      .join('\n')
      .trimEnd(),
  };
}

function frontMatter(name: string, front: string): Row {
  if (front.trim() === '') return {};
  try {
    const parsed: unknown = parseYaml(front);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Row) : {};
  } catch {
    throw internal(`logic '${name}' has front-matter that does not parse`);
  }
}

export function logicList(release: ReleaseSnapshot) {
  return { logics: Object.keys(release.logics).sort() };
}

export function logicGet(release: ReleaseSnapshot, name: string) {
  const text = Object.hasOwn(release.logics, name) ? release.logics[name] : undefined;
  if (typeof text !== 'string') throw notFound(`logic '${name.slice(0, 64)}' not found`);
  const { front, sql } = splitLogic(text);
  const meta = frontMatter(name, front);
  const declared =
    meta.params !== null && typeof meta.params === 'object' && !Array.isArray(meta.params)
      ? (meta.params as Record<string, Row | null>)
      : {};
  const params = Object.entries(declared).map(([param, spec]) => ({
    name: param,
    type: typeof spec?.type === 'string' ? spec.type : 'string',
    required: spec?.required === true,
  }));
  const roles = Array.isArray(meta.roles) ? meta.roles.filter((role): role is string => typeof role === 'string') : [];
  return { name, sql, params, auth: { required: meta.auth !== 'public', roles } };
}
