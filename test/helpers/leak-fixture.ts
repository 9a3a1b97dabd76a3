/**
 * A catalog whose one scenario takes the stack's real secrets from the
 * running Hub (its process environment, or its container's under compose),
 * writes them to a file for the test, and then leaks every one of them on
 * purpose into every channel a report reads: request paths (the Hub logs
 * them), headers, bodies, a note, stk arguments, SQL, and the assertion
 * that fails. `STK_PASETO_KEYS` is written whole and each key's secret on its
 * own (`pasetoKey`, `pasetoKey2`, …), so one secret leaked alone is found.
 * The test then looks for each value in everything the run wrote.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { capability, type Tree } from './catalog-fixture.ts';

const SCENARIOS = 'src/scenarios/security/security-001-leak.ts';
export const LEAK_SCENARIO_NAME = 'leaks every secret on purpose';

const MODULE = String.raw`
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { defineScenario } from 'santokit-it';

function parseEnv(pairs) {
  return Object.fromEntries(pairs.filter((pair) => pair.includes('=')).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

/** The Hub's environment: a local process serving this port, else the container publishing it. */
function hubEnv(port) {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let env;
    try { env = parseEnv(readFileSync('/proc/' + pid + '/environ', 'utf8').split('\0')); } catch { continue; }
    if (env.STK_HUB_PORT === String(port) && env.STK_SERVICE_TOKEN) return env;
  }
  const id = execFileSync('docker', ['ps', '-q', '--filter', 'publish=' + port], { encoding: 'utf8' }).trim().split('\n')[0];
  if (!id) throw new Error('no process or container serves the Hub port ' + port);
  return parseEnv(JSON.parse(execFileSync('docker', ['inspect', '--format', '{{json .Config.Env}}', id], { encoding: 'utf8' })));
}

function passwordOf(url) {
  try { return decodeURIComponent(new URL(url).password); } catch { return ''; }
}

export const leak = defineScenario('SECURITY-001', '${LEAK_SCENARIO_NAME}', async (context) => {
  const env = hubEnv(new URL(context.stack.hubUrl).port);
  const keys = env.STK_PASETO_KEYS ?? '';
  // A list 'kid:secret, kid:secret': each secret is probed on its own (pasetoKey, pasetoKey2, ...) and in the whole value.
  const pasetoSecrets = keys.split(',').map((entry) => entry.slice(entry.indexOf(':') + 1).trim());
  const found = {
    serviceToken: env.STK_SERVICE_TOKEN,
    secretKey: env.STK_SECRET_KEY,
    pasetoKeys: keys,
    pasetoKey: pasetoSecrets[0],
    ...Object.fromEntries(pasetoSecrets.slice(1).map((secret, index) => ['pasetoKey' + (index + 2), secret])),
    operatorPassword: env.STK_OPERATOR_PASSWORD,
    hubDatabasePassword: passwordOf(env.STK_HUB_DB_URL),
    adminDatabasePassword: passwordOf(context.stack.adminDatabaseUrl),
  };
  writeFileSync(process.env.STK_IT_LEAK_FILE, JSON.stringify(found));
  const secrets = Object.values(found).filter((value) => typeof value === 'string' && value.length >= 8);
  const all = secrets.join(' ');
  context.transcript.note('about to leak: ' + all);
  await context.hub.request('POST', '/api/leak/' + encodeURIComponent(found.serviceToken) + '?note=' + encodeURIComponent(all), {
    headers: { 'x-santokit-service-token': found.serviceToken, 'x-note': found.secretKey },
    json: { note: all, password: found.operatorPassword, db_url: env.STK_HUB_DB_URL },
  });
  await context.hub.post('/api/auth/login', { email: context.stack.operator.email, password: context.stack.operator.password });
  await context.stk(['--version', '--password', found.operatorPassword, ...pasetoSecrets, found.secretKey]);
  await context.db.query('postgres', "SELECT '" + all + "'::text AS leaked");
  assert.equal(all, 'nothing secret', 'leaking on purpose: ' + all);
});
`;

export function leakTree(): Tree {
  return {
    'plan/spec/errors.md': '# Errors\n',
    'code/hub.ts': 'export {};\n',
    'plan/capabilities/security/SECURITY-001-leak.md': capability({
      id: 'SECURITY-001',
      domain: 'security',
      title: 'Secrets never reach a report',
      specRefs: ['plan/spec/errors.md'],
      testRefs: [`${SCENARIOS}::${LEAK_SCENARIO_NAME}`],
      codeRefs: ['code/hub.ts'],
    }),
    [SCENARIOS]: MODULE,
  };
}

/** Every file under `dir`, with its text. */
export async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (path) => ({ path, text: await readFile(path, 'latin1') })));
}

/** `name: where` for each secret value found in any of the texts. */
export function leaksIn(
  texts: readonly { path: string; text: string }[],
  secrets: Readonly<Record<string, string>>,
): string[] {
  const hits: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length < 8) continue;
    for (const { path, text } of texts) if (text.includes(value)) hits.push(`${name} in ${path}`);
  }
  return hits;
}
