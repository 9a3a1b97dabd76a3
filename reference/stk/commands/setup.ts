/** login/whoami, projects, envs, connections. */
import type { Command } from 'commander';
import { define, need, print, text, type Io } from '../command-kit.ts';

type Row = Record<string, unknown>;

export function registerSetupCommands(program: Command, io: Io): void {
  define(
    program.command('login').option('--email <email>').option('--password <password>'),
    io,
    async (client, flags) => {
      const response = await client.request('POST', '/api/auth/login', {
        email: need(flags, 'email', io),
        password: need(flags, 'password', io),
      });
      print(io, flags, response, () => [text((response.json as Row).token)]);
    },
  );
  define(program.command('whoami'), io, async (client, flags) => {
    const response = await client.request('GET', '/api/auth/whoami');
    print(io, flags, response, () => [text((response.json as Row).email)]);
  });

  const project = program.command('project').description('projects and project members');
  define(project.command('create').argument('<name>'), io, async (client, flags, _io, [name]) => {
    print(io, flags, await client.request('POST', '/api/projects', { project: name }), () => []);
  });
  define(project.command('list'), io, async (client, flags) => {
    const response = await client.request('GET', '/api/projects');
    print(io, flags, response, () => (response.json as Row[]).map((row) => text(row.name)));
  });

  const env = program.command('env').description('environments of a project');
  define(
    env.command('create').argument('<env>').option('--project <project>'),
    io,
    async (client, flags, _io, [name]) => {
      print(
        io,
        flags,
        await client.request('POST', '/api/envs', { project: need(flags, 'project', io), env: name }),
        () => [],
      );
    },
  );
  define(env.command('list').option('--project <project>'), io, async (client, flags) => {
    const response = await client.request('GET', '/api/envs', undefined, { project: need(flags, 'project', io) });
    print(io, flags, response, () => (response.json as Row[]).map((row) => text(row.name)));
  });

  const connections = program.command('connections').description('database connections of an env');
  const scope = (command: Command) => command.option('--project <project>').option('--env <env>');
  const line = (row: Row) => `${text(row.name)} engine=${text(row.engine)} url=${text(row.redacted_url)}`;
  define(
    scope(connections.command('set')).option('--name <name>').option('--engine <engine>').option('--db-url <url>'),
    io,
    async (client, flags) => {
      const body = {
        project: need(flags, 'project', io),
        env: need(flags, 'env', io),
        name: need(flags, 'name', io),
        engine: need(flags, 'engine', io),
        db_url: need(flags, 'dbUrl', io),
      };
      print(io, flags, await client.request('POST', '/api/connections/set', body), () => []);
    },
  );
  define(scope(connections.command('test')).option('--name <name>'), io, async (client, flags) => {
    const name = need(flags, 'name', io);
    const response = await client.request('POST', '/api/connections/test', {
      project: need(flags, 'project', io),
      env: need(flags, 'env', io),
      name,
    });
    print(io, flags, response, () => [`connection ok: ${name}`]);
  });
  define(scope(connections.command('list')), io, async (client, flags) => {
    const response = await client.request('GET', '/api/connections/list', undefined, {
      project: need(flags, 'project', io),
      env: need(flags, 'env', io),
    });
    print(io, flags, response, () => (response.json as Row[]).map(line));
  });
  define(scope(connections.command('show')).option('--name <name>'), io, async (client, flags) => {
    const query = { project: need(flags, 'project', io), env: need(flags, 'env', io), name: need(flags, 'name', io) };
    const response = await client.request('GET', '/api/connections/show', undefined, query);
    print(io, flags, response, () => [line(response.json as Row)]);
  });
}
