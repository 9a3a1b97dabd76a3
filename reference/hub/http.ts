/** Request reading shared by the routes: JSON bodies, typed fields, query parameters — every failure a 400 envelope. */
import type { Context } from 'hono';
import { badRequest } from '../shared/http-error.ts';

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_BODY_TEXT = `request body is larger than 1 MiB`;

export type Body = Record<string, unknown>;

export async function readBody(c: Context): Promise<Body> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) throw badRequest('Content-Type must be application/json');
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw badRequest(MAX_BODY_TEXT);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw badRequest(MAX_BODY_TEXT);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest('request body must be a JSON object');
  return parsed as Body;
}

export function str(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '')
    throw badRequest(`field '${field}' is required and must be a non-empty string`);
  return value;
}

export function optionalStr(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`field '${field}' must be a string`);
  return value;
}

export function bool(body: Body, field: string): boolean {
  const value = body[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw badRequest(`field '${field}' must be a boolean`);
  return value;
}

export function queryParam(c: Context, name: string): string {
  const value = c.req.query(name);
  if (value === undefined || value === '') throw badRequest(`query parameter '${name}' is required`);
  return value;
}

/** Names of projects, envs and keys: lower-case letters, digits, `_` and `-`, starting with a letter. */
export const NAME = /^[a-z][a-z0-9_-]{0,62}$/;
/** Connection names: as NAME but without `-`. */
export const CONNECTION_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export function checkName(value: string, field: string, pattern = NAME): string {
  if (!pattern.test(value)) {
    const allowed =
      pattern === CONNECTION_NAME ? 'lower-case letters, digits and _' : 'lower-case letters, digits, _ and -';
    throw badRequest(`${field} '${value.slice(0, 64)}' is not a valid name (${allowed}, starting with a letter)`);
  }
  return value;
}

export function name(body: Body, field: string, pattern = NAME): string {
  return checkName(str(body, field), field, pattern);
}
