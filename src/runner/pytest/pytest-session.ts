/**
 * What pytest processes of a run share: the stack description file the
 * plugin reads (`SANTOKIT_IT_STACK`, README "The environment contract"),
 * the SQL endpoint, a scratch folder, and how to start pytest for one test.
 * Created once the stack is up and only when pytest tests are selected;
 * everything it makes is torn down with the run.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { delimiter, join, relative, resolve, sep } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.ts';
import type { PytestSettings } from '../../plan/config.ts';
import type { PytestIndex } from '../../plan/pytest/load-pytest.ts';
import { createTempDir } from '../../stack/temp-dir.ts';
import type { StackHandles, TeardownRegistry } from '../../stack/types.ts';
import { startHelperEndpoint } from './helper-endpoint.ts';
import { createSqlRoute } from './sql-route.ts';
import { createStkRoute } from './stk-route.ts';

export interface PytestSession {
  readonly scratchDir: string;
  /** How to run one node id: argv, working directory, environment (results go to `resultsFile`). */
  invocation(test: { readonly file: string; readonly name: string }, resultsFile: string): PytestInvocation;
}

export interface PytestInvocation {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly nodeId: string;
}

export interface PytestSessionOptions {
  readonly root: string;
  readonly settings: PytestSettings;
  readonly index: PytestIndex;
  readonly stack: StackHandles;
  readonly teardowns: TeardownRegistry;
}

export const PLUGIN_PATH = join(PACKAGE_ROOT, 'python');

export async function startPytestSession(options: PytestSessionOptions): Promise<PytestSession> {
  const { root, settings, stack } = options;
  const scratchDir = await createTempDir('santokit-it-pytest-', options.teardowns);
  // stk in a container (compose) is run by the runner, which maps or copies the working folder.
  const stkInContainer = stack.kind === 'compose';
  const helper = await startHelperEndpoint({
    '/sql': createSqlRoute((name) => stack.runnerDatabaseUrl(name)),
    ...(stkInContainer ? { '/stk': createStkRoute(stack) } : {}),
  });
  options.teardowns.defer('stop the helper endpoint of pytest tests', () => helper.close());
  const contractFile = join(scratchDir, 'stack.json');
  const contract = {
    version: 1,
    kind: stack.kind,
    hubUrl: stack.hubUrl,
    bridgeUrl: stack.bridgeUrl,
    adminDatabaseUrl: stack.adminDatabaseUrl,
    serviceDatabaseUrl: stack.serviceDatabaseUrl('postgres'),
    stk: stack.stk.argv,
    stkVia: stkInContainer ? 'runner' : 'local',
    stkEnv: stkInContainer ? {} : { STK_HUB_URL: stack.hubUrl },
    stkEnvUnset: ['NODE_EXTRA_CA_CERTS'],
    operator: stack.operator,
    ...(stack.idp ? { idp: { url: stack.idp.url, issuer: stack.idp.issuer } } : {}),
    repoRoot: root,
    scratchDir,
    fixture: settings.fixture,
    mounts: Object.fromEntries(
      Object.entries(settings.mounts).map(([prefix, target]) => [prefix, resolve(root, target)]),
    ),
    runner: { url: helper.url, token: helper.token },
  };
  await writeFile(contractFile, `${JSON.stringify(contract, null, 1)}\n`, { mode: 0o600 });
  await chmod(contractFile, 0o600);
  const base = baseEnvironment(contractFile, stack);
  return {
    scratchDir,
    invocation(test, resultsFile) {
      const cwd = join(root, settings.cwd ?? options.index.rootOf(test.file));
      const nodeId = `${relative(cwd, join(root, test.file)).split(sep).join('/')}::${test.name}`;
      const argv = [
        ...settings.command,
        '-p',
        'santokit_it.plugin',
        '-p',
        'no:cacheprovider',
        '-q',
        '--no-header',
        '--color=no',
        ...settings.args,
        nodeId,
      ];
      return { argv, cwd, env: { ...base, SANTOKIT_IT_RESULTS: resultsFile }, nodeId };
    },
  };
}

/** The runner's environment without the user's own STK_* settings or the test runner's marker, plus the contract. */
function baseEnvironment(contractFile: string, stack: StackHandles): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('STK_') && name !== 'NODE_TEST_CONTEXT') env[name] = value;
  }
  return {
    ...env,
    PYTHONPATH: [PLUGIN_PATH, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
    // The checkout stays as it was: no __pycache__ folders written into it (installed packages keep their own).
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    SANTOKIT_IT_STACK: contractFile,
    SANTOKIT_IT_HUB_URL: stack.hubUrl,
    SANTOKIT_IT_BRIDGE_URL: stack.bridgeUrl,
  };
}
