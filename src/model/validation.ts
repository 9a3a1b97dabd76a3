/** What the catalog check finds: every issue with its file, line, code and hint. */
export type Severity = 'error' | 'warning';

export interface ValidationIssue {
  readonly code: string;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly message: string;
  readonly hint: string;
}

export interface ValidationReport {
  readonly ok: boolean;
  readonly issues: readonly ValidationIssue[];
  readonly summary: {
    readonly documents: number;
    readonly scenarios: number;
    readonly errors: number;
    readonly warnings: number;
    readonly byCode: Readonly<Record<string, number>>;
  };
}
