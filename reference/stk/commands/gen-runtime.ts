/**
 * The part of a generated TypeScript client that does not depend on the
 * schema: the table API over `POST /call` (SDK-003), `SantokitError`
 * (SDK-004) and the credential handling (SDK-005). It must compile under
 * `strict`, `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess` and
 * `erasableSyntaxOnly`, and needs nothing but the platform `fetch`.
 */
// String.raw keeps the generated code's characters as written; the one template literal it holds is spelled with these.
const BACKTICK = '`';
const DOLLAR = '$';

export const RUNTIME = String.raw`type Call = (path: string, params: object) => Promise<unknown>;

/** A failure answered by the Bridge: its error code, message and request id, unchanged. */
export class SantokitError extends Error {
  readonly code: string;
  readonly requestId: string;

  constructor(code: string, message: string, requestId: string) {
    super(message);
    this.name = 'SantokitError';
    this.code = code;
    this.requestId = requestId;
  }
}

/** What the client is built with: the Bridge and exactly one credential. */
export interface SantokitClientOptions {
  /** The Bridge's base URL; requests go to <bridgeUrl>/call. */
  bridgeUrl: string;
  /** For servers and CI: sent as X-Santokit-Api-Key. */
  apiKey?: string;
  /** An end user's access token: sent as Authorization: Bearer. Never refreshed by the client. */
  accessToken?: string;
  /** Project and env hints (X-Santokit-Project / X-Santokit-Env): both or neither. */
  project?: string;
  env?: string;
  /** The fetch to send with; the platform's by default. */
  fetch?: typeof fetch;
}

function dataOf(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('data' in body)) throw new Error('unexpected answer from the Bridge: no data member');
  return body.data;
}

/** Rows of a select ('data' is the array; a Bridge that nests it as 'data.data' is read too) or the row of an insert. */
function rowsOf<TRow>(body: unknown): TRow[] {
  const data = dataOf(body);
  if (Array.isArray(data)) return data as TRow[];
  if (typeof data === 'object' && data !== null && 'data' in data && Array.isArray(data.data)) return data.data as TRow[];
  if (typeof data === 'object' && data !== null) return [data as TRow];
  throw new Error('unexpected answer from the Bridge: data is neither rows nor a row');
}

function affectedOf(body: unknown): number {
  const data = dataOf(body);
  if (typeof data === 'object' && data !== null && 'affected' in data && typeof data.affected === 'number') return data.affected;
  throw new Error('unexpected answer from the Bridge: no affected count');
}

/**
 * The filter that finds rows after an update: the update's filter with each
 * column the update wrote to a plain value replaced by that value, and
 * dropped when it wrote an object or array (not expressible as equality).
 */
function afterUpdate(where: object, data: object): object {
  const next: Record<string, unknown> = { ...where };
  for (const [column, value] of Object.entries(data)) {
    if (value === null || typeof value !== 'object') next[column] = value;
    else delete next[column];
  }
  return next;
}

/** One table of the schema: every method is one or more POST /call requests on db/<table>/<op>. */
export class TableApi<TRow extends object, TInsert extends object> {
  readonly #call: Call;
  readonly table: string;

  constructor(call: Call, table: string) {
    this.#call = call;
    this.table = table;
  }

  async select(params: {
    where?: Partial<TRow>;
    orderBy?: Record<string, 'asc' | 'desc'>;
    limit?: number;
    offset?: number;
    expand?: string[];
  } = {}): Promise<TRow[]> {
    return rowsOf<TRow>(await this.#call('db/' + this.table + '/select', params));
  }

  /** One request per row, in order; a failure rejects at that row and the rows before it stay inserted. */
  async insert(data: TInsert | TInsert[]): Promise<TRow[]> {
    const rows: readonly TInsert[] = Array.isArray(data) ? data : [data];
    const inserted: TRow[] = [];
    for (const values of rows) inserted.push(...rowsOf<TRow>(await this.#call('db/' + this.table + '/insert', { values })));
    return inserted;
  }

  /**
   * The rows as updated, from the Bridge's answer. A Bridge that answers only
   * a count has them read back with a select (which then needs the select permission).
   */
  async update(where: Partial<TRow>, data: Partial<TInsert>): Promise<TRow[]> {
    const body = await this.#call('db/' + this.table + '/update', { where, data });
    if (Array.isArray(dataOf(body))) return rowsOf<TRow>(body);
    const affected = affectedOf(body);
    if (affected === 0) return [];
    return this.select({ where: afterUpdate(where, data) as Partial<TRow>, limit: Math.min(affected, 1000) });
  }

  async delete(where: Partial<TRow>): Promise<{ affected: number }> {
    return { affected: affectedOf(await this.#call('db/' + this.table + '/delete', { where })) };
  }
}

interface ErrorFields {
  code?: string;
  message?: string;
  requestId?: string;
  error?: ErrorFields;
}

/** The string fields of an error body (an envelope or its inner object); null when it is not JSON. */
function parseErrorBody(text: string): ErrorFields | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const fields = (value: unknown): ErrorFields | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Record<string, unknown>;
    const found: ErrorFields = {};
    for (const key of ['code', 'message', 'requestId'] as const) {
      const field = record[key];
      if (typeof field === 'string') found[key] = field;
    }
    const inner = fields(record['error']);
    if (inner !== undefined) found.error = inner;
    return found;
  };
  return fields(parsed) ?? null;
}

function callOf(options: SantokitClientOptions): Call {
  const hasApiKey = !!options.apiKey;
  const hasAccessToken = !!options.accessToken;
  if (hasApiKey === hasAccessToken) throw new Error('Exactly one of apiKey or accessToken must be provided');
  if (!options.project !== !options.env) throw new Error('project and env must be given together');
  const url = options.bridgeUrl.replace(/[/]+$/, '') + '/call';
  const fetch = options.fetch ?? globalThis.fetch;
  return async (path, params) => {
    const headers: Record<string, string> & { Authorization?: string } = { 'Content-Type': 'application/json' };
    if (options.project && options.env) {
      headers['X-Santokit-Project'] = options.project;
      headers['X-Santokit-Env'] = options.env;
    }
    if (options.apiKey) headers['X-Santokit-Api-Key'] = options.apiKey;
    if (options.accessToken) headers.Authorization = ${BACKTICK}Bearer ${DOLLAR}{options.accessToken}${BACKTICK};
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ path, params }) });
    if (!res.ok) {
      const rawText = await res.text();
      const payload = parseErrorBody(rawText);
      const bodyErr = payload?.error ?? payload;
      const code = bodyErr?.code ?? 'INTERNAL_ERROR';
      const message = bodyErr?.message ?? (rawText || 'Request failed: ' + res.status);
      const requestId = bodyErr?.requestId ?? res.headers.get('x-request-id') ?? '';
      throw new SantokitError(code, message, requestId);
    }
    return res.json() as Promise<unknown>;
  };
}
`;
