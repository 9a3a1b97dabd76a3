/**
 * `santokit-it validate` wall time on generated catalogs of 5,000 and 500
 * documents (the whole process, as a user runs it), and the ratio: cost must
 * grow linearly with the catalog, not worse.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCatalog } from './generate-catalog.ts';
import { median, ms, timeCommand } from './measure.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin/santokit-it.js');
const RUNS = 7;

const TARGET_MS = 600;

export async function validateBench(): Promise<string[]> {
  const parent = join(ROOT, 'bench/.tmp');
  const large = await generateCatalog(parent, 5000);
  const small = await generateCatalog(parent, 500);
  try {
    const time = (root: string) => {
      timeCommand([process.execPath, BIN, 'validate', '--root', root]); // warm the file cache
      return median(
        Array.from({ length: RUNS }, () => timeCommand([process.execPath, BIN, 'validate', '--root', root])),
      );
    };
    const empty = await generateCatalog(parent, 0);
    const base = time(empty.root);
    await empty.remove();
    const t5000 = time(large.root);
    const t500 = time(small.root);
    const growth = (t5000 - base) / Math.max(1, t500 - base);
    return [
      `validate, 5,000 documents: ${ms(t5000)} wall (median of ${RUNS}; target < ${TARGET_MS} ms: ${t5000 < TARGET_MS ? 'met' : 'NOT met'})`,
      `validate, 500 documents:   ${ms(t500)} wall`,
      `validate, empty catalog:   ${ms(base)} wall (process start and module loading)`,
      `ratio 5,000 / 500: ${(t5000 / t500).toFixed(2)} wall; ${growth.toFixed(1)} for the work above start-up (10 would be linear)`,
    ];
  } finally {
    await Promise.all([large.remove(), small.remove()]);
  }
}
