import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GITHUB_ISSUER } from '../../emulator/index.js';
import type { Emulator, ScenarioInput } from '../../emulator/index.js';
import { call, callUrl, decodeJwtParts, githubIdToken } from '../../emulator/test-client.js';
import { useEmulator } from '../support/use-emulator.js';

const startEmulator = useEmulator();

async function start(scenario: ScenarioInput = {}, clock?: () => number): Promise<Emulator> {
  const emulator = await startEmulator(scenario, clock ? { clock } : {});
  return emulator;
}

describe('GitHub OIDC token service', () => {
  it('issues an RS256 token with the run claims, the requested audience and a 300 s lifetime', async () => {
    const now = Date.UTC(2025, 5, 2, 9, 0, 0);
    const em = await start(
      { github: { claims: { repository: 'octo-org/app', ref: 'refs/heads/release', environment: 'prod', repository_id: '123' } } },
      () => now,
    );
    const token = await githubIdToken(em, 'api://AzureADTokenExchange');
    const { header, payload } = decodeJwtParts(token);

    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(typeof header.kid).toBe('string');
    expect(payload).toMatchObject({
      iss: GITHUB_ISSUER,
      aud: 'api://AzureADTokenExchange',
      sub: 'repo:octo-org/app:environment:prod',
      repository: 'octo-org/app',
      repository_owner: 'octo-org',
      repository_id: '123',
      ref: 'refs/heads/release',
      ref_type: 'branch',
      environment: 'prod',
      event_name: 'push',
      workflow_ref: 'octo-org/app/.github/workflows/foundry-check.yml@refs/heads/release',
      iat: now / 1000,
      nbf: now / 1000,
      exp: now / 1000 + 300,
    });
    expect(typeof payload.jti).toBe('string');
    expect(em.issuedTokens).toEqual([token]);
  });

  it('signs with the key its JWKS publishes', async () => {
    const em = await start();
    const token = await githubIdToken(em);
    const jwks = (await call(em, 'github', '/.well-known/jwks')).json<{ keys: { kid: string }[] }>();
    const { header } = decodeJwtParts(token);
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    expect(jwk).toBeDefined();
    const [h = '', p = '', s = ''] = token.split('.');
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true);

    const discovery = (await call(em, 'github', '/.well-known/openid-configuration')).json();
    expect(discovery).toMatchObject({ issuer: GITHUB_ISSUER, jwks_uri: `${em.urls.github}/.well-known/jwks` });
  });

  it('derives the subject from pull_request events and honours tokenLifetimeSeconds', async () => {
    const em = await start({ github: { claims: { event_name: 'pull_request', ref: 'refs/pull/7/merge' }, tokenLifetimeSeconds: 60 } });
    const { payload } = decodeJwtParts(await githubIdToken(em));
    expect(payload.sub).toBe('repo:contoso/foundry-app:pull_request');
    expect((payload.exp as number) - (payload.iat as number)).toBe(60);
  });

  it("defaults the audience to the owner's URL", async () => {
    const em = await start();
    const env = em.runnerEnv();
    const reply = await callUrl(em, env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '', { bearer: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN });
    expect(reply.status).toBe(200);
    expect(decodeJwtParts(reply.json<{ value: string }>().value).payload.aud).toBe('https://github.com/contoso');
  });

  it('refuses a missing or wrong runtime token with 401', async () => {
    const em = await start();
    expect((await call(em, 'github', '/token?api-version=2.0&audience=x')).status).toBe(401);
    const wrong = await call(em, 'github', '/token?api-version=2.0&audience=x', { bearer: 'not-the-runtime-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toHaveProperty('message');
    expect(em.issuedTokens).toEqual([]);
  });

  it('gives a run without id-token permission no ACTIONS_ID_TOKEN_* variables', async () => {
    const em = await start({ github: { idTokenUnavailable: true } });
    const env = em.runnerEnv();
    expect(Object.keys(env).sort()).toEqual(['GITHUB_API_URL', 'NODE_EXTRA_CA_CERTS']);
    expect(env.NODE_EXTRA_CA_CERTS).toBe(em.caFile);
  });

  it('logs each request with its bearer and status', async () => {
    const em = await start();
    await githubIdToken(em, 'aud-1');
    expect(em.requests).toEqual([
      expect.objectContaining({
        service: 'github',
        method: 'GET',
        path: '/token',
        query: { 'api-version': '2.0', audience: 'aud-1' },
        status: 200,
        bearer: em.runnerEnv().ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      }),
    ]);
    expect(em.requests[0]?.at).toBeGreaterThanOrEqual(0);
  });
});
