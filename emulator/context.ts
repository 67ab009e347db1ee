import type { JwtSigner } from './jwt.js';
import type { Rbac } from './rbac.js';
import type { Scenario } from './scenario.js';

/** Base URLs of the emulated services, e.g. `https://127.0.0.1:PORT` (no trailing slash). */
export interface EmulatorUrls {
  github: string;
  entra: string;
  arm: string;
  data: string;
}

/** Everything the service handlers share. */
export interface EmulatorContext {
  scenario: Scenario;
  urls: EmulatorUrls;
  /** Epoch milliseconds by the emulator's clock (overridable, so tests can expire tokens). */
  now(): number;
  /** `now()` when the emulator started; assignments' `effectiveAfterSeconds` count from here. */
  startedAt: number;
  /** Signs GitHub OIDC tokens; Entra trusts it for the GitHub issuer. */
  githubKey: JwtSigner;
  /** Signs Entra access tokens; ARM and the data plane trust it. */
  entraKey: JwtSigner;
  /** The runner's ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  runtimeToken: string;
  rbac: Rbac;
  /** Every token handed out, so tests can look for leaks in output. */
  issuedTokens: string[];
}

/** Seconds since the epoch, as JWT time claims count. */
export function epochSeconds(context: EmulatorContext): number {
  return Math.floor(context.now() / 1000);
}
