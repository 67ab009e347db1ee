import { describe, expect, it } from 'vitest';
import { entraBody, entraErrorFacts, maskingCredential } from '../../src/evidence/credential.js';

const MSAL_MESSAGE =
  'ClientAssertionCredential authentication failed. : invalid_client: Error(s): 700213 - Timestamp: 2026-11-27 10:00:00Z - ' +
  'Description: AADSTS700213: No matching federated identity record found for presented assertion subject ' +
  "'repo:contoso/app:pull_request'. Trace ID: 0f2c3c1e-1111-4a2b-9c3d-123456789abc Correlation ID: 5a6b7c8d-2222-4e3f-8a9b-abcdefabcdef Timestamp: 2026-11-27 10:00:00Z";

describe('sign-in failures', () => {
  it('reads the AADSTS code and trace ID from msal messages', () => {
    expect(entraErrorFacts(MSAL_MESSAGE)).toEqual({
      entraCode: 700213,
      traceId: '0f2c3c1e-1111-4a2b-9c3d-123456789abc',
    });
  });

  it("reads Entra's own error body: OAuth error, AADSTS code, trace ID", () => {
    const body = JSON.stringify({
      error: 'invalid_client',
      error_description: 'AADSTS7000229: The client application x is missing service principal in the tenant y. Trace ID: 1f6a92a9-f3a8-4071-889a-6a2ea88d9500',
      error_codes: [7000229],
      trace_id: '1f6a92a9-f3a8-4071-889a-6a2ea88d9500',
      correlation_id: '0d1a5c28-3487-4767-a690-9cc680689523',
    });
    expect(entraBody(body)).toMatchObject({ error: 'invalid_client', entraCode: 7000229, traceId: '1f6a92a9-f3a8-4071-889a-6a2ea88d9500' });
    expect(entraBody('')).toEqual({ description: 'an empty answer' });
    expect(entraBody('<html>busy</html>')).toEqual({ description: '<html>busy</html>' });
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
