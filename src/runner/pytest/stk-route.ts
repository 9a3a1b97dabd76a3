/**
 * `POST /stk` of the helper endpoint, for stacks whose `stk` runs in a
 * container (compose): `{ "args", "cwd", "env", "input"? }` runs the
 * stack's own `stk` with the harness's `STK_*` variables (not `STK_HUB_URL`:
 * the container knows its Hub) in `cwd` as the container sees it. A folder
 * the container cannot see (a Santokit checkout is not mounted) is copied
 * into the stack's work folder once per run and used from there. Answer
 * `{ "exitCode", "stdout", "stderr" }`.
 */
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StackHandles } from '../../stack/types.ts';
import type { Route } from './helper-endpoint.ts';

interface StkRequest {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly input?: string;
}

export function createStkRoute(stack: StackHandles): Route {
  const copies = new Map<string, string>();
  const visible = (cwd: string): string => {
    try {
      stack.stk.command([], { cwd });
      return cwd;
    } catch (error) {
      if (stack.workDir === undefined) throw error;
      let copy = copies.get(cwd);
      if (copy === undefined) {
        copy = join(stack.workDir, `santokit-it-copy-${copies.size + 1}`);
        cpSync(cwd, copy, { recursive: true });
        copies.set(cwd, copy);
      }
      return copy;
    }
  };
  return async (body) => {
    const request = parseRequest(body);
    const env = Object.fromEntries(
      Object.entries(request.env).filter(([name]) => name.startsWith('STK_') && name !== 'STK_HUB_URL'),
    );
    const result = await stack.stk.run(request.args, {
      cwd: visible(resolve(request.cwd)),
      env,
      ...(request.input ? { input: request.input } : {}),
    });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  };
}

function parseRequest(value: unknown): StkRequest {
  const body = (typeof value === 'object' && value !== null ? value : {}) as Partial<StkRequest>;
  if (!Array.isArray(body.args) || !body.args.every((arg) => typeof arg === 'string'))
    throw new Error('args must be a list of strings');
  if (typeof body.cwd !== 'string' || body.cwd === '') throw new Error('cwd must be a path');
  if (typeof body.env !== 'object' || body.env === null) throw new Error('env must be an object');
  if (body.input !== undefined && typeof body.input !== 'string') throw new Error('input must be text');
  return { args: body.args, cwd: body.cwd, env: body.env, ...(body.input ? { input: body.input } : {}) };
}
