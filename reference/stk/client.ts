/** The Hub as `stk` sees it: one request helper that turns every failure into `Error: request failed: …`. */
import { STATUS_CODES } from 'node:http';
import { send } from '../shared/send.ts';

export class CliError extends Error {
  /** The Hub's error body, printed on stdout under --json. */
  readonly body: string | undefined;

  constructor(message: string, body?: string) {
    super(message);
    this.body = body;
  }
}

export interface HubResponse {
  readonly json: unknown;
  readonly text: string;
}

export interface HubClient {
  request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    query?: Record<string, string | undefined>,
  ): Promise<HubResponse>;
}

export function createHubClient(env: NodeJS.ProcessEnv): HubClient {
  const base = (env.STK_HUB_URL ?? 'http://hub:4000').replace(/\/+$/, '');
  const token = env.STK_AUTH_TOKEN;
  return {
    async request(method, path, body, query) {
      const url = new URL(`${base}${path}`);
      for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
      const headers: Record<string, string> = {};
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      const payload = body === undefined ? undefined : JSON.stringify(body);
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      let response: { status: number; text: string };
      try {
        response = await send(url, { method, headers }, payload);
      } catch (error) {
        throw new CliError(
          `error sending request for url (${url.origin}${url.pathname})\n  caused by: ${(error as Error).message}`,
        );
      }
      const text = response.text;
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (response.status < 200 || response.status > 299) {
        const status = `${response.status} ${STATUS_CODES[response.status] ?? '<unknown status code>'}`;
        const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
        const detail = typeof error?.message === 'string' ? error.message : text || undefined;
        throw new CliError(`request failed: ${status}${detail ? ` (${detail})` : ''}`, text);
      }
      return { json, text };
    },
  };
}
