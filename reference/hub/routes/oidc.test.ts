/** OIDC provider configuration: discovery against a loopback issuer, sealed secrets, refusals, RBAC. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createHubApp } from '../app.ts';
import { createProject, expectError, expectOk, items, operatorWithRole, startHub, type Hub } from '../test-kit.ts';

let hub: Hub;
let idp: Server;
let issuer = '';
let documentIssuer = '';
const SECRET = 's3cret-value-planted';

describe('OIDC providers', () => {
  before(async () => {
    hub = await startHub({ STK_HUB_TEST_MODE: '1' });
    idp = createServer((request, response) => {
      if (request.url !== '/.well-known/openid-configuration') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          issuer: documentIssuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
        }),
      );
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    documentIssuer = issuer;
  });
  after(async () => {
    idp.closeAllConnections();
    await new Promise((resolve) => idp.close(resolve));
    await hub.close();
  });

  test('create discovers the endpoints, stores the secret sealed, and never shows it', async () => {
    const { project } = await createProject(hub, ['dev', 'prod']);
    const body = {
      project,
      env: 'dev',
      name: 'idp',
      issuer,
      client_id: 'santokit-test',
      client_secret: SECRET,
      redirect_uris: ['https://app.example.test/cb'],
    };
    const created = await hub.call('POST', '/api/oidc/providers', body, { token: hub.owner });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(
      { ...created.json, created_at: undefined },
      {
        id: 'idp',
        name: 'idp',
        project,
        env: 'dev',
        issuer,
        client_id: 'santokit-test',
        redirect_uris: ['https://app.example.test/cb'],
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        created_at: undefined,
      },
    );
    const listed = await hub.call('GET', `/api/oidc/providers?project=${project}&env=dev`, undefined, {
      token: hub.owner,
    });
    assert.deepEqual(
      items(listed).map((row) => row.name),
      ['idp'],
    );
    const shown = await hub.call('GET', `/api/oidc/providers/idp?project=${project}&env=dev`, undefined, {
      token: hub.owner,
    });
    assert.deepEqual(shown.json, created.json);
    expectError(
      await hub.call('GET', `/api/oidc/providers/nosuch?project=${project}&env=dev`, undefined, { token: hub.owner }),
      404,
      'NOT_FOUND',
    );
    assert.deepEqual(
      items(await hub.call('GET', `/api/oidc/providers?project=${project}&env=prod`, undefined, { token: hub.owner })),
      [],
    );
    expectError(await hub.call('POST', '/api/oidc/providers', body, { token: hub.owner }), 409, 'CONFLICT');
    for (const reply of [created, listed, shown]) assert.ok(!reply.text.includes(SECRET));
    const stored = await hub.deps.store.query<{ sealed_client_secret: string }>(
      `SELECT sealed_client_secret FROM hub_oidc_providers WHERE project = $1`,
      [project],
    );
    assert.equal(hub.deps.sealer.open(stored[0]?.sealed_client_secret ?? ''), SECRET);
    assert.ok(!stored[0]?.sealed_client_secret.includes(SECRET));
  });

  test('refusals: bad issuers, failed discovery, bad redirect URIs, unknown env, insufficient role', async () => {
    const { project } = await createProject(hub);
    const create = (extra: Record<string, unknown>, token = hub.owner) =>
      hub.call(
        'POST',
        '/api/oidc/providers',
        {
          project,
          env: 'dev',
          name: 'p',
          issuer,
          client_id: 'c',
          client_secret: 's',
          redirect_uris: ['https://a.test/cb'],
          ...extra,
        },
        { token },
      );
    expectError(await create({ issuer: 'not a url' }), 400, 'BAD_REQUEST');
    expectError(await create({ issuer: 'http://idp.example.test' }), 400, 'BAD_REQUEST', /https/);
    const started = Date.now();
    expectError(await create({ issuer: 'http://127.0.0.1:1' }), 400, 'BAD_REQUEST', /discovery/);
    assert.ok(Date.now() - started < 10_000);
    documentIssuer = 'https://someone-else.test';
    expectError(await create({}), 400, 'BAD_REQUEST', /another issuer/);
    documentIssuer = issuer;
    expectError(await create({ redirect_uris: [] }), 400, 'BAD_REQUEST');
    expectError(await create({ redirect_uris: ['/relative'] }), 400, 'BAD_REQUEST');
    expectError(await create({ name: 'Bad Name' }), 400, 'BAD_REQUEST');
    expectError(await create({ env: 'nosuch' }), 404, 'NOT_FOUND');
    const deployer = await operatorWithRole(hub, project, 'deployer');
    expectError(await create({}, deployer.token), 403, 'FORBIDDEN', /^insufficient role$/);
    const explicit = {
      issuer: 'https://idp.example.test',
      authorization_endpoint: 'https://idp.example.test/a',
      token_endpoint: 'https://idp.example.test/t',
      jwks_uri: 'https://idp.example.test/k',
    };
    assert.equal((await create({ ...explicit, name: 'explicit' })).status, 201, 'explicit endpoints skip discovery');
    // AUTH-002's own field names, no discovery (the issuer is unreachable here), JWKS looked up when a token must be verified.
    const named = await create({
      name: 'named',
      issuer: 'https://accounts.example.invalid',
      auth_url: 'https://accounts.example.invalid/auth',
      token_url: 'https://accounts.example.invalid/token',
      userinfo_url: 'https://accounts.example.invalid/userinfo',
    });
    assert.equal(named.status, 201, named.text);
    assert.deepEqual(
      [named.json?.id, named.json?.authorization_endpoint, named.json?.token_endpoint, named.json?.jwks_uri],
      ['named', 'https://accounts.example.invalid/auth', 'https://accounts.example.invalid/token', ''],
    );
    expectError(
      await create({
        name: 'half',
        issuer: 'https://accounts.example.invalid',
        auth_url: 'https://accounts.example.invalid/auth',
      }),
      400,
      'BAD_REQUEST',
      /token_url/,
    );
    const strict = createHubApp({ ...hub.deps, config: { ...hub.deps.config, testMode: false } });
    const outsideTestMode = await strict.request('/api/oidc/providers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.owner}` },
      body: JSON.stringify({
        project,
        env: 'dev',
        name: 'loop',
        issuer,
        client_id: 'c',
        client_secret: 's',
        redirect_uris: ['https://a.test/cb'],
      }),
    });
    assert.equal(outsideTestMode.status, 400, 'http issuers need test mode');
    expectOk(await hub.call('GET', `/api/oidc/providers?project=${project}&env=dev`, undefined, { token: hub.owner }));
  });
});
