/**
 * `santokit-it show-report`: serves a report folder on loopback, read-only,
 * nothing outside the folder.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { UsageError } from '../../errors.ts';
import { HTML_REPORT_DIR } from './html-reporter.ts';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.xml': 'application/xml; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
};

/** The folder holding index.html: `<dir>/report` for a run's output directory, or `dir` itself. */
export function resolveReportDir(dir: string): string {
  for (const candidate of [join(dir, HTML_REPORT_DIR), dir])
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  throw new UsageError(
    `no HTML report in ${dir}`,
    'Write one first: santokit-it --reporter list,html (it goes to <output-dir>/report/index.html).',
  );
}

export interface ServedReport {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveReport(root: string, port: number): Promise<ServedReport> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (request.method !== 'GET' || (file !== root && !file.startsWith(root.endsWith(sep) ? root : `${root}${sep}`))) {
      response.writeHead(request.method === 'GET' ? 403 : 405).end();
      return;
    }
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
            'cache-control': 'no-store',
          })
          .end(body),
      () => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n'),
    );
  });
  await listen(server, port);
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} is in use`, 'Pick another with --port, or --port 0 for any free one.')
          : error,
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
