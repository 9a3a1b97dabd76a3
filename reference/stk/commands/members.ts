/** org / project invite, accept, members set-role, remove, members list. */
import type { Command } from 'commander';
import { define, need, print, text, type Io } from '../command-kit.ts';

type Row = Record<string, unknown>;

export function registerMemberCommands(program: Command, io: Io): void {
  const org = program.command('org').description('org memberships');
  const project = program.commands.find((command) => command.name() === 'project') ?? program.command('project');
  for (const [scope, group] of [
    ['org', org],
    ['project', project],
  ] as const) {
    const withProject = (command: Command) => (scope === 'project' ? command.option('--project <project>') : command);
    const base = (flags: Record<string, unknown>) =>
      scope === 'project' ? { project: need(flags, 'project', io) } : {};
    define(
      withProject(group.command('invite').argument('<email>').option('--role <role>')),
      io,
      async (client, flags, _io, [email]) => {
        print(
          io,
          flags,
          await client.request('POST', `/api/${scope}/invite`, {
            ...base(flags),
            email,
            role: need(flags, 'role', io),
          }),
          () => [],
        );
      },
    );
    define(withProject(group.command('accept')), io, async (client, flags) => {
      print(io, flags, await client.request('POST', `/api/${scope}/accept`, base(flags)), () => []);
    });
    define(withProject(group.command('remove').argument('<email>')), io, async (client, flags, _io, [email]) => {
      print(io, flags, await client.request('POST', `/api/${scope}/remove`, { ...base(flags), user: email }), () => []);
    });
    const members = group.command('members');
    define(
      withProject(members.command('set-role').argument('<email>').option('--role <role>')),
      io,
      async (client, flags, _io, [email]) => {
        print(
          io,
          flags,
          await client.request('POST', `/api/${scope}/members/set-role`, {
            ...base(flags),
            user: email,
            role: need(flags, 'role', io),
          }),
          () => [],
        );
      },
    );
    define(withProject(members.command('list')), io, async (client, flags) => {
      const query = scope === 'project' ? { project: need(flags, 'project', io) } : undefined;
      const response = await client.request('GET', `/api/${scope}/members`, undefined, query);
      print(io, flags, response, () =>
        (response.json as Row[]).map((row) => `${text(row.email)} role=${text(row.role)} status=${text(row.status)}`),
      );
    });
  }
}
