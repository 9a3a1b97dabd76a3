/**
 * `stk gen client --lang typescript --output <path> [--project P] [--env E]`
 * (SDK-001): one TypeScript file from the current release of P/E, read from
 * the Hub with the operator token (viewer role). Checks run in this order,
 * each failing before any request: --lang, its value, --output, --project.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, type HubClient, type HubResponse } from '../client.ts';
import { define, need, print, type Flags, type Io } from '../command-kit.ts';
import { clientModel, GenError } from './gen-schema.ts';
import { renderTypeScriptClient } from './gen-typescript.ts';

const LANGUAGES = ['typescript'];

/** --env, else STK_ENV, else `dev`. */
function envOf(flags: Flags, io: Io): string {
  if (typeof flags.env === 'string' && flags.env !== '') return flags.env;
  return io.env.STK_ENV || 'dev';
}

async function loadCurrentRelease(client: HubClient, project: string, env: string): Promise<HubResponse> {
  try {
    return await client.request('GET', '/api/releases/current', undefined, { project, env, include: 'schema' });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    throw new CliError(
      `failed to load current release for ${project}/${env}: ${error.message.replace(/^request failed: /, '')}`,
      error.body,
    );
  }
}

function render(release: unknown): string {
  try {
    return renderTypeScriptClient(clientModel(release));
  } catch (error) {
    if (error instanceof GenError) throw new CliError(error.message);
    throw error;
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The write failed before the aside file could exist (e.g. a file where a folder is needed).
  }
}

/** Creates missing folders; the file appears whole or not at all (written aside, then renamed over). */
function writeOutput(path: string, shown: string, content: string): void {
  const aside = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(aside, content);
    renameSync(aside, path);
  } catch (error) {
    removeQuietly(aside);
    throw new CliError(`cannot write ${shown}: ${(error as Error).message}`);
  }
}

export function registerGenCommands(program: Command, io: Io): void {
  const gen = program.command('gen').description('generate code from the current release');
  const client = gen
    .command('client')
    .description('a typed client of the Bridge')
    .option('--lang <lang>', LANGUAGES.join(' | '));
  client.option('--output <path>').option('--project <project>').option('--env <env>', 'default: STK_ENV, else dev');
  define(client, io, async (hub, flags) => {
    const lang = need(flags, 'lang', io);
    if (!LANGUAGES.includes(lang)) throw new CliError(`unsupported language: ${lang}`);
    const output = need(flags, 'output', io);
    const project = need(flags, 'project', io);
    const env = envOf(flags, io);
    const response = await loadCurrentRelease(hub, project, env);
    writeOutput(resolve(io.cwd, output), output, render(response.json));
    print(io, flags, response, () => [`generated ${output}`]);
  });
}
