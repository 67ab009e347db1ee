import { describe, expect, it } from 'vitest';
import { readClaims, stringClaim } from '../../src/evidence/jwt-claims.js';

const jwt = (payload: unknown): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('readClaims', () => {
  it('reads the payload', () => {
    expect(readClaims(jwt({ oid: 'x', aud: ['a', 'b'] }))).toEqual({ oid: 'x', aud: ['a', 'b'] });
  });

  it.each(['', 'abc', 'a.!!!.c', `a.${Buffer.from('[1]').toString('base64url')}.c`, `a.${Buffer.from('{').toString('base64url')}.c`])(
    'gives nothing for %j',
    (token) => {
      expect(readClaims(token)).toBeUndefined();
    },
  );

  it('reads string and list claims as text', () => {
    const claims = readClaims(jwt({ sub: 's', aud: ['a', 'b'], n: 1 }));
    expect(stringClaim(claims, 'sub')).toBe('s');
    expect(stringClaim(claims, 'aud')).toBe('a b');
    expect(stringClaim(claims, 'n')).toBeUndefined();
  });
});
