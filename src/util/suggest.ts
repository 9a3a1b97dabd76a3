/** "Did you mean …": the candidates closest to a mistyped name. */

export function closest(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase();
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: distance(needle, candidate.toLowerCase()) }))
    .filter(({ candidate, distance: d }) => d <= limit || candidate.toLowerCase().includes(needle))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, max)
    .map(({ candidate }) => candidate);
}

export function didYouMean(input: string, candidates: readonly string[]): string {
  const names = closest(input, candidates);
  return names.length > 0 ? `Did you mean ${names.map((name) => `'${name}'`).join(' or ')}?` : '';
}

/** Levenshtein distance with a single rolling row. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}
