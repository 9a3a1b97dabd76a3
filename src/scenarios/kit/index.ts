/** Everything a scenario module needs, from one import. */
export { defineScenario } from './scenario.ts';
export type { ScenarioContext } from './context.ts';
export type { Credentials } from './bridge.ts';
export type { HttpClient, HttpResponse } from './http.ts';
export { eventually, expectAffected, expectError, expectExit, expectRows, expectStatus } from './assertions.ts';
export {
  addEnv,
  adminCaller,
  bareProject,
  bootstrapProject,
  createApiKey,
  signupAndLogin,
  type BootstrappedProject,
  type EndUserSession,
} from './project.ts';
export { expectInvalidColumn, expectNoData, expectRow, expectUpdated, type ColumnErrorBody } from './crud.ts';
export { expectRefused, refusedCallers, type RefusedCallers } from './callers.ts';
export { setMainConnection } from './connections.ts';
export { CODE_STATUS, expectEnvelope, type EnvelopeCheck } from './envelope.ts';
export { expectDataOnly } from './shapes.ts';
export { applyFolder, readProjectFolder, type ApplyBody } from './apply.ts';
export {
  appliedReleaseId,
  currentRelease,
  expectApplyRefused,
  hubCurrentRelease,
  type RefusedApply,
} from './releases.ts';
export { SAMPLE_ROW } from './column-types.ts';
export {
  createOidcBrowser,
  idpOf,
  IDP_CLIENTS,
  IDP_USERS,
  signInAtIdp,
  type BrowserHop,
  type OidcBrowser,
} from './oidc.ts';
export { projectOperator, signUpOperator, type ProjectOperator } from './operators.ts';
export {
  endUserTokenFor,
  expectStillAlive,
  operatorTokenFor,
  tokenWithClaims,
  waitUntilExpired,
  type TimedToken,
} from './tokens.ts';
export {
  bridgeLogLines,
  downloadObject,
  expectNoObject,
  expectObject,
  expectSigned,
  expiresOf,
  fetchSigned,
  storageCall,
  storageProject,
  uploadObject,
  type ObjectResponse,
  type SignedUrl,
  type StorageProject,
} from './storage.ts';
