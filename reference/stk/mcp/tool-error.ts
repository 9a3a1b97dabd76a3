/**
 * Failures of a tool call, answered as JSON-RPC errors: the integer `code`
 * JSON-RPC requires, a message starting with the catalog code of
 * plan/spec/errors.md, and that code again as `data.code`.
 */

export const RPC = {
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  parseError: -32700,
  serverError: -32000,
  forbidden: -32003,
  notFound: -32004,
  timeout: -32008,
} as const;

export class ToolError extends Error {
  /** Read by the SDK's protocol layer: it becomes `error.code` of the response. */
  readonly code: number;
  /** Sent as `error.data`. */
  readonly data: { readonly code: string } | undefined;

  constructor(code: number, message: string, catalogCode?: string) {
    super(catalogCode === undefined ? message : `${catalogCode}: ${message}`);
    this.code = code;
    this.data = catalogCode === undefined ? undefined : { code: catalogCode };
  }
}

export const forbidden = () => new ToolError(RPC.forbidden, 'insufficient role: project:viewer required', 'FORBIDDEN');
export const notFound = (message: string) => new ToolError(RPC.notFound, message, 'NOT_FOUND');
export const invalidParams = (message: string) => new ToolError(RPC.invalidParams, `Invalid params: ${message}`);
export const unknownTool = (name: string) =>
  new ToolError(RPC.methodNotFound, `Method not found: unknown tool '${name.slice(0, 64)}'`);
export const timedOut = (limitMs: number) =>
  new ToolError(RPC.timeout, `tool execution exceeded ${limitMs / 1000}s limit`, 'TIMEOUT');
export const unavailable = (message: string) => new ToolError(RPC.serverError, message, 'SERVICE_UNAVAILABLE');
export const internal = (message: string) => new ToolError(RPC.serverError, message, 'INTERNAL_ERROR');
