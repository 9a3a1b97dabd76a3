/**
 * One compiler thread per run (tsc-worker.ts), started on the first compile
 * and shared by every SDK scenario: a cold `tsc` process costs about two
 * seconds of CPU (loading TypeScript, parsing lib.dom.d.ts), the thread pays
 * that once. It runs off the main thread, so a compile never stalls the
 * other scenarios' requests, and it does not keep the run alive.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompileAnswer, CompileRequest } from './tsc-worker.ts';

interface Pending {
  readonly resolve: (answer: CompileAnswer) => void;
  readonly reject: (error: Error) => void;
}

let thread: { readonly worker: Worker; readonly pending: Map<number, Pending> } | undefined;
let nextId = 1;

/**
 * The worker module is TypeScript when the scenarios run from their sources
 * (always, through tsx): a worker thread does not inherit the loader, so the
 * thread registers tsx itself before importing it.
 */
function startThread(): NonNullable<typeof thread> {
  const here = fileURLToPath(import.meta.url);
  const entry = pathToFileURL(here.replace(/tsc-thread\.(ts|js)$/, 'tsc-worker.$1')).href;
  const boot = here.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`
    : `import(${JSON.stringify(entry)});`;
  const worker = new Worker(boot, { eval: true });
  const pending = new Map<number, Pending>();
  const fail = (error: Error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    if (thread?.worker === worker) thread = undefined;
  };
  worker.on('message', (answer: CompileAnswer) => {
    pending.get(answer.id)?.resolve(answer);
    pending.delete(answer.id);
    if (pending.size === 0) worker.unref();
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the compiler thread ended (exit ${code})`)));
  worker.unref();
  return { worker, pending };
}

/** `tsc -p <project> --pretty false` on the shared thread; rejects when `signal` aborts first. */
export function compileOnThread(project: string, signal: AbortSignal): Promise<CompileAnswer> {
  thread ??= startThread();
  const { worker, pending } = thread;
  const id = nextId++;
  return new Promise<CompileAnswer>((resolve, reject) => {
    const onAbort = () => {
      pending.delete(id);
      reject(new Error('compile aborted'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    pending.set(id, {
      resolve: (answer) => {
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
      },
      reject: (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    });
    worker.ref();
    worker.postMessage({ id, project } satisfies CompileRequest);
  });
}
