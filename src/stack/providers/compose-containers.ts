/**
 * The containers of a compose project as the readiness machinery sees them:
 * found by their compose labels (so compose v1 and v2 both work), their
 * output followed into a ServiceOutput, their death as a promise.
 */
import type { ContainerInfo } from 'dockerode';
import { execa } from 'execa';
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';
import { sleep, type ExitInfo } from '../probes/probe.ts';
import { mergedTail, parseStamped } from './container-log-tail.ts';
import { createServiceOutput, type ServiceOutput } from '../service-output.ts';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';

export interface ComposeContainer {
  readonly service: string;
  readonly id: string;
  /** Host port bound to `containerPort`, if published. */
  hostPort(containerPort: number): number | undefined;
}

/** Every container of the project, running or not, by compose service name. */
export async function listProjectContainers(projectName: string): Promise<Map<string, ComposeContainer>> {
  const client = await getContainerRuntimeClient();
  const infos: ContainerInfo[] = await client.container.dockerode.listContainers({
    all: true,
    filters: { label: [`${PROJECT_LABEL}=${projectName}`] },
  });
  const byService = new Map<string, ComposeContainer>();
  for (const info of infos) {
    const service = info.Labels[SERVICE_LABEL];
    if (!service || byService.has(service)) continue;
    byService.set(service, {
      service,
      id: info.Id,
      hostPort: (containerPort) =>
        info.Ports.find((port) => port.PrivatePort === containerPort && port.PublicPort)?.PublicPort,
    });
  }
  return byService;
}

export interface ContainerFollower {
  readonly output: ServiceOutput;
  /** Settles when the log stream ended (the container stopped) or `close()` was called. */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

/**
 * Follows a container's output (from its start) into a ServiceOutput that
 * also writes `<logDir>/<service>.log`. The follow ends when the container is
 * removed; `close()` ends it earlier.
 */
export async function followContainerOutput(
  container: ComposeContainer,
  options: {
    readonly logDir?: string;
    readonly onLine?: (service: string, line: string) => void;
    readonly redact?: (line: string) => string;
  },
): Promise<ContainerFollower> {
  const client = await getContainerRuntimeClient();
  const output = createServiceOutput(container.service, options);
  const stream = await client.container.logs(client.container.getById(container.id));
  const writer = output.writer();
  const ended = new Promise<void>((resolve) => {
    stream.on('close', resolve);
    stream.on('end', resolve);
    stream.on('error', () => resolve());
  }).then(writer.end);
  stream.on('data', (chunk: Buffer | string) => writer.write(String(chunk)));
  return {
    output,
    ended,
    async close() {
      stream.destroy();
      writer.end();
      await output.close();
    },
  };
}

/** Settles when the container has exited (or vanished); polls until `signal` aborts. */
export async function containerExit(container: ComposeContainer, signal: AbortSignal): Promise<ExitInfo> {
  const client: ContainerRuntimeClient = await getContainerRuntimeClient();
  const handle = client.container.getById(container.id);
  for (;;) {
    try {
      const state = (await client.container.inspect(handle)).State;
      if (state.Status === 'exited' || state.Status === 'dead') return { code: state.ExitCode, signal: null };
    } catch {
      return { code: null, signal: null };
    }
    await sleep(250, signal).catch(() => new Promise<never>(() => undefined));
  }
}

/**
 * The last `lines` lines of a stopped container, stdout and stderr together,
 * read once from Docker's log file. A follow stream can end without the
 * container's final lines (the daemon closes it at exit, racing its own log
 * copier); this read cannot. Docker may stamp a final stderr line before
 * stdout lines written earlier, so more is read than shown and mergedTail keeps
 * the last stderr lines. Undefined when Docker does not answer.
 */
export async function finalOutput(container: ComposeContainer, lines: number): Promise<string[] | undefined> {
  const result = await execa('docker', ['logs', '--timestamps', '--tail', String(lines * READ_FACTOR), container.id], {
    reject: false,
    timeout: 10_000,
  });
  if (result.exitCode !== 0) return undefined;
  return mergedTail(
    parseStamped(String(result.stdout), 'stdout'),
    parseStamped(String(result.stderr), 'stderr'),
    lines,
  );
}

/** How many times the shown lines finalOutput reads, so a stderr line stamped early is still in reach. */
const READ_FACTOR = 4;
