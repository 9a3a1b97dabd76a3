/** apply, API keys, releases, schema snapshot/drift. */
import type { Command } from 'commander';
import { CliError } from '../client.ts';
import { define, need, print, text, type Io } from '../command-kit.ts';
import { readProjectFolder } from '../project-files.ts';

type Row = Record<string, unknown>;

const scope = (command: Command) => command.option('--project <project>').option('--env <env>');

function applyLines(body: Row, dryRun: boolean): string[] {
  const plan = (body.plan as Row[] | undefined) ?? [];
  const lines = plan.map((item) => `ddl [${text(item.connection)}] ${text(item.sql)}`);
  if (dryRun) return [...lines, 'dry run: no changes applied'];
  if (body.release_id === null) return [...lines, 'no release created'];
  return [...lines, `releaseId: ${text(body.release_id)}`, `reused: ${text(body.reused)}`];
}

export function registerReleaseCommands(program: Command, io: Io): void {
  define(
    scope(program.command('apply'))
      .option('--ref <ref>')
      .option('--only <steps>')
      .option('--dry-run')
      .option('--force'),
    io,
    async (client, flags) => {
      const request = {
        project: need(flags, 'project', io),
        env: need(flags, 'env', io),
        ref: need(flags, 'ref', io),
        ...readProjectFolder(io.cwd),
        ...(typeof flags.only === 'string' ? { only: flags.only.split(',').map((step) => step.trim()) } : {}),
        dry_run: flags.dryRun === true,
        force: flags.force === true,
      };
      const response = await client.request('POST', '/api/apply', request);
      print(io, flags, response, () => applyLines(response.json as Row, flags.dryRun === true));
    },
  );

  const apikey = program.command('apikey').description('project API keys');
  define(
    scope(apikey.command('create')).option('--name <name>').option('--roles <roles>'),
    io,
    async (client, flags) => {
      const roles = need(flags, 'roles', io)
        .split(',')
        .map((role) => role.trim())
        .filter(Boolean);
      const body = {
        project: need(flags, 'project', io),
        env: need(flags, 'env', io),
        name: need(flags, 'name', io),
        roles,
      };
      const response = await client.request('POST', '/api/apikeys/create', body);
      print(io, flags, response, () => [`API Key (store securely): ${text((response.json as Row).api_key)}`]);
    },
  );
  define(scope(apikey.command('list')), io, async (client, flags) => {
    const response = await client.request('GET', '/api/apikeys/list', undefined, {
      project: need(flags, 'project', io),
      env: need(flags, 'env', io),
    });
    print(io, flags, response, () =>
      (response.json as Row[]).map(
        (row) =>
          `${text(row.name)} status=${text(row.status)} roles=${(row.roles as string[]).join(',')} created=${text(row.created_at)}`,
      ),
    );
  });
  define(scope(apikey.command('revoke')).option('--key-id <id>'), io, async (client, flags) => {
    const body = { project: need(flags, 'project', io), env: need(flags, 'env', io), key_id: need(flags, 'keyId', io) };
    print(io, flags, await client.request('POST', '/api/apikeys/revoke', body), () => []);
  });

  const release = program.command('release').description('releases and env pointers');
  define(scope(release.command('current')), io, async (client, flags) => {
    const response = await client.request('GET', '/api/releases/current', undefined, {
      project: need(flags, 'project', io),
      env: need(flags, 'env', io),
    });
    const row = response.json as Row;
    print(io, flags, response, () => [
      `Current release: ${text(row.release_id)}`,
      `Ref: ${text(row.ref)}`,
      `Created: ${text(row.created_at)}`,
    ]);
  });
  define(scope(release.command('list')).option('--limit <n>'), io, async (client, flags) => {
    const query = {
      project: need(flags, 'project', io),
      env: need(flags, 'env', io),
      limit: typeof flags.limit === 'string' ? flags.limit : undefined,
    };
    const response = await client.request('GET', '/api/releases', undefined, query);
    const rows = response.json as Row[];
    print(io, flags, response, () =>
      rows.length === 0
        ? ['No releases.']
        : rows.map(
            (row) =>
              `${text(row.release_id)} ref=${text(row.ref)} created=${text(row.created_at)}${row.current ? ' (current)' : ''}`,
          ),
    );
  });
  define(
    release.command('show').option('--project <project>').option('--release-id <id>'),
    io,
    async (client, flags) => {
      const id = need(flags, 'releaseId', io);
      const response = await client.request('GET', `/api/releases/${encodeURIComponent(id)}`, undefined, {
        project: need(flags, 'project', io),
      });
      const row = response.json as Row;
      print(io, flags, response, () => [
        `Release: ${text(row.release_id)}`,
        `Project/Env: ${text(row.project)}/${text(row.env)}`,
        `Ref: ${text(row.ref)}`,
        `Created: ${text(row.created_at)}`,
      ]);
    },
  );
  define(
    release
      .command('promote')
      .option('--project <project>')
      .option('--from <env>')
      .option('--release-id <id>')
      .option('--to <env>'),
    io,
    async (client, flags) => {
      const body = {
        project: need(flags, 'project', io),
        to: need(flags, 'to', io),
        ...(typeof flags.from === 'string' ? { from: flags.from } : {}),
        ...(typeof flags.releaseId === 'string' ? { release_id: flags.releaseId } : {}),
      };
      if (body.from === undefined && body.release_id === undefined)
        throw new CliError('missing --from or --release-id');
      const response = await client.request('POST', '/api/releases/promote', body);
      print(io, flags, response, () => [`Release promoted to ${body.to}: ${text((response.json as Row).release_id)}`]);
    },
  );
  define(scope(release.command('rollback')).option('--to-release-id <id>'), io, async (client, flags) => {
    const body = {
      project: need(flags, 'project', io),
      env: need(flags, 'env', io),
      release_id: need(flags, 'toReleaseId', io),
    };
    const response = await client.request('POST', '/api/releases/rollback', body);
    print(io, flags, response, () => [`Rollback complete: ${text((response.json as Row).release_id)}`]);
  });

  const schema = program.command('schema').description('baselines and drift');
  define(scope(schema.command('snapshot')), io, async (client, flags) => {
    const response = await client.request('POST', '/api/schema/snapshot', {
      project: need(flags, 'project', io),
      env: need(flags, 'env', io),
    });
    const snapshots = ((response.json as Row).snapshots as Row[]) ?? [];
    print(io, flags, response, () => [
      'snapshot ok',
      ...snapshots.map((entry) => `- ${text(entry.connection)}: ${(entry.tables as unknown[]).length} tables`),
    ]);
  });
  define(scope(schema.command('drift')), io, async (client, flags) => {
    const project = need(flags, 'project', io);
    const env = need(flags, 'env', io);
    const response = await client.request('POST', '/api/schema/drift', { project, env });
    const body = response.json as { drifted: boolean; connections: { connection: string; issues: string[] }[] };
    print(io, flags, response, () => [
      `Schema drift for ${project}/${env}`,
      ...body.connections.map(
        (entry) => `- ${entry.connection}: ${entry.issues.length === 0 ? 'no drift' : entry.issues.join(', ')}`,
      ),
    ]);
    if (body.drifted) throw new CliError(`schema drift detected in ${project}/${env}`);
  });
}
