/** `stk oidc provider create|list|show`: OIDC providers of a project env. */
import type { Command } from 'commander';
import { CliError } from '../client.ts';
import { define, need, print, text, type Io } from '../command-kit.ts';

type Row = Record<string, unknown>;

const collect = (value: string, previous: string[]) => [...previous, value];
const line = (row: Row) => `${text(row.name)} issuer=${text(row.issuer)} client_id=${text(row.client_id)}`;

export function registerOidcCommands(program: Command, io: Io): void {
  const provider = program
    .command('oidc')
    .description('OpenID Connect providers')
    .command('provider')
    .description('providers of a project env');
  const scope = (command: Command) => command.option('--project <project>').option('--env <env>');
  const create = scope(provider.command('create'))
    .option('--name <name>')
    .option('--issuer <url>')
    .option('--client-id <id>')
    .option('--client-secret <secret>')
    .option('--redirect-uri <uri>', 'an allowed redirect URI (repeatable)', collect, [] as string[])
    .option('--authorization-endpoint <url>')
    .option('--token-endpoint <url>')
    .option('--jwks-uri <url>');
  define(create, io, async (client, flags) => {
    const body = {
      project: need(flags, 'project', io),
      env: need(flags, 'env', io),
      name: need(flags, 'name', io),
      issuer: need(flags, 'issuer', io),
      client_id: need(flags, 'clientId', io),
      client_secret: need(flags, 'clientSecret', io),
      redirect_uris: flags.redirectUri as string[],
      ...(typeof flags.authorizationEndpoint === 'string'
        ? { authorization_endpoint: flags.authorizationEndpoint }
        : {}),
      ...(typeof flags.tokenEndpoint === 'string' ? { token_endpoint: flags.tokenEndpoint } : {}),
      ...(typeof flags.jwksUri === 'string' ? { jwks_uri: flags.jwksUri } : {}),
    };
    if (body.redirect_uris.length === 0) throw new CliError('missing --redirect-uri');
    print(io, flags, await client.request('POST', '/api/oidc/providers', body), () => []);
  });
  define(scope(provider.command('list')), io, async (client, flags) => {
    const response = await client.request('GET', '/api/oidc/providers', undefined, {
      project: need(flags, 'project', io),
      env: need(flags, 'env', io),
    });
    print(io, flags, response, () => (response.json as Row[]).map(line));
  });
  define(scope(provider.command('show')).option('--name <name>'), io, async (client, flags) => {
    const query = { project: need(flags, 'project', io), env: need(flags, 'env', io) };
    const response = await client.request(
      'GET',
      `/api/oidc/providers/${encodeURIComponent(need(flags, 'name', io))}`,
      undefined,
      query,
    );
    print(io, flags, response, () => [line(response.json as Row)]);
  });
}
