/**
 * The part of the `oidc-provider` package the test identity provider uses.
 * The package ships no type declarations; these cover only what idp/ calls.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface AccountClaims {
    readonly sub: string;
    readonly [claim: string]: unknown;
  }

  export interface Account {
    readonly accountId: string;
    claims(use: string, scope: string): Promise<AccountClaims>;
  }

  export interface ClientMetadata {
    readonly client_id: string;
    readonly client_secret: string;
    readonly redirect_uris: readonly string[];
    readonly grant_types?: readonly string[];
    readonly response_types?: readonly string[];
    readonly token_endpoint_auth_method?: string;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface Session {
    readonly accountId?: string;
    grantIdFor(clientId: string): string | undefined;
  }

  /** The Koa context oidc-provider hands to configuration hooks and middleware. */
  export interface ProviderContext {
    readonly path: string;
    body: unknown;
    type: string;
    readonly oidc?: {
      readonly route?: string;
      readonly client?: { readonly clientId: string };
      readonly session: Session;
      readonly result?: { readonly consent?: { readonly grantId?: string } };
      readonly provider: Provider;
    };
  }

  export interface Configuration {
    readonly clients: readonly ClientMetadata[];
    readonly findAccount: (ctx: ProviderContext, id: string) => Promise<Account | undefined>;
    readonly claims?: Readonly<Record<string, readonly string[]>>;
    readonly scopes?: readonly string[];
    readonly responseTypes?: readonly string[];
    readonly features?: Readonly<Record<string, { readonly enabled: boolean }>>;
    readonly interactions?: { readonly url: (ctx: ProviderContext, interaction: { readonly uid: string }) => string };
    readonly pkce?: { readonly required: () => boolean };
    readonly cookies?: { readonly keys: readonly string[] };
    readonly jwks?: { readonly keys: readonly Record<string, unknown>[] };
    readonly loadExistingGrant?: (ctx: ProviderContext) => Promise<Grant | undefined>;
    readonly ttl?: Readonly<Record<string, number>>;
    readonly renderError?: (ctx: ProviderContext, out: Record<string, unknown>, error: unknown) => void | Promise<void>;
  }

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: { readonly name: string };
    readonly params: Readonly<Record<string, unknown>>;
  }

  export interface InteractionResult {
    readonly login?: { readonly accountId: string };
    readonly consent?: { readonly grantId: string };
    readonly error?: string;
    readonly error_description?: string;
  }

  type Middleware = (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>;

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    readonly Grant: GrantConstructor;
    readonly Client: { prototype: { redirectUriAllowed(value: string): boolean } };
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    use(middleware: Middleware): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: InteractionResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }
}
