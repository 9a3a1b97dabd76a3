/** Operator RBAC: every control-plane route against every role, and the membership lifecycle. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createOperator,
  createProject,
  expectError,
  expectOk,
  items,
  operatorWithRole,
  PERMISSIONS_V1,
  startHub,
  USERS_V1,
  type Hub,
  type Reply,
} from '../test-kit.ts';

let hub: Hub;
const LEVEL = { none: 0, viewer: 1, deployer: 2, admin: 3 } as const;
type Level = keyof typeof LEVEL;

interface Probe {
  readonly needs: Level | 'org-admin' | 'org-member';
  readonly label: string;
  run(token: string, n: number): Promise<Reply>;
}

function probes(project: string, releaseId: string): Probe[] {
  const q = `project=${project}&env=dev`;
  const get = (path: string) => (token: string) => hub.call('GET', path, undefined, { token });
  const post = (path: string, body: (n: number) => Record<string, unknown>) => (token: string, n: number) =>
    hub.call('POST', path, body(n), { token });
  const scoped = { project, env: 'dev' };
  const list: [Probe['needs'], string, Probe['run']][] = [
    ['viewer', 'release current', get(`/api/releases/current?${q}`)],
    ['viewer', 'release list', get(`/api/releases?${q}`)],
    ['viewer', 'release show', get(`/api/releases/${releaseId}?project=${project}`)],
    ['viewer', 'drift', post('/api/schema/drift', () => scoped)],
    ['viewer', 'env list', get(`/api/envs?project=${project}`)],
    ['viewer', 'project members', get(`/api/project/members?project=${project}`)],
    [
      'deployer',
      'apply',
      post('/api/apply', (n) => ({ ...scoped, ref: `r${n}`, schema: [USERS_V1], permissions: PERMISSIONS_V1 })),
    ],
    ['deployer', 'snapshot', post('/api/schema/snapshot', () => scoped)],
    ['deployer', 'promote', post('/api/releases/promote', () => ({ project, release_id: releaseId, to: 'dev' }))],
    ['deployer', 'rollback', post('/api/releases/rollback', () => ({ ...scoped, to_release_id: releaseId }))],
    ['admin', 'env create', post('/api/envs', (n) => ({ project, env: `e${n}` }))],
    [
      'admin',
      'connections set',
      post('/api/connections/set', (n) => ({
        ...scoped,
        name: `c${n}`,
        engine: 'postgres',
        db_url: 'postgres://u@127.0.0.1:1/x',
      })),
    ],
    ['admin', 'connections test', post('/api/connections/test', () => ({ ...scoped, name: 'nosuch' }))],
    ['admin', 'connections list', get(`/api/connections/list?${q}`)],
    ['admin', 'connections show', get(`/api/connections/show?${q}&name=main`)],
    ['admin', 'apikey create', post('/api/apikeys/create', (n) => ({ ...scoped, name: `k${n}`, roles: ['admin'] }))],
    ['admin', 'apikey list', get(`/api/apikeys/list?${q}`)],
    ['admin', 'apikey revoke', post('/api/apikeys/revoke', () => ({ ...scoped, key_id: 'nosuch' }))],
    [
      'admin',
      'project invite',
      post('/api/project/invite', (n) => ({ project, email: `inv${n}@example.com`, role: 'viewer' })),
    ],
    [
      'admin',
      'project set-role',
      post('/api/project/members/set-role', (n) => ({ project, user: `set${n}@example.com`, role: 'viewer' })),
    ],
    ['admin', 'project remove', post('/api/project/remove', () => ({ project, user: 'nobody@example.com' }))],
    ['org-admin', 'project create', post('/api/projects', (n) => ({ project: `made${n}` }))],
    ['org-admin', 'org invite', post('/api/org/invite', (n) => ({ email: `org${n}@example.com`, role: 'member' }))],
    [
      'org-admin',
      'org set-role',
      post('/api/org/members/set-role', (n) => ({ user: `orgset${n}@example.com`, role: 'member' })),
    ],
    ['org-admin', 'org remove', post('/api/org/remove', () => ({ user: 'nobody@example.com' }))],
    ['org-member', 'org members', get('/api/org/members')],
  ];
  return list.map(([needs, label, run]) => ({ needs, label, run }));
}

describe('operator RBAC', () => {
  before(async () => {
    hub = await startHub();
  });
  after(() => hub.close());

  test('each role reaches exactly the routes its level allows', async () => {
    const { project } = await createProject(hub);
    const applied = await hub.call(
      'POST',
      '/api/apply',
      { project, env: 'dev', ref: 'r0', schema: [USERS_V1] },
      { token: hub.owner },
    );
    const routes = probes(project, String(expectOk(applied).release_id));
    const pending = await createOperator(hub, 'pending');
    expectOk(
      await hub.call(
        'POST',
        '/api/project/invite',
        { project, email: pending.email, role: 'admin' },
        { token: hub.owner },
      ),
    );
    const orgAdminViewer = await operatorWithRole(hub, undefined, 'admin');
    expectOk(
      await hub.call(
        'POST',
        '/api/project/members/set-role',
        { project, user: orgAdminViewer.email, role: 'viewer' },
        { token: hub.owner },
      ),
    );
    const actors: [string, string, Level, 'admin' | 'member' | 'none'][] = [
      ['no membership', (await createOperator(hub)).token, 'none', 'none'],
      ['pending admin', pending.token, 'none', 'none'],
      ['viewer', (await operatorWithRole(hub, project, 'viewer')).token, 'viewer', 'none'],
      ['deployer', (await operatorWithRole(hub, project, 'deployer')).token, 'deployer', 'none'],
      ['admin', (await operatorWithRole(hub, project, 'admin')).token, 'admin', 'none'],
      ['org member', (await operatorWithRole(hub, undefined, 'member')).token, 'none', 'member'],
      ['org admin', (await operatorWithRole(hub, undefined, 'admin')).token, 'admin', 'admin'],
      ['org admin, project viewer', orgAdminViewer.token, 'viewer', 'admin'],
    ];
    let n = 0;
    for (const [who, token, level, org] of actors) {
      for (const probe of routes) {
        const allowed =
          probe.needs === 'org-admin'
            ? org === 'admin'
            : probe.needs === 'org-member'
              ? org !== 'none'
              : LEVEL[level] >= LEVEL[probe.needs];
        const reply = await probe.run(token, (n += 1));
        if (allowed) assert.notEqual(reply.status, 403, `${who} may ${probe.label}: ${reply.text}`);
        else expectError(reply, 403, 'FORBIDDEN', /^insufficient role$/);
      }
    }
  });

  test('invite stays pending until accepted; set-role activates; removal and demotion act on the next request', async () => {
    const { project } = await createProject(hub);
    const owner = { token: hub.owner };
    const x = await createOperator(hub, 'x');
    const keyList = () =>
      hub.call('GET', `/api/apikeys/list?project=${project}&env=dev`, undefined, { token: x.token });
    assert.deepEqual(
      items(await hub.call('GET', '/api/projects', undefined, { token: x.token })),
      [],
      'no project visible',
    );
    expectOk(await hub.call('POST', '/api/project/invite', { project, email: x.email, role: 'viewer' }, owner));
    const members = items(await hub.call('GET', `/api/project/members?project=${project}`, undefined, owner));
    assert.deepEqual(
      members.map((row) => [row.email, row.role, row.status]),
      [[x.email, 'viewer', 'pending']],
    );
    assert.match(String(members[0]?.created_at), /Z$/);
    expectError(
      await hub.call('GET', `/api/releases?project=${project}&env=dev`, undefined, { token: x.token }),
      403,
      'FORBIDDEN',
    );
    expectOk(
      await hub.call('POST', '/api/project/invite', { project, email: x.email, role: 'deployer' }, owner),
      'a pending invite is replaced',
    );
    assert.deepEqual(expectOk(await hub.call('POST', '/api/project/accept', { project }, { token: x.token })), {
      ok: true,
      email: x.email,
      role: 'deployer',
      status: 'active',
    });
    expectError(await hub.call('POST', '/api/project/accept', { project }, { token: x.token }), 404, 'NOT_FOUND');
    assert.deepEqual(
      items(await hub.call('GET', '/api/projects', undefined, { token: x.token })).map((row) => row.name),
      [project],
    );
    expectError(
      await hub.call('POST', '/api/project/invite', { project, email: x.email, role: 'admin' }, owner),
      409,
      'CONFLICT',
    );
    expectError(await keyList(), 403, 'FORBIDDEN');
    expectOk(await hub.call('POST', '/api/project/members/set-role', { project, user: x.email, role: 'admin' }, owner));
    expectOk(await keyList());
    expectOk(
      await hub.call('POST', '/api/project/members/set-role', { project, user: x.email, role: 'viewer' }, owner),
    );
    expectError(await keyList(), 403, 'FORBIDDEN', /^insufficient role$/);
    expectOk(await hub.call('POST', '/api/project/remove', { project, user: x.email }, owner));
    expectError(
      await hub.call('GET', `/api/releases?project=${project}&env=dev`, undefined, { token: x.token }),
      403,
      'FORBIDDEN',
    );
    assert.deepEqual(items(await hub.call('GET', `/api/project/members?project=${project}`, undefined, owner)), []);
    expectError(
      await hub.call('POST', '/api/project/remove', { project, user: 'nobody@example.com' }, owner),
      404,
      'NOT_FOUND',
    );
    expectError(
      await hub.call('POST', '/api/project/remove', { project, email: 'nobody@example.com' }, owner),
      404,
      'NOT_FOUND',
      /^not a member$/,
    );
    expectOk(
      await hub.call('POST', '/api/project/invite', { project, email: 'later@example.com', role: 'viewer' }, owner),
      'an invitation needs no account yet',
    );
  });

  test('role names are checked after the caller, per scope; org owner rules', async () => {
    const { project } = await createProject(hub);
    const owner = { token: hub.owner };
    expectError(
      await hub.call('POST', '/api/project/invite', { project, email: 'w@example.com', role: 'owner' }, owner),
      422,
      'INVALID_ROLE',
      /^invalid project role$/,
    );
    expectError(
      await hub.call('POST', '/api/org/invite', { email: 'w@example.com', role: 'deployer' }, owner),
      422,
      'INVALID_ROLE',
      /^invalid org role$/,
    );
    const viewer = await operatorWithRole(hub, project, 'viewer');
    expectError(
      await hub.call(
        'POST',
        '/api/project/invite',
        { project, email: 'w@example.com', role: 'owner' },
        { token: viewer.token },
      ),
      403,
      'FORBIDDEN',
    );
    expectError(
      await hub.call(
        'POST',
        '/api/project/invite',
        { project: 'nosuch', email: 'w@example.com', role: 'viewer' },
        { token: viewer.token },
      ),
      403,
      'FORBIDDEN',
      /^insufficient role$/,
    );
    expectError(
      await hub.call(
        'POST',
        '/api/project/invite',
        { project: 'nosuch', email: 'w@example.com', role: 'viewer' },
        owner,
      ),
      404,
      'NOT_FOUND',
    );
    const orgAdmin = await createOperator(hub, 'y');
    expectOk(await hub.call('POST', '/api/org/invite', { email: orgAdmin.email, role: 'admin' }, owner));
    expectError(
      await hub.call('POST', '/api/projects', { project: hub.unique('q') }, { token: orgAdmin.token }),
      403,
      'FORBIDDEN',
      /^insufficient role$/,
    );
    expectOk(await hub.call('POST', '/api/org/accept', {}, { token: orgAdmin.token }));
    const later = hub.unique('later');
    expectOk(
      await hub.call('POST', '/api/projects', { project: later }, { token: orgAdmin.token }),
      'org admin creates projects',
    );
    expectOk(
      await hub.call('POST', '/api/envs', { project: later, env: 'dev' }, { token: orgAdmin.token }),
      'and administers them',
    );
    const orgMembers = items(await hub.call('GET', '/api/org/members', undefined, owner));
    assert.ok(
      orgMembers.some(
        (row) =>
          String(row.email) === orgAdmin.email && String(row.role) === 'admin' && String(row.status) === 'active',
      ),
    );
    expectError(
      await hub.call(
        'POST',
        '/api/org/members/set-role',
        { user: orgAdmin.email, role: 'owner' },
        { token: orgAdmin.token },
      ),
      403,
      'FORBIDDEN',
    );
    expectError(
      await hub.call('POST', '/api/org/remove', { user: 'owner@example.com' }, { token: orgAdmin.token }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await hub.call('POST', '/api/org/members/set-role', { user: 'owner@example.com', role: 'admin' }, owner),
      409,
      'CONFLICT',
      /active owner/,
    );
    expectOk(await hub.call('POST', '/api/org/members/set-role', { user: orgAdmin.email, role: 'owner' }, owner));
    expectOk(await hub.call('POST', '/api/org/members/set-role', { user: orgAdmin.email, role: 'admin' }, owner));
    expectOk(await hub.call('POST', '/api/org/remove', { user: orgAdmin.email }, owner));
    expectError(
      await hub.call('POST', '/api/envs', { project: later, env: 'prod' }, { token: orgAdmin.token }),
      403,
      'FORBIDDEN',
      /^insufficient role$/,
    );
    expectError(await hub.call('POST', '/api/org/accept', {}, { token: orgAdmin.token }), 404, 'NOT_FOUND');
  });
});
