/**
 * PostgreSQL in a container (`--db container`), started with testcontainers.
 * The image is `$STK_IT_POSTGRES_IMAGE`, else a locally built
 * `santokit-it/postgres` (docker/build-local-images.sh, for machines without a
 * registry), else `postgres:16-alpine`. The container's name is chosen before
 * it starts, so it is owned (and found by the next run's sweep) from the first
 * moment it may exist.
 */
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { StackStartError } from '../../errors.ts';
import { removeContainerNow } from '../docker-now.ts';
import { OWN_PREFIX } from '../leftovers.ts';
import { localImageDefaults } from '../providers/compose-cli.ts';
import { raceAbort } from '../../util/async.ts';
import { own } from '../resources.ts';
import { randomToken } from '../secrets.ts';
import type { ServiceContext } from '../service.ts';
import { samePostgresEverywhere, type StackPostgres } from './postgres.ts';

export const DEFAULT_POSTGRES_IMAGE = 'postgres:16-alpine';
const USER = 'stk';

export async function startContainerPostgres(
  context: ServiceContext,
  env: Readonly<Record<string, string | undefined>>,
): Promise<StackPostgres> {
  context.signal.throwIfAborted();
  const image = (await localImageDefaults(env)).STK_IT_POSTGRES_IMAGE ?? DEFAULT_POSTGRES_IMAGE;
  const password = randomToken(24);
  const name = `${OWN_PREFIX}postgres-${randomToken(10).toLowerCase()}`;
  let starting: Promise<StartedTestContainer> | undefined;
  own(
    context.teardowns,
    'stop postgres container',
    async () => {
      // A start still in flight must finish first, or its container would outlive the run.
      const container = await starting?.catch(() => undefined);
      if (container) await container.stop({ remove: true, removeVolumes: true, timeout: 2_000 });
      else removeContainerNow(name);
    },
    { kind: 'container', name },
  );
  starting = new GenericContainer(image)
    .withName(name)
    .withEnvironment({ POSTGRES_USER: USER, POSTGRES_PASSWORD: password, POSTGRES_DB: 'postgres' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forSuccessfulCommand(`pg_isready -h 127.0.0.1 -U ${USER} -d postgres`))
    .withStartupTimeout(60_000)
    .start();
  const container = await started(starting, image, context.signal);
  const url = `postgres://${USER}:${password}@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
  return samePostgresEverywhere(url);
}

async function started(
  starting: Promise<StartedTestContainer>,
  image: string,
  signal: AbortSignal,
): Promise<StartedTestContainer> {
  try {
    return await raceAbort(starting, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StackStartError(`postgres container (${image}) did not start: ${reason}`, {
      service: 'postgres',
      waitedFor: `pg_isready in a ${image} container`,
      exitCode: null,
      logTail: reason.split('\n').slice(-50),
    });
  }
}
