/**
 * `--reuse-stack`: run on the warm stack when it can be used; when only
 * reference sources its services load have changed, have its owner restart
 * those services first (warm-control.ts); otherwise start a fresh stack as
 * the flags say. Each time the user is told which happened and why.
 */
import type { StackKind } from '../model/stack.ts';
import { describeSweep, sweepLeftovers } from './leftovers.ts';
import { createRunDatabases } from './postgres/run-databases.ts';
import type { SourceParts } from './reference-sources.ts';
import type { StackHandles, StackProvider, StackStartContext } from './types.ts';
import { handOffDatabases, requestRefresh, servicesForParts } from './warm-control.ts';
import { checkWarmStack, ownerAlive, removeWarmStack, warmStackHandles, type WarmCheck } from './warm-stack.ts';

function onWarmStack(check: WarmCheck & { usable: true }, context: StackStartContext, how: string): StackHandles {
  const { record } = check;
  for (const secret of record.secrets) context.redactor?.addSecret(secret.value, secret.kind);
  context.onNotice?.(
    `--reuse-stack: ${how} the warm ${record.stack.kind} stack (pid ${record.owner.pid}, up since ${record.startedAt})`,
  );
  const { control } = record;
  // The owner drops them after the run; when it cannot be reached, the run does.
  const handOff = control && ((names: readonly string[]) => handOffDatabases(control, names));
  const adoptDatabase = createRunDatabases(context.teardowns, record.stack.adminDatabaseUrl, handOff);
  return { ...warmStackHandles(record), adoptDatabase };
}

/** The owner restarts what the changed parts need; then the stack is checked again. Undefined: it could not. */
async function refreshed(
  root: string,
  sources: SourceParts,
  check: WarmCheck,
  context: StackStartContext,
): Promise<StackHandles | undefined> {
  if (check.usable || !check.record?.control || !check.changed || servicesForParts(check.changed) === undefined)
    return undefined;
  try {
    const { restarted, ms } = await requestRefresh(check.record.control, check.changed);
    const again = await checkWarmStack(root, sources);
    if (!again.usable) return undefined;
    const what =
      restarted.length > 0 ? `restarted ${restarted.join(', ')} (${(ms / 1000).toFixed(1)} s) on` : 'running on';
    return onWarmStack(again, context, `${check.changed.join(', ')} changed: ${what}`);
  } catch (error) {
    context.onNotice?.(
      `--reuse-stack: the warm stack could not restart its services (${error instanceof Error ? error.message : String(error)})`,
    );
    return undefined;
  }
}

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
      if (check.usable) return onWarmStack(check, context, 'running on');
      const warm = await refreshed(root, sources, check, context);
      if (warm) return warm;
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
