/** Reads and parses capability documents, in sorted order. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCapability } from './parse-capability.ts';
import type { CapabilityDocument, ValidationIssue } from './types.ts';

export interface ParsedFiles {
  readonly documents: CapabilityDocument[];
  readonly parseIssues: ValidationIssue[];
}

/**
 * Synchronous on purpose: for thousands of small files a read per promise
 * costs more than it overlaps (and a worker thread measured slower still).
 */
export function parseCapabilityFiles(root: string, files: readonly string[]): ParsedFiles {
  const documents: CapabilityDocument[] = [];
  const parseIssues: ValidationIssue[] = [];
  for (const file of files) {
    const parsed = parseCapability(file, readFileSync(join(root, file), 'utf8'));
    if (parsed.status === 'ok') documents.push(parsed.document);
    else parseIssues.push(parsed.issue);
  }
  return { documents, parseIssues };
}
