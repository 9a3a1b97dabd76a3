/**
 * `santokit-it trace` for real: a small catalog whose two capabilities run
 * the same scenario (an operator signs up and logs in on the embedded stack's
 * Hub), one naming the Hub's operator routes in its code_refs and one not.
 * The trace must report the file as a gap of the second only.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { TraceReport } from '../src/model/trace.ts';
import { capability, scenarioModule, writeTree } from './helpers/catalog-fixture.ts';
import { runCli } from './helpers/cli.ts';

const ROUTES = 'reference/hub/routes/operators.ts';
const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((cleanup) => cleanup())));

const SIGN_UP_AND_LOG_IN = `const email = context.uniqueName('trace') + '@example.com';
  const signup = await context.hub.post('/api/auth/signup', { email, password: 'password-1' });
  if (signup.status !== 200) throw new Error('signup answered ' + signup.status);
  const login = await context.hub.post('/api/auth/login', { email, password: 'password-1' });
  if (login.status !== 200) throw new Error('login answered ' + login.status);
  const wrong = await context.hub.post('/api/auth/login', { email, password: 'not-it' });
  if (wrong.status !== 401) throw new Error('a wrong password answered ' + wrong.status);`;

function tree() {
  const scenario = (id: string, file: string) => ({
    [file]: scenarioModule([{ capability: id, name: 'an operator signs up and logs in', body: SIGN_UP_AND_LOG_IN }]),
  });
  return {
    'plan/spec/errors.md': '# Errors\n',
    // code_refs must resolve under the catalog's root; the trace compares them with the package's reference/ paths.
    [ROUTES]: 'export {};\n',
    'reference/hub/crypto.ts': 'export {};\n',
    'plan/capabilities/operator/OPERATOR-001-forgets.md': capability({
      id: 'OPERATOR-001',
      domain: 'operator',
      specRefs: ['plan/spec/errors.md'],
      testRefs: ['src/scenarios/operator/operator-001.ts::an operator signs up and logs in'],
      codeRefs: ['reference/hub/crypto.ts'],
    }),
    'plan/capabilities/operator/OPERATOR-002-names.md': capability({
      id: 'OPERATOR-002',
      domain: 'operator',
      specRefs: ['plan/spec/errors.md'],
      testRefs: ['src/scenarios/operator/operator-002.ts::an operator signs up and logs in'],
      codeRefs: ['reference/hub/crypto.ts', ROUTES],
    }),
    ...scenario('OPERATOR-001', 'src/scenarios/operator/operator-001.ts'),
    ...scenario('OPERATOR-002', 'src/scenarios/operator/operator-002.ts'),
  };
}

test('trace reports a file the scenarios execute as a gap of the capability whose code_refs omit it, and only there', async () => {
  const catalog = await writeTree(tree());
  cleanups.push(catalog.remove);
  const outputDir = await mkdtemp(join(tmpdir(), 'stk-it-trace-e2e-'));
  cleanups.push(() => rm(outputDir, { recursive: true, force: true }));

  const result = await runCli(
    [
      'trace',
      '--root',
      catalog.root,
      '--output-dir',
      outputDir,
      '--json',
      '--threshold',
      '0.2',
      '--min-functions',
      '2',
    ],
    { timeoutMs: 400_000 },
  );
  assert.equal(result.code, 1, `a gap fails the trace\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as TraceReport;
  assert.ok(report.baseline.processes >= 4, 'the Hub, Bridge, idp and object store of the baseline wrote coverage');
  const [forgets, names] = report.capabilities;
  assert.deepEqual(
    report.capabilities.map((traced) => [traced.id, traced.runExitCode]),
    [
      ['OPERATOR-001', 0],
      ['OPERATOR-002', 0],
    ],
  );
  const routesGap = forgets?.gaps.find((gap) => gap.file === ROUTES);
  assert.ok(routesGap, `${ROUTES} is a gap of OPERATOR-001: ${JSON.stringify(forgets?.gaps.map((gap) => gap.file))}`);
  assert.ok(routesGap.beyondBaseline >= 2 && routesGap.share >= 0.2, JSON.stringify(routesGap));
  assert.ok(!names?.gaps.some((gap) => gap.file === ROUTES), 'OPERATOR-002 names it: no gap');
  assert.ok(
    names?.named.some((named) => named.file === ROUTES),
    'OPERATOR-002 lists it as named',
  );

  // The saved summaries are measured again without running anything.
  const again = await runCli(
    ['trace', '--root', catalog.root, '--from', outputDir, '--capability', 'OPERATOR-002', '--threshold', '0.2'],
    { timeoutMs: 60_000 },
  );
  assert.match(again.stdout, /OPERATOR-002/);
  assert.doesNotMatch(again.stdout, new RegExp(`gap ${ROUTES}`));
});
