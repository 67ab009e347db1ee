/**
 * Reads the claims of a JWT without verifying it: the action only reports what it was given (who it signed in
 * as, which subject it presented); the services that receive the tokens are the ones that verify them.
 */
export type Claims = Readonly<Record<string, unknown>>;

export function readClaims(jwt: string): Claims | undefined {
  const payload = jwt.split('.')[1];
  if (payload === undefined || !/^[A-Za-z0-9_-]+$/.test(payload)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Claims) : undefined;
  } catch {
    return undefined;
  }
}

export function stringClaim(claims: Claims | undefined, name: string): string | undefined {
  const value = claims?.[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(' ');
  return undefined;
}
