import { describe, expect, it } from 'vitest';
import { JwtSigner } from '../../emulator/jwt.js';
import { GITHUB_ISSUER } from '../../emulator/index.js';
import type { Emulator, ScenarioInput } from '../../emulator/index.js';
import { call, decodeJwtParts, githubIdToken, requestToken, tokenForm } from '../../emulator/test-client.js';
import { useEmulator } from '../support/use-emulator.js';

const TENANT = '3f9a1c2e-6b4d-4e8f-9a7c-1d2e3f4a5b6c';
const CLIENT = '1b6e4f2a-9c3d-4e7f-8a5b-6c2d1e0f9a8b';
const SP = '2c7f5a3b-0d4e-4f8a-9b6c-7d3e2f1a0b9c';
const MAIN = 'repo:contoso/foundry-app:ref:refs/heads/main';

function scenario(overrides: Partial<ScenarioInput> = {}, app: Record<string, unknown> = {}): ScenarioInput {
  return {
    tenantId: TENANT,
    apps: [{ clientId: CLIENT, objectId: SP, displayName: 'gh-check', federatedCredentials: [{ subject: MAIN }], ...app }],
    ...overrides,
  };
}

const startEmulator = useEmulator();

async function start(input: ScenarioInput, clock?: () => number): Promise<Emulator> {
  const emulator = await startEmulator(input, clock ? { clock } : {});
  return emulator;
}

interface AadError {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

async function expectAadError(reply: Promise<{ status: number; json<T>(): T }>, status: number, error: string, code: number): Promise<AadError> {
  const r = await reply;
  const body = r.json<AadError>();
  expect({ status: r.status, error: body.error, codes: body.error_codes }).toEqual({ status, error, codes: [code] });
  expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: .+ Trace ID: ${body.trace_id} Correlation ID: ${body.correlation_id} Timestamp: ${body.timestamp}$`));
  expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  return body;
}

describe('Entra ID discovery', () => {
  it('answers openid-configuration for its tenant, with an issuer on the authority host', async () => {
    const em = await start(scenario());
    for (const tenant of [TENANT]) {
      const reply = await call(em, 'entra', `/${tenant}/v2.0/.well-known/openid-configuration`);
      expect(reply.status).toBe(200);
      expect(reply.json()).toMatchObject({
        issuer: `${em.urls.entra}/${tenant}/v2.0`,
        token_endpoint: `${em.urls.entra}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${em.urls.entra}/${tenant}/oauth2/v2.0/authorize`,
        jwks_uri: `${em.urls.entra}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: expect.arrayContaining(['code']) as unknown,
      });
    }
  });

  it('refuses the metadata of an unknown tenant with AADSTS90002 invalid_tenant, as Entra does', async () => {
    const em = await start(scenario());
    const reply = call(em, 'entra', '/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration');
    await expectAadError(reply, 400, 'invalid_tenant', 90002);
  });
});

describe('the ADFS-style authority (for the Azure CLI, which discovers any other unknown authority online)', () => {
  it('publishes its metadata under /adfs, issuer and endpoints on the authority itself', async () => {
    const em = await start(scenario());
    const reply = await call(em, 'entra', '/adfs/.well-known/openid-configuration');
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({
      issuer: `${em.urls.entra}/adfs`,
      token_endpoint: `${em.urls.entra}/adfs/oauth2/token`,
      jwks_uri: `${em.urls.entra}/adfs/discovery/keys`,
    });
    expect((await call(em, 'entra', '/adfs/discovery/keys')).json<{ keys: unknown[] }>().keys).toHaveLength(1);
  });

  it("exchanges a GitHub assertion at /adfs/oauth2/token as at the scenario tenant's endpoint, and refuses what it refuses", async () => {
    const em = await start(scenario());
    const ok = await call(em, 'entra', '/adfs/oauth2/token', { form: await tokenForm(em, em.urls.arm) });
    expect(ok.status).toBe(200);
    expect(decodeJwtParts(ok.json<{ access_token: string }>().access_token).payload).toMatchObject({ aud: em.urls.arm, oid: SP, tid: TENANT });
    const wrongSubject = await call(em, 'entra', '/adfs/oauth2/token', { form: await tokenForm(em, em.urls.arm, { client_id: '00000000-0000-4000-8000-000000000000' }) });
    expect(wrongSubject.status).toBeGreaterThanOrEqual(400);
  });
});

describe('Entra ID token endpoint', () => {
  it('exchanges a GitHub assertion for an access token for the requested resource', async () => {
    const now = Date.UTC(2025, 5, 2, 9, 0, 0);
    const em = await start(scenario({ entra: { accessTokenLifetimeSeconds: 1800 } }), () => now);
    const reply = await requestToken(em, await tokenForm(em, 'https://ai.azure.com'));
    expect(reply.status).toBe(200);
    const body = reply.json<{ token_type: string; expires_in: number; ext_expires_in: number; access_token: string }>();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1800, ext_expires_in: 1800 });
    const { header, payload } = decodeJwtParts(body.access_token);
    expect(header.alg).toBe('RS256');
    expect(payload).toMatchObject({
      aud: 'https://ai.azure.com',
      iss: `https://sts.windows.net/${TENANT}/`,
      tid: TENANT,
      oid: SP,
      appid: CLIENT,
      azp: CLIENT,
      idtyp: 'app',
      iat: now / 1000,
      nbf: now / 1000,
      exp: now / 1000 + 1800,
    });
    expect(em.issuedTokens).toContain(body.access_token);
    expect(em.requests.at(-1)).toMatchObject({ service: 'entra', method: 'POST', status: 200, principalId: SP });
  });

  it('issues ARM tokens for the emulated ARM host and for the public ARM audience', async () => {
    const em = await start(scenario());
    for (const resource of [em.urls.arm, 'https://management.azure.com']) {
      const reply = await requestToken(em, await tokenForm(em, resource));
      expect(reply.status).toBe(200);
      expect(decodeJwtParts(reply.json<{ access_token: string }>().access_token).payload.aud).toBe(resource);
    }
  });

  it('echoes client-request-id as the correlation ID', async () => {
    const em = await start(scenario());
    const reply = await call(em, 'entra', `/not-a-tenant/oauth2/v2.0/token`, {
      form: await tokenForm(em, 'https://ai.azure.com'),
      headers: { 'client-request-id': 'c0ffee00-0000-4000-8000-000000000000', 'return-client-request-id': 'true' },
    });
    expect(reply.json<AadError>().correlation_id).toBe('c0ffee00-0000-4000-8000-000000000000');
    expect(reply.headers['client-request-id']).toBe('c0ffee00-0000-4000-8000-000000000000');
  });

  it('AADSTS90002: unknown tenant', async () => {
    const em = await start(scenario());
    const body = await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com'), '11111111-2222-4333-8444-555555555555'), 400, 'invalid_request', 90002);
    expect(body.error_description).toContain("Tenant '11111111-2222-4333-8444-555555555555' not found");
    expect(body.error_uri).toContain('90002');
  });

  it('AADSTS7000218: no client assertion, reported before an unknown client', async () => {
    const em = await start(scenario());
    const form = await tokenForm(em, 'https://ai.azure.com', { client_id: '99999999-9999-4999-8999-999999999999' });
    delete form.client_assertion;
    await expectAadError(requestToken(em, form), 401, 'invalid_client', 7000218);
  });

  it('AADSTS700016: client ID unknown in the tenant', async () => {
    const em = await start(scenario());
    const form = await tokenForm(em, 'https://ai.azure.com', { client_id: '99999999-9999-4999-8999-999999999999' });
    const body = await expectAadError(requestToken(em, form), 400, 'unauthorized_client', 700016);
    expect(body.error_description).toContain("'99999999-9999-4999-8999-999999999999' was not found in the directory");
  });

  it('AADSTS7000112: application disabled', async () => {
    const em = await start(scenario({}, { disabled: true }));
    const body = await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com')), 400, 'unauthorized_client', 7000112);
    expect(body.error_description).toContain('is disabled');
  });

  it('AADSTS700027: assertion not signed by the GitHub key', async () => {
    const em = await start(scenario());
    const genuine = decodeJwtParts(await githubIdToken(em));
    const impostor = await JwtSigner.create();
    const forged = impostor.sign(genuine.payload);
    await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com', { client_assertion: forged })), 401, 'invalid_client', 700027);

    // Same kid, altered payload: the signature no longer matches.
    const [h, , s] = (await githubIdToken(em)).split('.');
    const altered = Buffer.from(JSON.stringify({ ...genuine.payload, sub: 'repo:evil/repo:ref:refs/heads/main' })).toString('base64url');
    await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com', { client_assertion: `${h}.${altered}.${s}` })), 401, 'invalid_client', 700027);
  });

  it('AADSTS700024: assertion expired, and not yet valid', async () => {
    let now = Date.UTC(2025, 5, 2, 9, 0, 0);
    const em = await start(scenario(), () => now);
    const assertion = await githubIdToken(em);
    now += 300_000;
    const body = await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com', { client_assertion: assertion })), 400, 'invalid_client', 700024);
    expect(body.error_description).toContain('not within its valid time range');
    expect(body.error_description).toContain('2025-06-02T09:05:00.000Z');

    now -= 600_000;
    await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com', { client_assertion: assertion })), 400, 'invalid_client', 700024);
  });

  it('AADSTS700213: subject differs (case-sensitively), naming what was presented', async () => {
    const em = await start(scenario({}, { federatedCredentials: [{ subject: 'repo:Contoso/foundry-app:ref:refs/heads/main' }] }));
    const body = await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com')), 400, 'invalid_client', 700213);
    expect(body.error_description).toContain(`presented assertion subject '${MAIN}'`);
    expect(body.error_description).toContain(GITHUB_ISSUER);
    expect(body.error_description).toContain('api://AzureADTokenExchange');
  });

  it('AADSTS700213: audience or issuer differs', async () => {
    const em = await start(scenario({}, { federatedCredentials: [{ subject: MAIN, audiences: ['api://AzureADTokenExchangeUSGov'] }] }));
    await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com')), 400, 'invalid_client', 700213);
    const em2 = await startEmulator(scenario({}, { federatedCredentials: [{ subject: MAIN, issuer: 'https://issuer.example' }] }));
    try {
      await expectAadError(requestToken(em2, await tokenForm(em2, 'https://ai.azure.com')), 400, 'invalid_client', 700213);
    } finally {
      await em2.close();
    }
  });

  it('checks the time range before the federated credential', async () => {
    let now = Date.UTC(2025, 5, 2, 9, 0, 0);
    const em = await start(scenario({}, { federatedCredentials: [{ subject: 'repo:other/repo:ref:refs/heads/main' }] }), () => now);
    const assertion = await githubIdToken(em);
    now += 3_600_000;
    await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com', { client_assertion: assertion })), 400, 'invalid_client', 700024);
  });

  it('AADSTS500011: unknown resource', async () => {
    const em = await start(scenario());
    const body = await expectAadError(requestToken(em, await tokenForm(em, 'https://storage.azure.com')), 400, 'invalid_resource', 500011);
    expect(body.error_description).toContain('https://storage.azure.com');
  });

  it('rejects a malformed assertion, a missing scope and a GET', async () => {
    const em = await start(scenario());
    await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com', { client_assertion: 'not-a-jwt' })), 400, 'invalid_request', 50027);
    await expectAadError(requestToken(em, await tokenForm(em, 'https://ai.azure.com', { scope: '' })), 400, 'invalid_request', 90014);
    await expectAadError(call(em, 'entra', `/${TENANT}/oauth2/v2.0/token`), 400, 'invalid_request', 900561);
    expect(em.issuedTokens.filter((t) => decodeJwtParts(t).payload.iss !== GITHUB_ISSUER)).toEqual([]);
  });
});
