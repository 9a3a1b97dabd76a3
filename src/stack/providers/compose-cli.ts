/**
 * The Docker side of the compose provider: is an engine there, which compose
 * answers (`docker compose` v2, or Debian's `docker-compose` 1.29 when no
 * plugin or shim is installed), and a `down` that works whether or not `up`
 * finished.
 */
import { execa } from 'execa';

export type ComposeFlavour = 'plugin' | 'standalone';

export interface DockerCheck {
  readonly ok: boolean;
  readonly flavour?: ComposeFlavour;
  /** Why not, for the failure message. */
  readonly problem?: readonly string[];
}

const CHECK_TIMEOUT_MS = 10_000;

async function answers(file: string, args: readonly string[]): Promise<{ ok: boolean; output: string }> {
  const result = await execa(file, args, { reject: false, timeout: CHECK_TIMEOUT_MS, all: true });
  return { ok: result.exitCode === 0, output: String(result.all ?? result.message ?? '') };
}

/** Whether `docker info` reaches an engine, and how compose is called. */
export async function checkDocker(): Promise<DockerCheck> {
  const info = await answers('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (!info.ok) return { ok: false, problem: ['docker info failed:', ...info.output.split('\n').slice(-10)] };
  if ((await answers('docker', ['compose', 'version'])).ok) return { ok: true, flavour: 'plugin' };
  if ((await answers('docker-compose', ['version'])).ok) return { ok: true, flavour: 'standalone' };
  return { ok: false, problem: ['neither `docker compose` nor `docker-compose` answers'] };
}

/** Whether a Docker engine answers, for tests that must skip without one. */
export async function dockerEngineAvailable(): Promise<boolean> {
  return (await answers('docker', ['info', '--format', '{{.ServerVersion}}'])).ok;
}

export interface ComposeProject {
  readonly name: string;
  readonly cwd: string;
  readonly files: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly flavour: ComposeFlavour;
}

function composeArgv(project: ComposeProject, args: readonly string[]): [string, string[]] {
  const common = ['-p', project.name, ...project.files.flatMap((file) => ['-f', file]), ...args];
  return project.flavour === 'plugin' ? ['docker', ['compose', ...common]] : ['docker-compose', common];
}

/** `down --volumes`: containers, network and volumes of the project are removed. */
export async function composeDown(project: ComposeProject, timeoutS = 2): Promise<void> {
  const [file, args] = composeArgv(project, ['down', '--volumes', '--remove-orphans', '-t', String(timeoutS)]);
  const result = await execa(file, args, {
    cwd: project.cwd,
    env: project.env,
    reject: false,
    all: true,
    timeout: 60_000,
  });
  if (result.exitCode !== 0)
    throw new Error(`compose down of ${project.name} failed: ${String(result.all ?? result.message)}`);
}

/** Names a compose service's first container may have: v2 `<service>-1` (as testcontainers strips the project) or v1 `<project>_<service>_1`. */
export function containerNames(projectName: string, service: string): string[] {
  return [`${service}-1`, `${projectName}_${service}_1`];
}

/**
 * Image variables for docker-compose.yaml: what the environment says, else
 * the newest locally built `santokit-it/*` image (docker/build-local-images.sh)
 * when there is one, else nothing (the compose file's public defaults).
 */
export async function localImageDefaults(
  env: Readonly<Record<string, string | undefined>>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const newest = async (repository: string, tagPrefix: string) => {
    const listed = await execa('docker', ['images', repository, '--format', '{{.Tag}}'], {
      reject: false,
      timeout: CHECK_TIMEOUT_MS,
    });
    // `docker images` lists newest first.
    const tag = String(listed.stdout ?? '')
      .split('\n')
      .find((line) => line.startsWith(tagPrefix));
    return tag ? `${repository}:${tag}` : undefined;
  };
  const postgres = env.STK_IT_POSTGRES_IMAGE ?? (await newest('santokit-it/postgres', 'bookworm'));
  const node = env.STK_IT_NODE_IMAGE ?? (await newest('santokit-it/node-base', process.version));
  if (postgres) out.STK_IT_POSTGRES_IMAGE = postgres;
  if (node) out.STK_IT_NODE_IMAGE = node;
  return out;
}

const REFERENCE_IMAGE = 'santokit-it/reference';

/**
 * Removes the `santokit-it/reference:src-*` tags other than `keep`: every
 * change to the reference stack builds a new image of some 340 MB. Without
 * --force, so an image a container still uses stays.
 */
export async function removeStaleReferenceImages(keep: string): Promise<void> {
  const listed = await execa('docker', ['images', REFERENCE_IMAGE, '--format', '{{.Tag}}'], {
    reject: false,
    timeout: CHECK_TIMEOUT_MS,
  });
  if (listed.exitCode !== 0) return;
  const stale = String(listed.stdout)
    .split('\n')
    .filter((tag) => tag.startsWith('src-') && tag !== keep);
  for (const tag of stale)
    await execa('docker', ['rmi', `${REFERENCE_IMAGE}:${tag}`], { reject: false, timeout: 60_000 });
}
