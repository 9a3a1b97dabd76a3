/** Temporary directories of a stack, removed at teardown (or by the next run's sweep, see leftovers.ts). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDir } from './leftovers.ts';
import type { TeardownRegistry } from './types.ts';

/** Registers the removal first, then creates `<parent>/<prefix>XXXXXX` (parent: the OS temp dir). */
export async function createTempDir(prefix: string, teardowns: TeardownRegistry, parent = tmpdir()): Promise<string> {
  let dir: string | undefined;
  let forget = () => {};
  teardowns.defer(`remove ${prefix}* temp dir`, async () => {
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    forget();
  });
  dir = await mkdtemp(join(parent, prefix));
  forget = recordDir(dir);
  return dir;
}
