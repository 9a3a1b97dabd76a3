/** The Hub's environment, read once at start; a missing variable is a one-line error, not a stack trace. */
import { parsePasetoKeys, type SigningSecret } from '../shared/paseto-keys.ts';
import { SERVICE_TOKEN_ENV } from '../shared/contract.ts';
import { DEFAULT_PASSWORD_COST } from './crypto.ts';

export interface HubConfig {
  readonly port: number;
  /** Interface to listen on: `STK_HUB_HOST`, default every interface (as upstream, for containers). */
  readonly host: string;
  readonly databaseUrl: string;
  readonly pasetoKeys: readonly SigningSecret[];
  readonly secretKey: string;
  readonly serviceToken: string;
  readonly operator: { readonly email: string; readonly password: string };
  /**
   * `STK_HUB_TEST_MODE=1`: OIDC issuers may use plain http on a loopback host or one of `testHttpHosts`
   * (a local test identity provider), and an OIDC start may shorten its exchange code's lifetime.
   */
  readonly testMode: boolean;
  /** `STK_HUB_TEST_HTTP_HOSTS`: more host names allowed with plain http in test mode (e.g. `idp` on a compose network). */
  readonly testHttpHosts: readonly string[];
  /** `STK_HUB_PASSWORD_COST`: scrypt's log2 N for new password hashes, 14 by default; below 14 only in test mode. */
  readonly passwordCost: number;
  /** `STK_HUB_PUBLIC_URL`: the Hub's origin as browsers reach it (OIDC callback URLs); default the origin of the start request. */
  readonly publicUrl: string | undefined;
}

export class ConfigError extends Error {}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigError(`${name} is required`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv): HubConfig {
  const port = Number(env.STK_HUB_PORT ?? '4000');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`STK_HUB_PORT '${env.STK_HUB_PORT}' is not a port number`);
  let pasetoKeys: SigningSecret[];
  try {
    pasetoKeys = parsePasetoKeys(required(env, 'STK_PASETO_KEYS'));
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const secretKey = required(env, 'STK_SECRET_KEY');
  if (secretKey.length < 16) throw new ConfigError('STK_SECRET_KEY must be at least 16 characters');
  const testMode = env.STK_HUB_TEST_MODE === '1';
  return {
    port,
    host: env.STK_HUB_HOST || '0.0.0.0',
    databaseUrl: required(env, 'STK_HUB_DB_URL'),
    pasetoKeys,
    secretKey,
    serviceToken: required(env, SERVICE_TOKEN_ENV),
    operator: {
      email: env.STK_OPERATOR_EMAIL ?? 'owner@example.com',
      password: env.STK_OPERATOR_PASSWORD ?? 'password',
    },
    testMode,
    testHttpHosts: (env.STK_HUB_TEST_HTTP_HOSTS ?? '')
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean),
    passwordCost: passwordCost(env.STK_HUB_PASSWORD_COST, testMode),
    publicUrl: env.STK_HUB_PUBLIC_URL ? env.STK_HUB_PUBLIC_URL.replace(/\/+$/, '') : undefined,
  };
}

/** scrypt's log2 N: below the default only for a test stack, whose passwords are made up by the run (about 2.5 ms a hash at 10). */
const PASSWORD_COSTS = { testMinimum: 10, maximum: 17 } as const;

function passwordCost(value: string | undefined, testMode: boolean): number {
  if (value === undefined || value === '') return DEFAULT_PASSWORD_COST;
  const cost = Number(value);
  const minimum = testMode ? PASSWORD_COSTS.testMinimum : DEFAULT_PASSWORD_COST;
  if (Number.isInteger(cost) && cost >= minimum && cost <= PASSWORD_COSTS.maximum) return cost;
  const lower = testMode ? '' : ` (${PASSWORD_COSTS.testMinimum} with STK_HUB_TEST_MODE=1)`;
  throw new ConfigError(
    `STK_HUB_PASSWORD_COST '${value}' must be a whole number from ${minimum}${lower} to ${PASSWORD_COSTS.maximum}`,
  );
}
