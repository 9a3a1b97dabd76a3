/** The six tools: names, descriptions and input schemas for `tools/list`, argument checks, and what each answers from a release. */
import { logicGet, logicList } from './logic-tools.ts';
import type { McpScope, ReleaseSnapshot } from './release-source.ts';
import { permissionsGetTable, schemaGetTable, schemaListTables } from './schema-tools.ts';
import { invalidParams } from './tool-error.ts';

type Args = Readonly<Record<string, unknown>>;

export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  /** The one required string argument, if the tool takes one. */
  readonly argument?: 'table' | 'name';
  run(release: ReleaseSnapshot, args: Args, scope: McpScope): Readonly<Record<string, unknown>>;
}

const text = (args: Args, key: string) => args[key] as string;

export const TOOLS: readonly ToolSpec[] = [
  {
    name: 'schema_list_tables',
    description: 'List the tables of the current release with their connection.',
    run: (release) => schemaListTables(release),
  },
  {
    name: 'schema_get_table',
    description: 'Describe one table of the current release: primary key, columns (type, nullable) and foreign keys.',
    argument: 'table',
    run: (release, args) => schemaGetTable(release, text(args, 'table')),
  },
  {
    name: 'permissions_get_table',
    description:
      'The permission rules of one table per operation (select, insert, update, delete): roles, condition, columns.',
    argument: 'table',
    run: (release, args) => permissionsGetTable(release, text(args, 'table')),
  },
  {
    name: 'release_current',
    description: 'The release the project/env currently serves: releaseId, project, env.',
    run: (release, _args, scope) => ({ releaseId: release.releaseId, project: scope.project, env: scope.env }),
  },
  {
    name: 'logic_list',
    description: 'List the names of the custom SQL logics of the current release.',
    run: (release) => logicList(release),
  },
  {
    name: 'logic_get',
    description: 'One logic of the current release: its SQL, params (name, type, required) and auth (required, roles).',
    argument: 'name',
    run: (release, args) => logicGet(release, text(args, 'name')),
  },
];

/** `tools/list` entries: every input schema is closed (`additionalProperties: false`). */
export function listedTools() {
  return TOOLS.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: {
      type: 'object' as const,
      properties: tool.argument ? { [tool.argument]: { type: 'string', minLength: 1 } } : {},
      ...(tool.argument ? { required: [tool.argument] } : {}),
      additionalProperties: false,
    },
  }));
}

export function findTool(name: string): ToolSpec | undefined {
  return TOOLS.find((tool) => tool.name === name);
}

/** Arguments as the input schema says: the required string present and non-empty, nothing else. */
export function checkArguments(tool: ToolSpec, args: Args): void {
  const extra = Object.keys(args).find((key) => key !== tool.argument);
  if (extra !== undefined) throw invalidParams(`unknown argument '${extra.slice(0, 64)}' for ${tool.name}`);
  if (tool.argument && (typeof args[tool.argument] !== 'string' || args[tool.argument] === ''))
    throw invalidParams(`${tool.argument} is required`);
}
