import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  bootstrapProject,
  createApiKey,
  defineScenario,
  eventually,
  expectStatus,
  readProjectFolder,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';
import { buildClient, type SdkModule } from './sdk-client.ts';
import { expectFromLastExchange, expectSdkError, expectSdkFailure, recordingFetch } from './sdk-fetch.ts';

async function appClients(ctx: ScenarioContext) {
  const { project, env, database } = await bootstrapProject(ctx, 'sdk_app');
  const sdk = await buildClient(ctx, project, env);
  const recorded = recordingFetch(ctx);
  const client = (apiKey: string) =>
    sdk.createClient({ bridgeUrl: ctx.stack.bridgeUrl, apiKey, fetch: recorded.fetch }).db;
  return { project, env, database, sdk, recorded, client };
}

export const bridgeErrors = defineScenario(
  'SDK-004',
  "every refusal is a SantokitError with the Bridge's code, message and request id; permissions are judged only by the Bridge",
  async (ctx) => {
    const { project, env, database, sdk, recorded, client } = await appClients(ctx);
    const adminKey = await createApiKey(ctx, project, env, 'admin');
    const admin = client(adminKey);
    const reader = client(await createApiKey(ctx, project, env, 'reader', 'reader'));
    await admin.authors?.insert({ handle: 'ada', name: 'Ada' });

    const before = recorded.sent.length;
    const forbidden = await expectSdkError(
      sdk,
      () => reader.authors?.insert({ handle: 'eve' }) ?? assert.fail(),
      'FORBIDDEN',
    );
    assert.equal(recorded.sent.length, before + 1, 'the forbidden call was sent: the Bridge decided');
    expectFromLastExchange(forbidden, recorded, 403);
    const envelope = JSON.parse(await lastResponseText(ctx)) as { error: { message: string } };
    assert.equal(forbidden.message, envelope.error.message, "the message is the envelope's");
    assert.deepEqual(
      (await reader.authors?.select())?.map((row) => Object.keys(row).sort()),
      [['handle', 'id', 'karma']],
      'rows come as the Bridge shaped them',
    );

    const failures: [() => Promise<unknown>, string, number][] = [
      [() => admin.authors?.select({ where: { shoe_size: 1 } }) ?? assert.fail(), 'SCHEMA_VALIDATION_FAILED', 400],
      [() => admin.authors?.delete({}) ?? assert.fail(), 'BAD_REQUEST', 400],
      [() => admin.authors?.insert({ handle: 'ada' }) ?? assert.fail(), 'CONFLICT', 409],
    ];
    for (const [action, code, status] of failures) await expectSdkFailure(sdk, recorded, action, code, status);
    assert.deepEqual(await ctx.db.query(database.name, 'SELECT handle FROM authors'), [{ handle: 'ada' }]);

    const token = await ctx.operatorToken();
    const v2 = { project, env, ref: 'v2', force: true, ...readProjectFolder(ctx.fixture('sdk_app_v2')) };
    expectStatus(await ctx.hub.post('/api/apply', v2, { token }), 200, 'apply sdk_app_v2 (drops user_profiles)');
    const dropped = () => admin.user_profiles?.select() ?? assert.fail();
    await eventually(() => expectSdkFailure(sdk, recorded, dropped, 'NOT_FOUND', 404), 3_000);

    const keys = await ctx.hub.get('/api/apikeys/list', { query: { project, env }, token });
    const adminId = (keys.json as { id: string; name: string }[]).find((key) => key.name === 'server')?.id;
    expectStatus(
      await ctx.hub.post('/api/apikeys/revoke', { project, env, key_id: adminId }, { token }),
      200,
      'revoke the admin key',
    );
    await eventually(
      () => expectSdkFailure(sdk, recorded, () => admin.authors?.select() ?? assert.fail(), 'UNAUTHORIZED', 401),
      3_000,
    );
  },
);

async function lastResponseText(ctx: ScenarioContext): Promise<string> {
  const last = ctx.transcript.entries.findLast((entry) => entry.kind === 'http');
  return last?.kind === 'http' ? last.responseBody : '';
}

/** A loopback server standing for a gateway in front of the Bridge: answers each request with the next canned reply. */
async function gateway(
  replies: { status: number; body: string; headers?: Record<string, string> }[],
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const reply = replies.shift() ?? { status: 500, body: '' };
    request.resume();
    response.writeHead(reply.status, reply.headers).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export const transportAndOddAnswers = defineScenario(
  'SDK-004',
  'network failures are not wrapped; answers that are not an envelope become INTERNAL_ERROR with the raw text',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'basic');
    const sdk: SdkModule = await buildClient(ctx, project, env);
    const closed = await gateway([]);
    await new Promise((resolve) => closed.server.close(resolve));
    let networkError: unknown;
    await sdk
      .createClient({ bridgeUrl: closed.url, apiKey: 'k.s' })
      .db.users?.select()
      .catch((error: unknown) => void (networkError = error));
    assert.ok(networkError instanceof TypeError, `the platform's own error: ${String(networkError)}`);
    assert.ok(!(networkError instanceof sdk.SantokitError));

    const { url, server } = await gateway([
      { status: 502, body: 'upstream unavailable', headers: { 'content-type': 'text/plain', 'x-request-id': 'gw-1' } },
      { status: 503, body: '{"status":"down"}', headers: { 'content-type': 'application/json' } },
      { status: 500, body: '' },
    ]);
    try {
      const users = sdk.createClient({ bridgeUrl: url, apiKey: 'k.s' }).db.users ?? assert.fail('db.users');
      const text = await expectSdkError(sdk, () => users.select(), 'INTERNAL_ERROR');
      assert.deepEqual([text.message, text.requestId], ['upstream unavailable', 'gw-1']);
      const json = await expectSdkError(sdk, () => users.select(), 'INTERNAL_ERROR');
      assert.deepEqual([json.message, json.requestId], ['{"status":"down"}', '']);
      const empty = await expectSdkError(sdk, () => users.select(), 'INTERNAL_ERROR');
      assert.equal(empty.message, 'Request failed: 500');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  },
);
