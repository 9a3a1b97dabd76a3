/** How to reach a started stack: text with shell exports, or one JSON line for scripts. */
import type { StackHandles } from '../stack/types.ts';
import { shellQuote } from './selection-format.ts';

export interface StackInfo {
  readonly hubUrl: string;
  readonly bridgeUrl: string;
  readonly adminDatabaseUrl: string;
  readonly stk: readonly string[];
  readonly operator: { readonly email: string; readonly password: string };
  /** The test OpenID Connect provider: where to reach it and the issuer the Hub knows it by. */
  readonly idp?: { readonly url: string; readonly issuer: string };
  /** The S3-compatible object store: where to reach it and the origin the Bridge signs URLs for. */
  readonly objectStore?: { readonly url: string; readonly endpoint: string };
}

export function stackInfo(stack: StackHandles): StackInfo {
  const info = {
    hubUrl: stack.hubUrl,
    bridgeUrl: stack.bridgeUrl,
    adminDatabaseUrl: stack.adminDatabaseUrl,
    stk: stack.stk.argv,
    operator: stack.operator,
  };
  return {
    ...info,
    ...(stack.idp ? { idp: { url: stack.idp.url, issuer: stack.idp.issuer } } : {}),
    ...(stack.objectStore ? { objectStore: { url: stack.objectStore.url, endpoint: stack.objectStore.endpoint } } : {}),
  };
}

export function formatStackInfoJson(stack: StackHandles): string {
  return `${JSON.stringify(stackInfo(stack))}\n`;
}

export function formatStackInfoText(stack: StackHandles): string {
  const info = stackInfo(stack);
  return [
    `stack ${stack.kind} is up:`,
    `  hub      ${info.hubUrl}`,
    `  bridge   ${info.bridgeUrl}`,
    `  postgres ${info.adminDatabaseUrl}`,
    ...(info.idp ? [`  idp      ${info.idp.url} (issuer ${info.idp.issuer})`] : []),
    ...(info.objectStore
      ? [
          `  objects  ${info.objectStore.url}${info.objectStore.endpoint === info.objectStore.url ? '' : ` (signed for ${info.objectStore.endpoint})`}`,
        ]
      : []),
    `  operator ${info.operator.email} / ${info.operator.password}`,
    '',
    'export these to use it:',
    `  export STK_HUB_URL=${shellQuote(info.hubUrl)}`,
    `  export STK_BRIDGE_URL=${shellQuote(info.bridgeUrl)}`,
    `  export DATABASE_URL=${shellQuote(info.adminDatabaseUrl)}`,
    `  alias stk=${shellQuote(info.stk.map(shellQuote).join(' '))}`,
    '',
    'Press Ctrl-C to tear it down.',
    '',
  ].join('\n');
}
