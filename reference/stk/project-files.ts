/** Reads a Santokit project folder (the working directory) into the apply request's fields. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface ProjectBundle {
  readonly schema: { file: string; content: string }[];
  readonly permissions: string | null;
  readonly storage: string | null;
  readonly logics: Record<string, string> | null;
}

function readOptional(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

function sqlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sqlFiles(path) : entry.endsWith('.sql') ? [path] : [];
  });
}

export function readProjectFolder(root: string): ProjectBundle {
  const schemaDir = join(root, 'schema');
  const schema = existsSync(schemaDir)
    ? readdirSync(schemaDir)
        .filter((entry) => /\.ya?ml$/.test(entry))
        .sort()
        .map((entry) => ({ file: `schema/${entry}`, content: readFileSync(join(schemaDir, entry), 'utf8') }))
    : [];
  const logicsDir = join(root, 'logics');
  const files = sqlFiles(logicsDir).sort();
  const logics =
    files.length === 0
      ? null
      : Object.fromEntries(
          files.map((path) => [
            relative(logicsDir, path)
              .split(sep)
              .join('/')
              .replace(/\.sql$/, ''),
            readFileSync(path, 'utf8'),
          ]),
        );
  return {
    schema,
    permissions: readOptional(join(root, 'config', 'permissions.yaml')),
    storage: readOptional(join(root, 'config', 'storage.yaml')),
    logics,
  };
}
