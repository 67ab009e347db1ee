import type { EmulatorContext } from './context.js';
import { epochSeconds } from './context.js';
import type { JwtClaims } from './jwt.js';

export type AccessTokenProblem = 'missing' | 'malformed' | 'signature' | 'expired' | 'not-yet-valid' | 'audience';

export type AccessTokenCheck =
  | { ok: true; principalId: string; claims: JwtClaims }
  | { ok: false; problem: AccessTokenProblem; detail: string; claims?: JwtClaims };

/**
 * Validates an Entra access token the way a resource server does: our Entra signature, inside its
 * lifetime, and issued for one of `audiences` (compared without a trailing slash, case-insensitively).
 */
export function checkAccessToken(context: EmulatorContext, bearer: string | undefined, audiences: readonly string[]): AccessTokenCheck {
  if (bearer === undefined) return { ok: false, problem: 'missing', detail: 'no bearer token was presented' };
  const verified = context.entraKey.verify(bearer);
  if (!verified.ok) {
    return verified.jwt
      ? { ok: false, problem: 'signature', detail: verified.reason, claims: verified.jwt.payload }
      : { ok: false, problem: 'malformed', detail: verified.reason };
  }
  const claims = verified.jwt.payload;
  const now = epochSeconds(context);
  if (typeof claims.exp !== 'number' || claims.exp <= now) {
    return { ok: false, problem: 'expired', detail: `the token expired at ${isoSeconds(claims.exp)}`, claims };
  }
  if (typeof claims.nbf === 'number' && claims.nbf > now) {
    return { ok: false, problem: 'not-yet-valid', detail: `the token is valid from ${isoSeconds(claims.nbf)}`, claims };
  }
  const aud = typeof claims.aud === 'string' ? normalizeAudience(claims.aud) : '';
  if (!audiences.some((a) => normalizeAudience(a) === aud)) {
    return { ok: false, problem: 'audience', detail: `the token's audience is '${String(claims.aud)}'`, claims };
  }
  if (typeof claims.oid !== 'string') return { ok: false, problem: 'malformed', detail: 'the token has no oid claim', claims };
  return { ok: true, principalId: claims.oid, claims };
}

export function normalizeAudience(audience: string): string {
  return audience.replace(/\/+$/, '').toLowerCase();
}

/** Formats a JWT time claim for messages; tolerates a missing one. */
export function isoSeconds(seconds: unknown): string {
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : 'an unknown time';
}
