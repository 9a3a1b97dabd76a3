/**
 * The databases a run's scenarios create, on a PostgreSQL that outlives the
 * run (`--db url`, a warm stack, an external stack): dropped when the run
 * ends, so that hundreds of runs against one server (a day of `--reuse-stack`,
 * a mutation run) do not fill it. A stack whose server goes away with the run
 * (embedded, container, compose) has nothing to drop.
 *
 * A run killed before its teardown leaves its scenario databases behind:
 * unlike the Hub's database they are not in the leftover ledger (a ledger
 * write per scenario costs more than what it saves; their names start with
 * `stk_` and the project's name).
 */
import { own } from '../resources.ts';
import type { TeardownRegistry } from '../types.ts';
import { dropDatabase } from './postgres.ts';

/** Drops at a time: DROP DATABASE takes a lock and a checkpoint, so more only queue on the server. */
const DROP_CONCURRENCY = 4;

/**
 * `adopt(name)`, called before the database is created, has it dropped at the
 * run's teardown on the server `adminUrl` names; with `handOff` (a warm
 * stack's owner) the names are handed over instead, and the run drops them
 * itself only when the hand-off fails.
 */
export function createRunDatabases(
  teardowns: TeardownRegistry,
  adminUrl: string,
  handOff?: (names: readonly string[]) => Promise<void>,
): (name: string) => void {
  const names = new Set<string>();
  const dispose = (list: readonly string[]) =>
    handOff ? handOff(list).catch(() => dropDatabases(adminUrl, list)) : dropDatabases(adminUrl, list);
  let registered = false;
  return (name) => {
    names.add(name);
    if (registered) return;
    registered = true;
    own(teardowns, "drop the scenarios' databases", () => dispose([...names]));
  };
}

/** Drops the databases on the server `adminUrl` names, a few at a time; throws listing those it could not drop. */
export async function dropDatabases(adminUrl: string, names: readonly string[]): Promise<void> {
  const queue = [...names];
  const failures: string[] = [];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      await dropDatabase(adminUrl, name).catch((error: unknown) =>
        failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(DROP_CONCURRENCY, queue.length) }, worker));
  if (failures.length > 0) throw new Error(`could not drop ${failures.length} database(s): ${failures.join('; ')}`);
}

/** Databases of the stack itself, never a scenario's to hand back: the Hub's, the maintenance one, the templates. */
const STACK_DATABASES = new Set(['santokit_hub', 'postgres', 'template0', 'template1']);

/** A name a scenario may have created (the warm stack's owner drops nothing else on a run's word). */
export function isScenarioDatabase(name: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name) && !STACK_DATABASES.has(name) && !name.startsWith('santokit_hub_');
}
