/**
 * PostgreSQL in a container (`--db container`), started with testcontainers.
 * The image is `$STK_IT_POSTGRES_IMAGE`, else a locally built
 * `santokit-it/postgres` (docker/build-local-images.sh, for machines without a
 * registry), else `postgres:16-alpine`.
 */
import { execFileSync } from 'node:child_process';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { StackStartError } from '../../errors.ts';
import { onEmergencyKill } from '../emergency.ts';
import { localImageDefaults } from '../providers/compose-cli.ts';
import { raceAbort } from '../race-abort.ts';
import { randomToken } from '../secrets.ts';
import type { ServiceContext } from '../service.ts';
import { samePostgresEverywhere, type StackPostgres } from './postgres.ts';

export const DEFAULT_POSTGRES_IMAGE = 'postgres:16-alpine';
const USER = 'stk';

export async function startContainerPostgres(context: ServiceContext, env: Readonly<Record<string, string | undefined>>): Promise<StackPostgres> {
  context.signal.throwIfAborted();
  const image = (await localImageDefaults(env)).STK_IT_POSTGRES_IMAGE ?? DEFAULT_POSTGRES_IMAGE;
  const password = randomToken(24);
  let starting: Promise<StartedTestContainer> | undefined;
  let forget = () => {};
  context.teardowns.defer('stop postgres container', async () => {
    // A start still in flight must finish first, or its container would outlive the run.
    const container = await starting?.catch(() => undefined);
    await container?.stop({ remove: true, removeVolumes: true, timeout: 2_000 });
    forget();
  });
  starting = new GenericContainer(image)
    .withEnvironment({ POSTGRES_USER: USER, POSTGRES_PASSWORD: password, POSTGRES_DB: 'postgres' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forSuccessfulCommand(`pg_isready -h 127.0.0.1 -U ${USER} -d postgres`))
    .withStartupTimeout(60_000)
    .start();
  let container: StartedTestContainer;
  try {
    container = await raceAbort(starting, context.signal);
  } catch (error) {
    if (context.signal.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StackStartError(`postgres container (${image}) did not start: ${reason}`, {
      service: 'postgres',
      waitedFor: `pg_isready in a ${image} container`,
      exitCode: null,
      logTail: reason.split('\n').slice(-50),
    });
  }
  forget = onEmergencyKill(() => execFileSync('docker', ['rm', '-f', container.getId()], { stdio: 'ignore', timeout: 5_000 }));
  const url = `postgres://${USER}:${password}@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
  return samePostgresEverywhere(url);
}
