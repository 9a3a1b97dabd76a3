/** Stack words that flags, results and reports share: which provider runs, where its PostgreSQL comes from, a service's last log lines. */

/** Every stack provider, in the order help texts list them; stack/index.ts maps each to its provider. */
export const STACK_KINDS = ['embedded', 'compose', 'process', 'external'] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/** Where the embedded and process stacks get PostgreSQL (`--db`). */
export const DB_SOURCES = ['embedded', 'container', 'url'] as const;
export type DbSource = (typeof DB_SOURCES)[number];

export interface LogTail {
  readonly service: string;
  readonly lines: readonly string[];
}
