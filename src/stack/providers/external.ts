/**
 * `--stack external`: a stack someone else runs. Probes the Hub's and the
 * Bridge's health; the only thing it starts is the reference test identity
 * provider on a loopback port (reachable by the Hub only when it runs on this
 * machine; its OIDC scenarios need that).
 */
import { StackStartError } from '../../errors.ts';
import { DEFAULT_OPERATOR, parseCommandLine, type StackOptions } from '../options.ts';
import { samePostgresEverywhere } from '../postgres/postgres.ts';
import { httpProbe } from '../probes/http-probe.ts';
import { awaitReady } from '../probes/probe.ts';
import { startTogether } from '../start-together.ts';
import { createLocalStk } from '../stk.ts';
import { createTempDir } from '../temp-dir.ts';
import type { StackProvider } from '../types.ts';
import { referenceCommand, referenceStk } from './embedded.ts';
import { HEALTH_PATH } from './process-stack.ts';
import { createRunDatabases } from '../postgres/run-databases.ts';
import { freePort } from '../ports.ts';
import { idpEnv, registerDatabaseUrl, registerOperator } from '../secrets.ts';
import { createService } from '../service.ts';
import { join } from 'node:path';

const EXTERNAL_PROBE_MS = 10_000;

export function createExternalProvider(options: StackOptions, cwd = process.cwd()): StackProvider {
  const hubUrl = trimSlash(options.hubUrl ?? '');
  const bridgeUrl = trimSlash(options.bridgeUrl ?? '');
  const stk = options.stkBin === undefined ? undefined : parseCommandLine(options.stkBin, cwd);
  return {
    kind: 'external',
    async start(context) {
      registerOperator(context.redactor, options.operator ?? DEFAULT_OPERATOR);
      registerDatabaseUrl(context.redactor, options.databaseUrl);
      const probe = (service: string, url: string) => (signal: AbortSignal) =>
        probeHealth(service, `${url}${HEALTH_PATH}`, signal, options.startTimeoutMs);
      const idpPort = await freePort();
      const idpUrl = `http://127.0.0.1:${idpPort}`;
      const command = await referenceCommand(options.repoRoot, 'idp');
      const idp = createService({
        name: 'idp',
        command: command.command,
        args: command.args,
        env: idpEnv(idpPort),
        cwd: options.repoRoot,
        probes: [httpProbe(`${idpUrl}${HEALTH_PATH}`)],
      });
      const startIdp = async (signal: AbortSignal) =>
        void (await idp.start({
          teardowns: context.teardowns,
          signal,
          logDir: join(context.outputDir, 'logs'),
          onLine: context.onServiceLine,
          redact: context.redactor?.text,
        }));
      await startTogether<[void, void, void]>(context.signal, [
        probe('hub', hubUrl),
        probe('bridge', bridgeUrl),
        startIdp,
      ]);
      const postgres = samePostgresEverywhere(options.databaseUrl ?? '');
      return {
        kind: 'external',
        hubUrl,
        bridgeUrl,
        adminDatabaseUrl: postgres.adminUrl,
        runnerDatabaseUrl: postgres.runnerUrl,
        serviceDatabaseUrl: postgres.serviceUrl,
        stk: createLocalStk(stk ? [stk.command, ...stk.args] : await referenceStk(options.repoRoot), {
          STK_HUB_URL: hubUrl,
        }),
        idp: { url: idpUrl, issuer: idpUrl },
        operator: options.operator ?? DEFAULT_OPERATOR,
        workDir: await createTempDir('santokit-it-work-', context.teardowns),
        adoptDatabase: createRunDatabases(context.teardowns, postgres.adminUrl),
        logTails: () => [],
      };
    },
  };
}

/** A running service cannot "die" here; only the deadline and the abort end the wait. */
function probeHealth(service: string, url: string, signal: AbortSignal, deadlineMs = EXTERNAL_PROBE_MS): Promise<void> {
  const notes: string[] = [];
  return awaitReady({
    service,
    probes: [
      httpProbe(url, {
        onAttempt: (status) => notes.splice(0, notes.length, `last answer: ${status ?? 'no response'}`),
      }),
    ],
    output: { lines: () => [], subscribe: () => () => undefined },
    deadlineMs,
    exited: new Promise(() => undefined),
    signal,
    logTail: () => [`${service} is not started by santokit-it (--stack external); no log.`, ...notes],
  }).catch((error: unknown) => {
    if (error instanceof StackStartError) error.message += ' (is the external stack up?)';
    throw error;
  });
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
