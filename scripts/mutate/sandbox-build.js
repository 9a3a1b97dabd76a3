// Stryker's build command in its sandbox: link the checkout's node_modules
// (Stryker links them only after the build, which needs TypeScript), then
// compile the sandbox's sources, mutants switched in, to its dist/, so the
// reference services start from JavaScript. A build that does not stamp
// dist/ leaves them on the TypeScript sources (slower, same code): say so.
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const checkout = process.env.SANTOKIT_IT_MUTATE_ROOT;
if (!checkout) throw new Error('SANTOKIT_IT_MUTATE_ROOT is not set: run `npm run mutate`');
if (!existsSync('node_modules')) symlinkSync(join(checkout, 'node_modules'), 'node_modules', 'dir');
const build = spawnSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
if (!existsSync(join('dist', '.build-stamp.json'))) {
  process.stderr.write('[mutate] the sandbox build left dist/ unstamped: mutants run from the TypeScript sources\n');
}
process.exitCode = build.status ?? 1;
