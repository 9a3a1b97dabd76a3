/**
 * `--reuse-stack`: run on the warm stack when it can be used, otherwise start
 * a fresh stack as the flags say, and tell the user which happened and why.
 */
import type { StackKind } from '../model/stack.ts';
import { describeSweep, sweepLeftovers } from './leftovers.ts';
import type { SourceParts } from './reference-sources.ts';
import type { StackProvider } from './types.ts';
import { checkWarmStack, ownerAlive, removeWarmStack, warmStackHandles } from './warm-stack.ts';

export function createReusingProvider(
  root: string,
  sources: SourceParts,
  kind: StackKind,
  fresh: () => Promise<StackProvider>,
): StackProvider {
  return {
    kind,
    async start(context) {
      const check = await checkWarmStack(root, sources);
      if (check.usable) {
        const { record } = check;
        for (const secret of record.secrets) context.redactor?.addSecret(secret.value, secret.kind);
        context.onNotice?.(
          `--reuse-stack: running on the warm ${record.stack.kind} stack (pid ${record.owner.pid}, up since ${record.startedAt})`,
        );
        return warmStackHandles(record);
      }
      if (check.record && !ownerAlive(check.record)) {
        // Its owner was killed: what it left is swept now, and its record goes with it.
        removeWarmStack(root, check.record.owner.pid);
        const swept = describeSweep(sweepLeftovers());
        if (swept) context.onNotice?.(swept);
      }
      context.onNotice?.(`--reuse-stack: ${check.reason}; starting a fresh stack for this run`);
      return (await fresh()).start(context);
    },
  };
}
