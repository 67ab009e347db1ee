import { createHash, generateKeyPair, sign, verify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: JwtClaims;
  payload: JwtClaims;
  /** `base64url(header).base64url(payload)`: the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

export type JwtVerification = { ok: true; jwt: DecodedJwt } | { ok: false; reason: string; jwt?: DecodedJwt };

const generateRsaKeyPair = promisify(generateKeyPair);

/** An RS256 signing key with a `kid`, as GitHub and Entra each publish in their JWKS. */
export class JwtSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    /** RFC 7638 thumbprint of the public key. */
    readonly kid: string,
  ) {}

  static async create(): Promise<JwtSigner> {
    const { privateKey, publicKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const thumbprintInput = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
    const kid = createHash('sha256').update(thumbprintInput).digest('base64url');
    return new JwtSigner(privateKey, publicKey, kid);
  }

  sign(payload: JwtClaims, extraHeader: JwtClaims = {}): string {
    const header = { typ: 'JWT', alg: 'RS256', kid: this.kid, ...extraHeader };
    const signingInput = `${base64urlJson(header)}.${base64urlJson(payload)}`;
    const signature = sign('sha256', Buffer.from(signingInput), this.privateKey);
    return `${signingInput}.${signature.toString('base64url')}`;
  }

  /** The public key as a JWKS entry. */
  jwk(): JsonWebKey {
    return { ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'RS256' };
  }

  /** Checks the signature only; the caller checks the claims, since each service rejects them differently. */
  verify(token: string): JwtVerification {
    const jwt = decodeJwt(token);
    if (!jwt) return { ok: false, reason: 'the token is not a well-formed JWS compact serialization' };
    if (jwt.header.alg !== 'RS256') return { ok: false, reason: `unsupported alg '${String(jwt.header.alg)}'`, jwt };
    if (jwt.header.kid !== this.kid) return { ok: false, reason: `the key '${String(jwt.header.kid)}' was not found`, jwt };
    const valid = verify('sha256', Buffer.from(jwt.signingInput), this.publicKey, jwt.signature);
    return valid ? { ok: true, jwt } : { ok: false, reason: 'the signature does not match the key', jwt };
  }
}

/** Splits and parses a compact JWS without checking anything; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseJsonObject(headerPart);
  const payload = parseJsonObject(payloadPart);
  if (!header || !payload) return undefined;
  return { header, payload, signingInput: `${headerPart}.${payloadPart}`, signature: Buffer.from(signaturePart, 'base64url') };
}

function parseJsonObject(part: string): JwtClaims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
