/** Temporary directories of a stack, removed at teardown. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TeardownRegistry } from './types.ts';

/** Registers the removal first, then creates `<tmpdir>/<prefix>XXXXXX`. */
export async function createTempDir(prefix: string, teardowns: TeardownRegistry): Promise<string> {
  let dir: string | undefined;
  teardowns.defer(`remove ${prefix}* temp dir`, async () => {
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  });
  dir = await mkdtemp(join(tmpdir(), prefix));
  return dir;
}
