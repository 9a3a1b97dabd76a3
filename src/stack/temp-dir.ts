/** Temporary directories of a stack, owned like every other resource (resources.ts). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { own } from './resources.ts';
import type { TeardownRegistry } from './types.ts';

/** Registers the removal first, then creates `<parent>/<prefix>XXXXXX` (parent: the OS temp dir). */
export async function createTempDir(prefix: string, teardowns: TeardownRegistry, parent = tmpdir()): Promise<string> {
  let dir: string | undefined;
  const owned = own(teardowns, `remove ${prefix}* temp dir`, async () => {
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  });
  dir = await mkdtemp(join(parent, prefix));
  owned.bind({ kind: 'dir', path: dir });
  return dir;
}
