/**
 * A fingerprint of the catalog a run selected from: every document's fields
 * and every scenario's id and capability. Shards of one CI run carry the same
 * one; `merge-reports` refuses reports whose fingerprints differ, since their
 * scenarios, statuses and outcomes would not describe one catalog. Line
 * numbers and prose are left out: moving text does not change what runs.
 */
import { createHash } from 'node:crypto';
import type { Catalog } from './catalog.ts';

export function catalogHash(catalog: Catalog): string {
  const hash = createHash('sha256');
  const values = (list: readonly { readonly value: string }[]) => list.map((item) => item.value);
  const documents = [...catalog.documents]
    .map((document) => ({
      file: document.file,
      id: document.id?.value,
      domain: document.domain?.value,
      status: document.status?.value,
      depends: values(document.depends),
      specRefs: values(document.specRefs),
      testRefs: values(document.testRefs),
      codeRefs: values(document.codeRefs),
    }))
    .sort((a, b) => a.file.localeCompare(b.file));
  hash.update(JSON.stringify(documents));
  const scenarios = catalog.modules
    .flatMap((module) => (module.status === 'ok' ? module.scenarios.map((scenario) => `${scenario.file}::${scenario.name}@${scenario.capability}`) : [`${module.file}!error`]))
    .sort();
  hash.update('\0').update(JSON.stringify(scenarios));
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}
