export declare const PACKAGE_ROOT: string;
export declare const STAMP: string;
export declare function sourceFingerprint(root?: string): { newest: number; files: number };
export declare function buildIsFresh(root?: string): boolean;
