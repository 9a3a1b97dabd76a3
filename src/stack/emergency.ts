/**
 * Last-resort kills for a second SIGINT: synchronous, no waiting. Providers
 * register one per process group or container they start, and remove it
 * once that thing is stopped.
 */

const kills = new Set<() => void>();

export function onEmergencyKill(kill: () => void): () => void {
  kills.add(kill);
  return () => kills.delete(kill);
}

export function runEmergencyKills(): void {
  for (const kill of kills) {
    try {
      kill();
    } catch {
      // Already gone, or not ours to kill any more: nothing more can be done now.
    }
  }
  kills.clear();
}
