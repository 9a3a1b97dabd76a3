/**
 * `npm run bench`: prints the project's performance figures. Sections can be
 * named on the command line (`npm run bench -- validate`); default: all.
 */
import { fileURLToPath } from 'node:url';
import { stackBench } from './stack-bench.ts';
import { bridgeBench } from './bridge-bench.ts';
import { suiteBench } from './suite-bench.ts';
import { shardBench } from './shard-bench.ts';
import { changedBench } from './changed-bench.ts';
import { validateBench } from './validate-bench.ts';
import { redactBench } from './redact-bench.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const sections: Record<string, () => Promise<string[]>> = {
  validate: validateBench,
  stack: () => stackBench(ROOT),
  bridge: () => bridgeBench(ROOT),
  suite: suiteBench,
  shard: shardBench,
  changed: changedBench,
  redact: redactBench,
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(sections);
for (const name of names) {
  const section = sections[name];
  if (!section) {
    console.error(`unknown bench section '${name}'; sections: ${Object.keys(sections).join(', ')}`);
    process.exitCode = 2;
    continue;
  }
  console.log(`## ${name}`);
  for (const line of await section()) console.log(`  ${line}`);
}
