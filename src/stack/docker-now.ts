/**
 * Docker removals for the moments nothing may wait: the second Ctrl-C, the
 * process's `exit`, and the sweep of a killed run's leftovers. Synchronous,
 * bounded, and quiet about things already gone.
 */
import { execFileSync } from 'node:child_process';

const LIST_TIMEOUT_MS = 5_000;
const REMOVE_TIMEOUT_MS = 10_000;

/**
 * Removes a compose project's containers (with their anonymous volumes), then
 * its networks and named volumes. Throws when Docker does not answer.
 */
export function removeProjectNow(projectName: string): void {
  const label = `label=com.docker.compose.project=${projectName}`;
  const list = (args: string[]) =>
    execFileSync('docker', [...args, '--filter', label], { encoding: 'utf8', timeout: LIST_TIMEOUT_MS })
      .split('\n')
      .filter(Boolean);
  const containers = list(['ps', '-aq']);
  if (containers.length > 0)
    execFileSync('docker', ['rm', '-f', '-v', ...containers], { stdio: 'ignore', timeout: REMOVE_TIMEOUT_MS });
  for (const kind of ['network', 'volume']) {
    const names = list([kind, 'ls', '-q']);
    if (names.length > 0)
      execFileSync('docker', [kind, 'rm', ...names], { stdio: 'ignore', timeout: REMOVE_TIMEOUT_MS });
  }
}

/** Removes the container called `name` and its anonymous volumes; one that never existed is not an error. */
export function removeContainerNow(name: string): void {
  const found = execFileSync('docker', ['ps', '-aq', '--filter', `name=^/?${name}$`], {
    encoding: 'utf8',
    timeout: LIST_TIMEOUT_MS,
  }).trim();
  if (found !== '') execFileSync('docker', ['rm', '-f', '-v', name], { stdio: 'ignore', timeout: REMOVE_TIMEOUT_MS });
}
