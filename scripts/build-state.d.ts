export declare const PACKAGE_ROOT: string;
export declare const STAMP: string;
export declare const SERVICES: readonly ['hub', 'bridge', 'idp', 'objectstore', 'stk'];
export interface SourceFingerprint {
  readonly runner: { readonly newest: number; readonly files: number };
  readonly services: Record<string, { readonly newest: number; readonly files: readonly string[] }>;
}
export declare function sourceFingerprint(root?: string): Promise<SourceFingerprint>;
export declare function buildIsFresh(root?: string, part?: 'runner' | (typeof SERVICES)[number]): boolean;
