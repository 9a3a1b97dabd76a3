/** Rules across documents: unique ids and a sound dependency graph. */
import { documentsById, type Catalog } from '../catalog.ts';
import { issue } from '../parse-capability.ts';
import { didYouMean } from '../../util/suggest.ts';
import type { CapabilityDocument, ValidationIssue } from '../types.ts';
import { ID_PATTERN } from './document-rules.ts';

/** Every document sharing an id is reported, each naming the others. */
export function capabilityIdsAreUnique(catalog: Catalog): ValidationIssue[] {
  const byId = new Map<string, CapabilityDocument[]>();
  for (const document of catalog.documents) {
    const id = document.id?.value;
    if (id === undefined) continue;
    const group = byId.get(id);
    if (group) group.push(document);
    else byId.set(id, [document]);
  }
  return [...byId.entries()]
    .filter(([, documents]) => documents.length > 1)
    .flatMap(([id, documents]) =>
      documents.map((document) => {
        const others = documents.filter((other) => other !== document).map((other) => other.file).join(', ');
        return issue('ID_DUPLICATE', document.file, document.id?.line ?? 1, `id ${id} is also used by ${others}`, 'Give each capability its own id.');
      }),
    );
}

export function dependenciesExist(catalog: Catalog): ValidationIssue[] {
  const byId = documentsById(catalog);
  const ids = [...byId.keys()];
  return catalog.documents.flatMap((document) =>
    document.depends
      .filter((dependency) => ID_PATTERN.test(dependency.value) && !byId.has(dependency.value))
      .map((dependency) => issue('DEPENDS_UNKNOWN', document.file, dependency.line, `depends on unknown capability ${dependency.value}`, didYouMean(dependency.value, ids) || 'Remove it, or write that capability.')),
  );
}

/** Reports each dependency cycle once, naming every member in order. */
export function dependenciesHaveNoCycle(catalog: Catalog): ValidationIssue[] {
  const byId = documentsById(catalog);
  const state = new Map<string, 'visiting' | 'done'>();
  const issues: ValidationIssue[] = [];
  const visit = (id: string, path: string[]): void => {
    state.set(id, 'visiting');
    for (const dependency of byId.get(id)?.depends ?? []) {
      const next = dependency.value;
      if (!byId.has(next)) continue;
      if (state.get(next) === 'visiting') {
        const cycle = [...path.slice(path.indexOf(next)), next];
        const owner = byId.get(id);
        if (owner) issues.push(issue('DEPENDS_CYCLE', owner.file, dependency.line, `dependency cycle: ${cycle.join(' → ')}`, 'Remove one of these depends entries to break the cycle.'));
      } else if (state.get(next) === undefined) {
        visit(next, [...path, next]);
      }
    }
    state.set(id, 'done');
  };
  for (const id of [...byId.keys()].sort()) {
    if (state.get(id) === undefined) visit(id, [id]);
  }
  return issues;
}

export function dependenciesAreAsMature(catalog: Catalog): ValidationIssue[] {
  const byId = documentsById(catalog);
  return catalog.documents
    .filter((document) => document.status?.value === 'implemented')
    .flatMap((document) =>
      document.depends
        .filter((dependency) => byId.get(dependency.value)?.status?.value === 'planned')
        .map((dependency) => ({
          ...issue('DEPENDS_LESS_MATURE', document.file, dependency.line, `implemented capability depends on planned ${dependency.value}`, `Implement ${dependency.value} first, or lower this capability's status.`),
          severity: 'warning' as const,
        })),
    );
}
