import { describe, expect, it } from 'vitest';
import { presentedIdentity, reuseUntil } from '../../src/evidence/github-oidc.js';

const jwt = (payload: unknown): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('reuseUntil', () => {
  it('hands a GitHub-lifetime token out again for at most a minute', () => {
    expect(reuseUntil(jwt({ iat: 1000, exp: 1300 }), 5_000)).toBe(65_000);
  });

  it('hands a short-lived token out again for half its life only', () => {
    expect(reuseUntil(jwt({ iat: 1000, exp: 1004 }), 5_000)).toBe(7_000);
  });

  it('never reuses a token whose lifetime it cannot read', () => {
    expect(reuseUntil('opaque', 5_000)).toBe(5_000);
    expect(reuseUntil(jwt({ iat: 1000 }), 5_000)).toBe(5_000);
  });
});

describe('presentedIdentity', () => {
  it('reads what a federated credential must match', () => {
    const presented = presentedIdentity(jwt({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r:pull_request', aud: 'api://AzureADTokenExchange' }));
    expect(presented).toMatchObject({ issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:o/r:pull_request', audience: 'api://AzureADTokenExchange' });
  });
});
