/**
 * The HTML report in a real browser: Debian's chromium (.ci/run installs it)
 * driven by playwright-core, which downloads no browser. A real run on the
 * embedded stack writes a report holding a failure, a flaky scenario, an
 * expected failure and an unexpected pass; the page must count them, filter
 * by outcome, open the failing scenario on its failed exchange and show
 * every attempt, and never make a request beyond its own file.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { capability, scenarioModule, writeTree, type Tree } from './helpers/catalog-fixture.ts';
import { runCli } from './helpers/cli.ts';

const CHROMIUM = process.env.STK_IT_CHROMIUM ?? '/usr/bin/chromium';

const FAILING_BODY = `const response = await context.hub.post('/api/nothing-here', { probe: 1 });
  if (response.status !== 200) throw new Error('expected HTTP 200, got ' + response.status + ' ' + response.text);`;

function tree(): Tree {
  const cap = (id: string, domain: string, status: string, refs: string[]) =>
    capability({
      id,
      domain,
      status,
      testRefs: refs,
      specRefs: ['plan/spec/errors.md'],
      codeRefs: status === 'implemented' ? ['code/hub.ts'] : [],
    });
  return {
    'plan/spec/errors.md': '# Errors\n',
    'code/hub.ts': 'export {};\n',
    'plan/capabilities/crud/CRUD-001-insert.md': cap('CRUD-001', 'crud', 'implemented', [
      'src/scenarios/crud/crud-001-insert.ts::insert answers 200',
      'src/scenarios/crud/crud-001-insert.ts::insert passes on a retry',
    ]),
    'plan/capabilities/auth/AUTH-002-oidc.md': cap('AUTH-002', 'auth', 'in_progress', [
      'src/scenarios/auth/auth-002-oidc.ts::oidc login is not there yet',
    ]),
    'plan/capabilities/auth/AUTH-003-keys.md': cap('AUTH-003', 'auth', 'in_progress', [
      'src/scenarios/auth/auth-003-keys.ts::keys already work',
    ]),
    'plan/capabilities/operator/OPERATOR-001-health.md': cap('OPERATOR-001', 'operator', 'implemented', [
      'src/scenarios/operator/operator-001-health.ts::health answers',
    ]),
    'src/scenarios/crud/crud-001-insert.ts': `let calls = 0;\n${scenarioModule([
      { capability: 'CRUD-001', name: 'insert answers 200', body: FAILING_BODY },
      {
        capability: 'CRUD-001',
        name: 'insert passes on a retry',
        body: "calls += 1;\n  if (calls === 1) throw new Error('first attempt fails');\n  void context;",
      },
    ])}`,
    'src/scenarios/auth/auth-002-oidc.ts': scenarioModule([
      {
        capability: 'AUTH-002',
        name: 'oidc login is not there yet',
        body: "void context;\n  throw new Error('not implemented');",
      },
    ]),
    'src/scenarios/auth/auth-003-keys.ts': scenarioModule([{ capability: 'AUTH-003', name: 'keys already work' }]),
    'src/scenarios/operator/operator-001-health.ts': scenarioModule([
      {
        capability: 'OPERATOR-001',
        name: 'health answers',
        body: "const response = await context.hub.get('/healthz');\n  if (response.status !== 200) throw new Error('unhealthy');",
      },
    ]),
  };
}

let remove = async () => {};
let dir = '';
let browser: Browser | undefined;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (or set STK_IT_CHROMIUM)`);
  const written = await writeTree(tree());
  remove = written.remove;
  dir = await mkdtemp(join(tmpdir(), 'stk-it-browser-'));
  const run = await runCli(
    ['--root', written.root, '--retries', '1', '--jobs', '2', '--reporter', 'list,json,html', '--output-dir', dir],
    { timeoutMs: 180_000 },
  );
  assert.equal(run.code, 1, `one scenario fails\n${run.stdout}\n${run.stderr}`);
  browser = await chromium.launch({ executablePath: CHROMIUM });
  page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(pathToFileURL(join(dir, 'report', 'index.html')).href);
});

after(async () => {
  await browser?.close();
  await remove();
  await rm(dir, { recursive: true, force: true });
});

const count = (outcome: string) => page.locator(`.count[data-outcome="${outcome}"] b`).textContent();

test('the overview counts every outcome and colours the matrix by it, planned work marked', async () => {
  const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as { counts: Record<string, number> };
  assert.deepEqual(results.counts, {
    passed: 1,
    failed: 1,
    flaky: 1,
    'expected-failure': 1,
    'unexpected-pass': 1,
    skipped: 0,
  });
  for (const outcome of ['passed', 'failed', 'flaky', 'expected-failure', 'unexpected-pass'])
    assert.equal(await count(outcome), '1', outcome);
  assert.equal(await page.locator('.tile').count(), 4);
  assert.match(
    (await page.locator('.tile[data-capability="CRUD-001"]').getAttribute('class')) ?? '',
    /o-failed s-implemented/,
  );
  assert.match(
    (await page.locator('.tile[data-capability="AUTH-002"]').getAttribute('class')) ?? '',
    /o-expected-failure s-in_progress/,
  );
  assert.match(
    (await page.locator('.tile[data-capability="AUTH-003"]').getAttribute('class')) ?? '',
    /o-unexpected-pass s-in_progress/,
  );
  assert.equal(await page.locator('tr.row').count(), 5);
  await page.screenshot({ path: join(dir, 'report', 'overview.png') });
});

test('filtering by outcome leaves the failing scenario and its capability', async () => {
  await page.selectOption('#filter-outcome', 'failed');
  assert.equal(await page.locator('tr.row').count(), 1);
  assert.equal(await page.locator('tr.row').getAttribute('data-outcome'), 'failed');
  assert.deepEqual(
    await page.locator('.tile').evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-capability'))),
    ['CRUD-001'],
  );
  await page.fill('#filter-text', 'no such scenario');
  assert.equal(await page.locator('tr.row').count(), 0);
  await page.fill('#filter-text', '');
});

test('the failing scenario opens on its failed exchange, with both attempts', async () => {
  await page.locator('tr.row[data-outcome="failed"]').click();
  assert.match((await page.locator('#scenario-title').textContent()) ?? '', /CRUD-001 › insert answers 200/);
  assert.match((await page.locator('.error .message').textContent()) ?? '', /expected HTTP 200, got 404/);
  const failed = page.locator('details.step.failed');
  assert.equal(await failed.count(), 1);
  assert.equal(await failed.getAttribute('open'), '', 'the failed step is open');
  assert.match((await failed.locator('summary').textContent()) ?? '', /POST \/api\/nothing-here → 404/);
  assert.match((await failed.locator('pre.body').last().textContent()) ?? '', /"code": "NOT_FOUND"/);
  assert.equal(await page.locator('.attempts button').count(), 2);
  await page.screenshot({ path: join(dir, 'report', 'screenshot.png') });
  await page.goBack();
  await page.waitForSelector('#counts');
});

test('the flaky scenario shows the attempt that failed and the one that passed', async () => {
  await page.selectOption('#filter-outcome', 'flaky');
  await page.locator('tr.row[data-outcome="flaky"]').click();
  const tabs = await page.locator('.attempts button').allTextContents();
  assert.equal(tabs.length, 2);
  assert.match(tabs[0] ?? '', /attempt 1 ✗/);
  assert.match(tabs[1] ?? '', /attempt 2 ✓/);
  await page.locator('.attempts button').first().click();
  assert.match((await page.locator('.error .message').textContent()) ?? '', /first attempt fails/);
});

test('no request leaves the page, and the script ran without an error', () => {
  assert.deepEqual(
    requests.filter((url) => !url.startsWith('file://')),
    [],
  );
  assert.deepEqual(pageErrors, []);
});
