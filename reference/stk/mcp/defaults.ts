/** Where `stk mcp start` listens unless told otherwise: loopback only, port 8080 (Santokit's default). */
export const MCP_HOST = '127.0.0.1';
export const DEFAULT_MCP_PORT = 8080;
