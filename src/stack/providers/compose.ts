/**
 * `--stack compose`: `docker-compose.yaml` brought up by testcontainers'
 * DockerComposeEnvironment under a project name unique to the run, with
 * Docker choosing the host ports. Readiness is checked from the host (HTTP
 * health of Hub and Bridge, `SELECT 1` on the db), each wait racing the
 * container's exit; `stk` runs through `docker exec` in the `cli` container.
 * Teardown is `down --volumes`, then the reference images of older sources go.
 */
import { join } from 'node:path';
import {
  DockerComposeEnvironment,
  Wait,
  type StartedDockerComposeEnvironment,
  type WaitStrategy,
} from 'testcontainers';
import { StackStartError } from '../../errors.ts';
import { DEFAULT_OPERATOR, type StackOptions } from '../options.ts';
import { withDatabase } from '../postgres/postgres.ts';
import type { SecretSink } from '../../redact/redactor.ts';
import { createStackSecrets, randomToken, registerOperator, registerStackSecrets } from '../secrets.ts';
import { createDockerExecStk } from '../stk.ts';
import { createTempDir } from '../temp-dir.ts';
import { own } from '../resources.ts';
import { raceAbort, settleWithin } from '../../util/async.ts';
import type { StackHandles, StackProvider, StackStartContext } from '../types.ts';
import {
  checkDocker,
  composeDown,
  containerNames,
  localImageDefaults,
  removeStaleReferenceImages,
  type ComposeProject,
} from './compose-cli.ts';
import { awaitComposeServices, type ComposeEndpoints } from './compose-readiness.ts';
import { referenceImageTag } from './reference-image.ts';

export const COMPOSE_FILE = 'docker-compose.yaml';
export const UPSTREAM_OVERRIDE = 'docker/compose.upstream.yaml';
/** Where the cli container sees this package's fixture folders and the run's work dir. */
export const FIXTURES_MOUNT = { host: join('src', 'scenarios', 'fixtures'), container: '/fixtures' };
export const WORK_MOUNT = '/stk-work';
const DB_CREDENTIALS = 'stk:stk';
/** The idp's issuer inside the compose network (docker-compose.yaml); the runner reaches it at its published port. */
export const IDP_IN_NETWORK = 'http://idp:4100';
/** The object store as the Bridge reaches it (docker-compose.yaml): the origin of every URL it signs. */
export const OBJECTSTORE_IN_NETWORK = 'http://objectstore:4200';
const DEFAULT_COMPOSE_START_MS = 180_000;
/** How long teardown lets an unfinished `up` settle before running `down` anyway. */
const SETTLE_BEFORE_DOWN_MS = 25_000;

export function createComposeProvider(options: StackOptions): StackProvider {
  return { kind: 'compose', start: (context) => startCompose(options, context) };
}

async function startCompose(options: StackOptions, context: StackStartContext): Promise<StackHandles> {
  const docker = await checkDocker();
  if (!docker.ok || !docker.flavour) throw noDocker(docker.problem ?? []);
  context.signal.throwIfAborted();
  const workDir = await createTempDir('santokit-it-work-', context.teardowns);
  const project = composeProject(
    options,
    docker.flavour,
    workDir,
    await localImageDefaults(options.env ?? process.env),
    context.redactor,
  );
  // Registered before `down`, so it runs after it: the project's own containers no longer hold an image then.
  context.teardowns.defer('remove stale reference images', () =>
    removeStaleReferenceImages(project.env.STK_IT_REFERENCE_TAG ?? ''),
  );
  await upProject(project, options, context);
  const endpoints = await awaitComposeServices(
    project.name,
    context,
    options.startTimeoutMs ?? DEFAULT_COMPOSE_START_MS,
  );
  return handlesOf(project, endpoints, options, workDir);
}

function composeProject(
  options: StackOptions,
  flavour: ComposeProject['flavour'],
  workDir: string,
  images: Record<string, string>,
  secretSink?: SecretSink,
): ComposeProject {
  const env = options.env ?? process.env;
  const santokitSrc = options.compose?.santokitSrc ?? env.SANTOKIT_SRC;
  const secrets = createStackSecrets();
  registerStackSecrets(secretSink, secrets);
  registerOperator(secretSink, options.operator ?? DEFAULT_OPERATOR);
  const operator = options.operator ?? DEFAULT_OPERATOR;
  const projectEnv: Record<string, string> = {
    ...definedOnly(env),
    ...images,
    // Empty host ports: Docker picks free ones, so runs never collide.
    STK_IT_HUB_PORT: '',
    STK_IT_BRIDGE_PORT: '',
    STK_IT_DB_PORT: '',
    STK_IT_IDP_PORT: '',
    STK_IT_OBJECTSTORE_PORT: '',
    STK_IT_WORK_DIR: workDir,
    STK_IT_REFERENCE_TAG: referenceImageTag(options.repoRoot),
    STK_PASETO_KEYS: secrets.pasetoKeys,
    STK_SECRET_KEY: secrets.secretKey,
    STK_SERVICE_TOKEN: secrets.serviceToken,
    STK_IT_STORAGE_ACCESS_KEY_ID: secrets.storageAccessKeyId,
    STK_IT_STORAGE_SECRET_KEY: secrets.storageSecretKey,
    STK_OPERATOR_EMAIL: operator.email,
    STK_OPERATOR_PASSWORD: operator.password,
    ...(santokitSrc ? { SANTOKIT_SRC: santokitSrc } : {}),
  };
  return {
    name: options.compose?.projectName ?? `santokitit${randomToken(10).toLowerCase()}`,
    cwd: options.repoRoot,
    files: [COMPOSE_FILE, ...(santokitSrc ? [UPSTREAM_OVERRIDE] : []), ...(options.compose?.files ?? [])],
    env: projectEnv,
    flavour,
  };
}

/** Registers `down` first, then runs `up`; readiness is checked afterwards by us, not by testcontainers. */
async function upProject(project: ComposeProject, options: StackOptions, context: StackStartContext): Promise<void> {
  let up: Promise<StartedDockerComposeEnvironment> | undefined;
  const down = async () => {
    await settleWithin(up, SETTLE_BEFORE_DOWN_MS);
    await composeDown(project);
  };
  own(context.teardowns, `compose down ${project.name}`, down, { kind: 'compose', project: project.name });
  let environment = new DockerComposeEnvironment(project.cwd, [...project.files])
    .withProjectName(project.name)
    // Our own teardown and emergency kill remove the project; the reaper would only add an image pull.
    .withAutoCleanup(false)
    .withEnvironment(project.env)
    .withDefaultWaitStrategy(NO_WAIT);
  // The db is healthy before `up` returns (depends_on); its healthcheck is the one wait left to testcontainers.
  for (const name of containerNames(project.name, 'db'))
    environment = environment.withWaitStrategy(name, Wait.forHealthCheck());
  // Default: the reference image is tagged by a hash of its sources, so compose builds it only when missing.
  if (options.compose?.build ?? project.files.includes(UPSTREAM_OVERRIDE)) environment = environment.withBuild();
  if (project.flavour === 'standalone')
    environment = environment.withClientOptions({ executable: { standalone: true } });
  up = environment.up();
  try {
    await raceAbort(up, context.signal);
  } catch (error) {
    if (context.signal.aborted) throw error;
    throw upFailure(error);
  }
}

function handlesOf(
  project: ComposeProject,
  endpoints: ComposeEndpoints,
  options: StackOptions,
  workDir: string,
): StackHandles {
  const runnerBase = `postgres://${DB_CREDENTIALS}@127.0.0.1:${endpoints.dbPort}/postgres`;
  const serviceBase = `postgres://${DB_CREDENTIALS}@db:5432/postgres`;
  const mounts = [
    { host: join(options.repoRoot, FIXTURES_MOUNT.host), container: FIXTURES_MOUNT.container },
    { host: workDir, container: WORK_MOUNT },
  ];
  return {
    kind: 'compose',
    hubUrl: `http://127.0.0.1:${endpoints.hubPort}`,
    bridgeUrl: `http://127.0.0.1:${endpoints.bridgePort}`,
    adminDatabaseUrl: runnerBase,
    runnerDatabaseUrl: (name) => withDatabase(runnerBase, name),
    serviceDatabaseUrl: (name) => withDatabase(serviceBase, name),
    stk: createDockerExecStk(endpoints.cliContainer, mounts, FIXTURES_MOUNT.container),
    idp: { url: `http://127.0.0.1:${endpoints.idpPort}`, issuer: IDP_IN_NETWORK },
    objectStore: { url: `http://127.0.0.1:${endpoints.objectStorePort}`, endpoint: OBJECTSTORE_IN_NETWORK },
    operator: options.operator ?? DEFAULT_OPERATOR,
    workDir,
    logTails: endpoints.logTails,
    logLinesSince: endpoints.logLinesSince,
  };
}

/** testcontainers waits for nothing; readiness is ours (compose-readiness.ts). */
const NO_WAIT: WaitStrategy = {
  waitUntilReady: async () => undefined,
  withStartupTimeout() {
    return this;
  },
  isStartupTimeoutSet: () => false,
  getStartupTimeout: () => 0,
};

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function noDocker(problem: readonly string[]): StackStartError {
  const hint =
    'Start a Docker engine, or run .ci/docker-setup.sh as root on Debian 12 (it installs one and builds the images).';
  return new StackStartError('no usable Docker engine for --stack compose', {
    service: 'docker',
    waitedFor: 'docker info and docker compose to answer',
    exitCode: null,
    logTail: [...problem, hint],
  });
}

function upFailure(error: unknown): StackStartError {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const hints = [
    ...(/pull access denied|not found|manifest unknown|no such host|registry|Temporary failure|i\/o timeout/i.test(text)
      ? [
          'No image registry reachable? Build local base images: eval "$(docker/build-local-images.sh)" (sets STK_IT_NODE_IMAGE, STK_IT_POSTGRES_IMAGE).',
        ]
      : []),
    ...(/ryuk/i.test(text)
      ? ['The testcontainers reaper image cannot be pulled here: set TESTCONTAINERS_RYUK_DISABLED=true.']
      : []),
  ];
  return new StackStartError(`docker compose up failed: ${lines.at(-1) ?? text}`, {
    service: 'compose',
    waitedFor: 'docker compose up (build, create, start; db healthy)',
    exitCode: null,
    logTail: [...lines.slice(-(50 - hints.length)), ...hints],
  });
}
