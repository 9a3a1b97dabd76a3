/** Small HTTP helpers of the test identity provider's own routes (health and the login step). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails } from 'oidc-provider';

const MAX_FORM_BYTES = 64 * 1024;

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** A urlencoded or JSON body as flat string fields; anything else reads as empty. */
export async function readForm(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_FORM_BYTES) return {};
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(
        Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

const escape = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** JSON for programs (`Accept: application/json`), a minimal form for people. */
export function loginPage(request: IncomingMessage, response: ServerResponse, details: InteractionDetails): void {
  const summary = {
    uid: details.uid,
    prompt: details.prompt.name,
    client_id: details.params.client_id,
    login: `/interaction/${details.uid}/login`,
  };
  if ((request.headers.accept ?? '').includes('application/json')) return sendJson(response, 200, summary);
  const html = `<!doctype html><title>Test sign-in</title><form method="post" action="${escape(summary.login)}">
<p>Sign in to ${escape(String(summary.client_id))}</p><input name="email" placeholder="email"> <input name="password" type="password" placeholder="password"> <button>Sign in</button></form>`;
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(html);
}
