/** One HTTP(S) request with node:http, answered as status and text (no fetch: it costs more to load than a CLI's few requests). */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';

export interface TextResponse {
  readonly status: number;
  readonly text: string;
}

export async function send(url: URL, options: RequestOptions, body?: string): Promise<TextResponse> {
  const request = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, options, (incoming: IncomingMessage) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
