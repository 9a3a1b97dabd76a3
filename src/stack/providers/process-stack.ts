/**
 * A stack of local processes: PostgreSQL (embedded, container or a URL), then
 * the Hub; the Bridge starts at the same time as PostgreSQL because it only
 * needs the Hub's URL, which is fixed once the ports are chosen. Shared by the
 * embedded provider (reference stack) and the process provider (user binaries).
 */
import { join } from 'node:path';
import { StackStartError } from '../../errors.ts';
import { startContainerPostgres } from '../postgres/container-postgres.ts';
import { startEmbeddedPostgres } from '../postgres/embedded-postgres.ts';
import { HUB_DATABASE_PREFIX, rememberServer, serverOf } from '../postgres/database-now.ts';
import { dropDatabase, ensureDatabase, samePostgresEverywhere, type StackPostgres } from '../postgres/postgres.ts';
import { createRunDatabases } from '../postgres/run-databases.ts';
import { freePort } from '../ports.ts';
import { httpProbe } from '../probes/http-probe.ts';
import { LOOPBACK_ONLY_ENV, type DbSource, type CommandLine, type Operator } from '../options.ts';
import {
  bridgeEnv,
  createStackSecrets,
  hubEnv,
  idpEnv,
  objectStoreEnv,
  randomToken,
  registerDatabaseUrl,
  registerOperator,
  registerStackSecrets,
} from '../secrets.ts';
import { own } from '../resources.ts';
import { createService, type ServiceContext, type StartedService } from '../service.ts';
import { startTogether } from '../start-together.ts';
import { createLocalStk } from '../stk.ts';
import { createTempDir } from '../temp-dir.ts';
import type { LogTail, ServiceLines, StackHandles, StackStartContext } from '../types.ts';

export interface ProcessStackPlan {
  readonly kind: 'embedded' | 'process';
  readonly hub: CommandLine;
  readonly bridge: CommandLine;
  /** The test identity provider (the reference idp for every stack). */
  readonly idp: CommandLine;
  /** The S3-compatible object store (the reference objectstore for every stack). */
  readonly objectStore: CommandLine;
  /** argv prefix of stk. */
  readonly stk: readonly string[];
  /** Working directory of the Hub and Bridge. */
  readonly cwd: string;
  readonly db: DbSource;
  readonly databaseUrl?: string;
  readonly operator: Operator;
  readonly startTimeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How a service runs now, for `StackHandles.restart` (a warm stack following source edits); default: as at the start. */
  readonly currentCommand?: (service: HttpService) => Promise<CommandLine>;
}

type HttpService = 'hub' | 'bridge' | 'idp' | 'objectstore';
const PLAN_COMMAND = { hub: 'hub', bridge: 'bridge', idp: 'idp', objectstore: 'objectStore' } as const;

export const HEALTH_PATH = '/healthz';

export async function startProcessStack(plan: ProcessStackPlan, context: StackStartContext): Promise<StackHandles> {
  const services: StartedService[] = [];
  const base: ServiceContext = {
    teardowns: context.teardowns,
    signal: context.signal,
    logDir: join(context.outputDir, 'logs'),
    onLine: context.onServiceLine,
    redact: context.redactor?.text,
  };
  const secrets = createStackSecrets();
  registerStackSecrets(context.redactor, secrets);
  registerOperator(context.redactor, plan.operator);
  registerDatabaseUrl(context.redactor, plan.databaseUrl);
  const [hubPort, bridgePort, idpPort, storePort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
  const idpUrl = `http://127.0.0.1:${idpPort}`;
  const storeUrl = `http://127.0.0.1:${storePort}`;
  // Each HTTP service as it was started, so `restart` can start it again on its port with its settings.
  const started = new Map<
    string,
    { name: HttpService; env: Readonly<Record<string, string | undefined>>; healthUrl: string }
  >();
  const serve = async (
    name: HttpService,
    command: CommandLine,
    env: Readonly<Record<string, string | undefined>>,
    healthUrl: string,
    signal: AbortSignal,
  ) => {
    started.set(name, { name, env, healthUrl });
    services.push(await startHttpService(name, command, env, healthUrl, plan, { ...base, signal }));
  };
  const startHub = async (signal: AbortSignal) => {
    const postgres = await startPostgres(plan, { ...base, signal });
    registerDatabaseUrl(context.redactor, postgres.adminUrl);
    if (postgres.service) services.unshift(postgres.service);
    const hubDatabase = await hubDatabaseOf(plan, postgres, base);
    const env = { ...hubEnv(secrets, hubPort, postgres.serviceUrl(hubDatabase), plan.operator), ...plan.hub.env };
    await serve('hub', plan.hub, env, `${hubUrl}${HEALTH_PATH}`, signal);
    return postgres;
  };
  const startBridge = async (signal: AbortSignal) => {
    const env = { ...bridgeEnv(secrets, bridgePort, hubUrl, storeUrl), ...plan.bridge.env };
    await serve('bridge', plan.bridge, env, `${bridgeUrl}${HEALTH_PATH}`, signal);
  };
  const startIdp = async (signal: AbortSignal) => {
    await serve('idp', plan.idp, { ...idpEnv(idpPort), ...plan.idp.env }, `${idpUrl}${HEALTH_PATH}`, signal);
  };
  const startObjectStore = async (signal: AbortSignal) => {
    const dataDir = await createTempDir('santokit-it-objects-', context.teardowns);
    const env = { ...objectStoreEnv(secrets, storePort, dataDir), ...plan.objectStore.env };
    await serve('objectstore', plan.objectStore, env, `${storeUrl}${HEALTH_PATH}`, signal);
  };
  const [postgres] = await startTogether<[StackPostgres, void, void, void]>(context.signal, [
    startHub,
    startBridge,
    startIdp,
    startObjectStore,
  ]);
  const workDir = await createTempDir('santokit-it-work-', context.teardowns);
  return {
    kind: plan.kind,
    hubUrl,
    bridgeUrl,
    adminDatabaseUrl: postgres.adminUrl,
    runnerDatabaseUrl: postgres.runnerUrl,
    serviceDatabaseUrl: postgres.serviceUrl,
    stk: createLocalStk(plan.stk, { STK_HUB_URL: hubUrl, ...LOOPBACK_ONLY_ENV }),
    idp: { url: idpUrl, issuer: idpUrl },
    objectStore: { url: storeUrl, endpoint: storeUrl },
    operator: plan.operator,
    workDir,
    ...(plan.db === 'url' ? { adoptDatabase: createRunDatabases(context.teardowns, postgres.adminUrl) } : {}),
    logTails: (lines = 50) => tailsOf(services, lines),
    logLinesSince: (from) => linesSince(services, from),
    async restart(names) {
      for (const name of names) {
        const settings = started.get(name);
        const index = services.findIndex((service) => service.name === name);
        if (!settings || index < 0) continue;
        await services[index]?.stop();
        const command = (await plan.currentCommand?.(settings.name)) ?? plan[PLAN_COMMAND[settings.name]];
        services[index] = await startHttpService(name, command, settings.env, settings.healthUrl, plan, {
          ...base,
          signal: context.signal,
        });
      }
    },
  };
}

function startPostgres(plan: ProcessStackPlan, context: ServiceContext): Promise<StackPostgres> {
  if (plan.db === 'container') return startContainerPostgres(context, plan.env);
  if (plan.db === 'url') return Promise.resolve(samePostgresEverywhere(plan.databaseUrl as string));
  return startEmbeddedPostgres(context);
}

/**
 * The Hub's own database. A server of our own gets `santokit_hub`; a shared
 * one (`--db url`) gets a name unique to this run, owned before it is created
 * (database-now.ts says what the second Ctrl-C and the next sweep may do).
 */
async function hubDatabaseOf(
  plan: ProcessStackPlan,
  postgres: StackPostgres,
  context: ServiceContext,
): Promise<string> {
  const name = plan.db === 'url' ? `${HUB_DATABASE_PREFIX}${randomToken(8).toLowerCase()}` : 'santokit_hub';
  if (plan.db === 'url') {
    rememberServer(postgres.adminUrl);
    const leftover = { kind: 'database', server: serverOf(postgres.adminUrl), name } as const;
    own(context.teardowns, `drop database ${name}`, () => dropDatabase(postgres.adminUrl, name), leftover);
  }
  context.signal.throwIfAborted();
  try {
    await ensureDatabase(postgres.adminUrl, name);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StackStartError(`postgres: cannot create database ${name}: ${reason}`, {
      service: 'postgres',
      waitedFor: `CREATE DATABASE ${name} on ${redactPassword(postgres.adminUrl)}`,
      exitCode: null,
      logTail: [reason],
    });
  }
  return name;
}

function startHttpService(
  name: string,
  command: CommandLine,
  env: Readonly<Record<string, string | undefined>>,
  healthUrl: string,
  plan: ProcessStackPlan,
  context: ServiceContext,
): Promise<StartedService> {
  return createService({
    name,
    command: command.command,
    args: command.args,
    env,
    cwd: plan.cwd,
    probes: [httpProbe(healthUrl)],
    startTimeoutMs: plan.startTimeoutMs,
  }).start(context);
}

const TAIL_ORDER = ['postgres', 'hub', 'bridge', 'idp', 'objectstore'];

function tailsOf(services: readonly StartedService[], lines: number): LogTail[] {
  const rank = (name: string) => TAIL_ORDER.indexOf(name);
  return [...services]
    .sort((a, b) => rank(a.name) - rank(b.name))
    .map((service) => ({ service: service.name, lines: service.output.tail(lines) }));
}

function linesSince(services: readonly StartedService[], from: number): ServiceLines[] {
  const rank = (name: string) => TAIL_ORDER.indexOf(name);
  return [...services]
    .sort((a, b) => rank(a.name) - rank(b.name))
    .map((service) => ({ service: service.name, lines: service.output.since(from) }));
}

export function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
