import assert from 'node:assert/strict';
import { bootstrapProject, createApiKey, defineScenario, expectStatus, signupAndLogin } from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';
import { buildClient, type SdkClientOptions } from './sdk-client.ts';
import { expectSdkFailure, recordingFetch, type Sent } from './sdk-fetch.ts';

async function setUp(ctx: ScenarioContext) {
  const bootstrapped = await bootstrapProject(ctx, 'sdk_app');
  const sdk = await buildClient(ctx, bootstrapped.project, bootstrapped.env);
  return { ...bootstrapped, sdk, bridgeUrl: ctx.stack.bridgeUrl };
}

/** The credential headers of a request: which of the two it carried, and with what. */
const credentialOf = (sent: Sent) => ({
  apiKey: sent.headers['x-santokit-api-key'],
  authorization: sent.headers.authorization,
});

export const eachCredentialOnEveryRequest = defineScenario(
  'SDK-005',
  'an API key client and an access-token client each put their one credential on every request and act with it',
  async (ctx) => {
    const { project, env, database, sdk, bridgeUrl } = await setUp(ctx);
    const apiKey = await createApiKey(ctx, project, env, 'admin');
    const server = recordingFetch(ctx);
    const authors =
      sdk.createClient({ bridgeUrl, apiKey, fetch: server.fetch }).db.authors ?? assert.fail('db.authors');
    const [ada] = await authors.insert({ handle: 'ada' });
    await authors.update({ id: ada?.id }, { name: 'Ada' });
    assert.deepEqual(
      (await authors.select()).map((row) => row.name),
      ['Ada'],
    );
    assert.deepEqual(await authors.delete({ id: ada?.id }), { affected: 1 });
    assert.equal(server.sent.length, 4, 'insert, update, select, delete');
    for (const sent of server.sent) assert.deepEqual(credentialOf(sent), { apiKey, authorization: undefined });

    const alice = await signupAndLogin(ctx, project, env);
    const bob = await signupAndLogin(ctx, project, env);
    const asBob =
      sdk.createClient({ bridgeUrl, accessToken: bob.accessToken, project, env }).db.notes ?? assert.fail('db.notes');
    await asBob.insert({ owner_id: bob.sub, body: 'bob only' });
    const user = recordingFetch(ctx);
    const notes =
      sdk.createClient({ bridgeUrl, accessToken: alice.accessToken, project, env, fetch: user.fetch }).db.notes ??
      assert.fail('db.notes');
    const [mine] = await notes.insert({ owner_id: alice.sub, body: 'hello' });
    assert.deepEqual(
      (await notes.select()).map((row) => [row.id, row.body]),
      [[mine?.id, 'hello']],
      'the end user sees only their own notes',
    );
    for (const sent of user.sent) {
      assert.deepEqual(credentialOf(sent), { apiKey: undefined, authorization: `Bearer ${alice.accessToken}` });
      assert.deepEqual(
        [sent.headers['x-santokit-project'], sent.headers['x-santokit-env']],
        [project, env],
        'the hint headers',
      );
    }
    assert.deepEqual(await ctx.db.query(database.name, 'SELECT body FROM notes ORDER BY body'), [
      { body: 'bob only' },
      { body: 'hello' },
    ]);
  },
);

export const misconfiguredAndRefused = defineScenario(
  'SDK-005',
  "both or neither credential throws before any request; a refused token is not refreshed; another user's row is the Bridge's 403",
  async (ctx) => {
    const { project, env, sdk, bridgeUrl } = await setUp(ctx);
    const recorded = recordingFetch(ctx);
    const alice = await signupAndLogin(ctx, project, env);
    const apiKey = await createApiKey(ctx, project, env, 'admin');
    const misconfigured: [SdkClientOptions, RegExp][] = [
      [
        { bridgeUrl, apiKey, accessToken: alice.accessToken },
        /^Exactly one of apiKey or accessToken must be provided$/,
      ],
      [{ bridgeUrl }, /^Exactly one of apiKey or accessToken must be provided$/],
      [{ bridgeUrl, apiKey: '', accessToken: '' }, /^Exactly one of apiKey or accessToken must be provided$/],
      [{ bridgeUrl, apiKey, project }, /^project and env must be given together$/],
    ];
    for (const [options, message] of misconfigured) {
      assert.throws(
        () => sdk.createClient({ ...options, fetch: recorded.fetch }),
        (error: unknown) =>
          error instanceof Error && !(error instanceof sdk.SantokitError) && message.test(error.message),
      );
    }
    assert.equal(recorded.sent.length, 0, 'no request was sent');

    const tampered = `${alice.accessToken.slice(0, -2)}${alice.accessToken.endsWith('AA') ? 'BB' : 'AA'}`;
    const refused =
      sdk.createClient({ bridgeUrl, accessToken: tampered, project, env, fetch: recorded.fetch }).db.notes ??
      assert.fail('db.notes');
    await expectSdkFailure(sdk, recorded, () => refused.select(), 'UNAUTHORIZED', 401);
    assert.equal(recorded.sent.length, 1, 'one request: nothing refreshed or retried');

    const login = await ctx.hub.post('/api/endusers/login', {
      project,
      env,
      email: alice.email,
      password: alice.password,
    });
    expectStatus(login, 200, 'the end user signs in again');
    const token = (login.json as { access_token: string }).access_token;
    const notes =
      sdk.createClient({ bridgeUrl, accessToken: token, project, env, fetch: recorded.fetch }).db.notes ??
      assert.fail('db.notes');
    assert.deepEqual(await notes.select(), [], 'a new client with a valid token works');
    const foreign = () => notes.insert({ owner_id: 'someone-else', body: 'x' });
    await expectSdkFailure(sdk, recorded, foreign, 'FORBIDDEN', 403);
  },
);
