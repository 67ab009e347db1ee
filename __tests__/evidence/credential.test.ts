import { describe, expect, it } from 'vitest';
import { diagnoseSignInFailure, entraErrorFacts, maskingCredential } from '../../src/evidence/credential.js';

const MSAL_MESSAGE =
  'ClientAssertionCredential authentication failed. : invalid_client: Error(s): 700213 - Timestamp: 2026-11-27 10:00:00Z - ' +
  'Description: AADSTS700213: No matching federated identity record found for presented assertion subject ' +
  "'repo:contoso/app:pull_request'. Trace ID: 0f2c3c1e-1111-4a2b-9c3d-123456789abc Correlation ID: 5a6b7c8d-2222-4e3f-8a9b-abcdefabcdef Timestamp: 2026-11-27 10:00:00Z";

describe('sign-in failures', () => {
  it('reads the AADSTS code, trace ID and correlation ID from msal messages', () => {
    expect(entraErrorFacts(MSAL_MESSAGE)).toEqual({
      entraCode: 700213,
      traceId: '0f2c3c1e-1111-4a2b-9c3d-123456789abc',
      correlationId: '5a6b7c8d-2222-4e3f-8a9b-abcdefabcdef',
    });
  });

  it.each([
    [MSAL_MESSAGE, 'federated-credential-mismatch'],
    ['AADSTS700016: Application with identifier x was not found', 'app-not-found'],
    ['AADSTS90002: Tenant not found', 'tenant-not-found'],
    ['AADSTS700024: Client assertion is not within its valid time range', 'assertion-expired'],
    ['AADSTS7000112: Application is disabled', 'entra-error'],
    ['connect ECONNREFUSED 127.0.0.1:443', 'service-unavailable'],
    ['Request failed with status 429 Too Many Requests', 'throttled'],
    ['something else entirely', 'entra-error'],
  ])('maps %j to %s', (message, diagnosis) => {
    expect(diagnoseSignInFailure(new Error(message)).diagnosis).toBe(diagnosis);
  });
});

describe('maskingCredential', () => {
  it('masks each access token once, before handing it on', async () => {
    const masked: string[] = [];
    const credential = maskingCredential({ getToken: () => Promise.resolve({ token: 'secret-1', expiresOnTimestamp: 0 }) }, (s) => masked.push(s));
    const token = await credential.getToken('scope');
    await credential.getToken('scope');
    expect(token?.token).toBe('secret-1');
    expect(masked).toEqual(['secret-1']);
  });
});
