/** Stack words that results and reports carry: which provider ran, and a service's last log lines. */
export type StackKind = 'embedded' | 'compose' | 'process' | 'external';

export interface LogTail {
  readonly service: string;
  readonly lines: readonly string[];
}
