/**
 * After `compose up`: find each service's container by label, follow its
 * output, and wait until the Hub and Bridge answer their health URL and the db
 * answers `SELECT 1` (and the idp and object store their health URL), all from
 * the host, each wait racing the container's exit.
 */
import { join } from 'node:path';
import { StackStartError } from '../../errors.ts';
import { httpProbe } from '../probes/http-probe.ts';
import { postgresProbe } from '../probes/postgres-probe.ts';
import { awaitReady, sleep, type Probe } from '../probes/probe.ts';
import { startTogether } from '../start-together.ts';
import type { LogTail, ServiceLines, StackStartContext } from '../types.ts';
import {
  containerExit,
  finalOutput,
  followContainerOutput,
  listProjectContainers,
  type ComposeContainer,
  type ContainerFollower,
} from './compose-containers.ts';
import { settleWithin } from '../../util/async.ts';

export interface ComposeEndpoints {
  readonly hubPort: number;
  readonly bridgePort: number;
  readonly dbPort: number;
  readonly idpPort: number;
  readonly objectStorePort: number;
  readonly cliContainer: string;
  logTails(lines?: number): LogTail[];
  logLinesSince(from: number): ServiceLines[];
}

const SERVICES = ['db', 'hub', 'bridge', 'idp', 'objectstore', 'cli'] as const;
type ComposeService = (typeof SERVICES)[number];
const CONTAINER_PORTS: Readonly<Record<ComposeService, number | undefined>> = {
  db: 5432,
  hub: 4000,
  bridge: 3000,
  idp: 4100,
  objectstore: 4200,
  cli: undefined,
};

export async function awaitComposeServices(
  projectName: string,
  context: StackStartContext,
  deadlineMs: number,
): Promise<ComposeEndpoints> {
  const found = await listProjectContainers(projectName);
  const containers = Object.fromEntries(
    SERVICES.map((service) => [service, found.get(service) ?? missing(service)]),
  ) as Record<ComposeService, ComposeContainer>;
  const followers = await followAll(Object.values(containers), context);
  const port = (service: ComposeService) => containers[service].hostPort(CONTAINER_PORTS[service] ?? 0);
  const ports = {
    db: port('db'),
    hub: port('hub'),
    bridge: port('bridge'),
    idp: port('idp'),
    objectstore: port('objectstore'),
  };
  const probes: Record<ComposeService, Probe[]> = {
    db: [
      ports.db
        ? postgresProbe(`postgres://stk:stk@127.0.0.1:${ports.db}/postgres`, `postgres at 127.0.0.1:${ports.db}`)
        : unpublished('db'),
    ],
    hub: [ports.hub ? httpProbe(`http://127.0.0.1:${ports.hub}/healthz`, { maxIntervalMs: 500 }) : unpublished('hub')],
    bridge: [
      ports.bridge
        ? httpProbe(`http://127.0.0.1:${ports.bridge}/healthz`, { maxIntervalMs: 500 })
        : unpublished('bridge'),
    ],
    idp: [ports.idp ? httpProbe(`http://127.0.0.1:${ports.idp}/healthz`, { maxIntervalMs: 500 }) : unpublished('idp')],
    objectstore: [
      ports.objectstore
        ? httpProbe(`http://127.0.0.1:${ports.objectstore}/healthz`, { maxIntervalMs: 500 })
        : unpublished('objectstore'),
    ],
    cli: [],
  };
  const wait = (service: ComposeService) => (signal: AbortSignal) =>
    awaitContainer(
      containers[service],
      followers.get(service) as ContainerFollower,
      probes[service],
      deadlineMs,
      signal,
    );
  await startTogether<void[]>(context.signal, SERVICES.map(wait));
  return {
    hubPort: ports.hub as number,
    bridgePort: ports.bridge as number,
    dbPort: ports.db as number,
    idpPort: ports.idp as number,
    objectStorePort: ports.objectstore as number,
    cliContainer: containers.cli.id,
    logTails: (lines = 50) =>
      [...followers.values()].map(({ output }) => ({ service: output.name, lines: output.tail(lines) })),
    logLinesSince: (from) =>
      [...followers.values()].map(({ output }) => ({ service: output.name, lines: output.since(from) })),
  };
}

async function followAll(
  containers: readonly ComposeContainer[],
  context: StackStartContext,
): Promise<Map<string, ContainerFollower>> {
  const followers: ContainerFollower[] = [];
  context.teardowns.defer('close compose log followers', async () => {
    await Promise.all(followers.map((follower) => follower.close()));
  });
  const byService = new Map<string, ContainerFollower>();
  for (const container of containers) {
    const follower = await followContainerOutput(container, {
      logDir: join(context.outputDir, 'logs'),
      onLine: context.onServiceLine,
      redact: context.redactor?.text,
    });
    followers.push(follower);
    byService.set(container.service, follower);
  }
  return byService;
}

/** How long an exited container's log stream gets to deliver its last lines (generous: a loaded Docker daemon is slow to flush). */
const LOG_DRAIN_MS = 5_000;

/** Lines of an exited container's own log read for its failure report. */
const EXIT_TAIL_LINES = 50;

async function awaitContainer(
  container: ComposeContainer,
  follower: ContainerFollower,
  probes: readonly Probe[],
  deadlineMs: number,
  signal: AbortSignal,
): Promise<void> {
  const watching = new AbortController();
  let exitTail: readonly string[] | undefined;
  const exited = containerExit(container, watching.signal).then(async (exit) => {
    await settleWithin(follower.ended, LOG_DRAIN_MS);
    exitTail = await finalOutput(container, EXIT_TAIL_LINES);
    return exit;
  });
  try {
    await awaitReady({
      service: container.service,
      probes,
      output: follower.output,
      deadlineMs,
      exited,
      signal,
      logTail: () => exitTail ?? follower.output.tail(),
    });
  } finally {
    watching.abort();
  }
}

/**
 * A container without its host port is most likely one that already exited:
 * give the exit watch a moment to say so before failing on the port.
 */
function unpublished(service: ComposeService): Probe {
  const description = `a host port for ${service}:${CONTAINER_PORTS[service]}`;
  return {
    description,
    async wait(_output, signal) {
      // Longer than the exit watch plus LOG_DRAIN_MS, so an exited container is reported as exited, with its last lines.
      await sleep(LOG_DRAIN_MS + 2_000, signal);
      throw new Error(`port ${CONTAINER_PORTS[service]} is not published on the host`);
    },
  };
}

function missing(service: string): never {
  throw new StackStartError(`compose started no ${service} container`, {
    service,
    waitedFor: `a container labelled com.docker.compose.service=${service}`,
    exitCode: null,
    logTail: [`docker-compose.yaml must define the service "${service}".`],
  });
}
