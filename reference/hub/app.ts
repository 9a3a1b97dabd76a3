/** `createHubApp(deps)`: every route, request ids, and the one place errors become the envelope. */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { HubApp, HubDeps, HubEnv } from './deps.ts';
import { envelope, HttpError } from '../shared/http-error.ts';
import { createEventBus } from './events.ts';
import { registerApplyRoutes } from './routes/apply.ts';
import { registerApiKeyRoutes } from './routes/apikeys.ts';
import { registerConnectionRoutes } from './routes/connections.ts';
import { registerDriftRoutes } from './routes/drift.ts';
import { registerEndUserRoutes } from './routes/endusers.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerInternalRoutes } from './routes/internal.ts';
import { registerMemberRoutes } from './routes/members.ts';
import { registerOidcRoutes } from './routes/oidc.ts';
import { registerOidcFlowRoutes } from './routes/oidc-flow.ts';
import { registerOperatorRoutes } from './routes/operators.ts';
import { registerProjectRoutes } from './routes/projects.ts';
import { registerReleaseRoutes } from './routes/releases.ts';
import { registerTestControls } from './routes/test-controls.ts';

export function createHubApp(given: HubDeps): HubApp {
  const deps: HubDeps = given.events ? given : { ...given, events: createEventBus(given.log) };
  const app = new Hono<HubEnv>();
  app.use(async (c, next) => {
    const requestId = randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    deps.log(
      `${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - started)}ms id=${requestId}`,
    );
  });
  for (const register of [
    registerHealthRoutes,
    registerOperatorRoutes,
    registerProjectRoutes,
    registerConnectionRoutes,
    registerApplyRoutes,
    registerReleaseRoutes,
    registerApiKeyRoutes,
    registerEndUserRoutes,
    registerMemberRoutes,
    registerDriftRoutes,
    registerOidcRoutes,
    registerOidcFlowRoutes,
    registerInternalRoutes,
    registerTestControls,
  ]) {
    register(app, deps);
  }
  app.notFound((c) =>
    c.json(envelope(new HttpError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`), c.get('requestId')), 404),
  );
  app.onError((error, c) => {
    const known = error instanceof HttpError ? error : undefined;
    const failure = known ?? new HttpError('INTERNAL_ERROR', 'internal error');
    if (!known) deps.log(`error id=${c.get('requestId')}: ${error instanceof Error ? error.message : String(error)}`);
    return c.json(envelope(failure, c.get('requestId')), failure.status as 400);
  });
  return app;
}
