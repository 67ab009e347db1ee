import { describe, expect, it } from 'vitest';
import { CHAT_COMPLETIONS_DATA_ACTION, ROLE } from '../../emulator/index.js';
import type { Emulator, ScenarioInput } from '../../emulator/index.js';
import { accessToken, call } from '../../emulator/test-client.js';
import { useEmulator } from '../support/use-emulator.js';

const TENANT = '3f9a1c2e-6b4d-4e8f-9a7c-1d2e3f4a5b6c';
const SUB = '8c1d5e2f-7a3b-4c9d-8e6f-2a1b3c4d5e6f';
const SP = '2c7f5a3b-0d4e-4f8a-9b6c-7d3e2f1a0b9c';
const CLIENT = '1b6e4f2a-9c3d-4e7f-8a5b-6c2d1e0f9a8b';
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/acct-a`;
const DENIED_ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/acct-b`;
const CHAT = '/acct-a/models/chat/completions?api-version=2025-04-01';
const BODY = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }], max_tokens: 16 };

function scenario(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    tenantId: TENANT,
    apps: [{ clientId: CLIENT, objectId: SP, federatedCredentials: [{ subject: 'repo:contoso/foundry-app:ref:refs/heads/main' }] }],
    resources: [{ id: ACCOUNT, deployments: ['gpt-4o-mini', 'Phi-4'] }, { id: DENIED_ACCOUNT }],
    roleAssignments: [{ principalId: SP, principalType: 'ServicePrincipal', roleDefinitionId: ROLE.cognitiveServicesUser, scope: ACCOUNT }],
    ...overrides,
  };
}

const startEmulator = useEmulator();

async function start(input: ScenarioInput = scenario(), clock?: () => number): Promise<{ em: Emulator; token: string }> {
  const emulator = await startEmulator(input, clock ? { clock } : {});
  return { em: emulator, token: await accessToken(emulator, 'https://ai.azure.com') };
}

type ErrorBody = { error: { code: string; message: string } };

describe('Foundry chat completions', () => {
  it('answers a permitted caller with a chat completion', async () => {
    const { em, token } = await start();
    const reply = await call(em, 'data', CHAT, { bearer: token, json: BODY });
    expect(reply.status).toBe(200);
    const body = reply.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: expect.any(Number) as unknown, completion_tokens: expect.any(Number) as unknown },
    });
    expect(em.requests.at(-1)).toMatchObject({ service: 'data', method: 'POST', path: '/acct-a/models/chat/completions', status: 200, principalId: SP });
  });

  it('stops at max_tokens', async () => {
    const { em, token } = await start();
    const body = (await call(em, 'data', CHAT, { bearer: token, json: { ...BODY, max_tokens: 1 } })).json<{
      choices: { finish_reason: string }[];
      usage: { completion_tokens: number; prompt_tokens: number; total_tokens: number };
    }>();
    expect(body.choices[0]?.finish_reason).toBe('length');
    expect(body.usage.completion_tokens).toBe(1);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + 1);
  });

  it('takes tokens for https://cognitiveservices.azure.com as well', async () => {
    const { em } = await start();
    const token = await accessToken(em, 'https://cognitiveservices.azure.com');
    expect((await call(em, 'data', CHAT, { bearer: token, json: BODY })).status).toBe(200);
  });

  it('401s with the key-auth message when no bearer token is sent', async () => {
    const { em } = await start();
    const reply = await call(em, 'data', CHAT, { json: BODY });
    expect(reply.status).toBe(401);
    expect(reply.json<ErrorBody>().error).toMatchObject({ code: '401', message: expect.stringContaining('invalid subscription key') as unknown });
  });

  it('401s an ARM token, a garbage token and an expired token as unauthenticated', async () => {
    let now = Date.UTC(2025, 5, 2, 9, 0, 0);
    const { em, token } = await start(scenario(), () => now);
    const armToken = await accessToken(em, em.urls.arm);
    for (const bearer of [armToken, 'garbage']) {
      const reply = await call(em, 'data', CHAT, { bearer, json: BODY });
      expect(reply.status).toBe(401);
      expect(reply.json<ErrorBody>().error).toEqual({
        code: '401',
        message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://ai.azure.com), or have expired.',
      });
    }
    now += 3600_000;
    const expired = await call(em, 'data', CHAT, { bearer: token, json: BODY });
    expect([expired.status, expired.json<ErrorBody>().error.code]).toEqual([401, '401']);
    expect(em.requests.filter((r) => r.service === 'data').every((r) => r.principalId === undefined)).toBe(true);
  });

  it('401s PermissionDenied naming the principal and the missing data action', async () => {
    const { em, token } = await start();
    const reply = await call(em, 'data', '/acct-b/models/chat/completions?api-version=2025-04-01', { bearer: token, json: BODY });
    expect(reply.status).toBe(401);
    const error = reply.json<ErrorBody>().error;
    expect(error.code).toBe('PermissionDenied');
    expect(error.message).toContain(`The principal \`${SP}\` lacks the required data action \`${CHAT_COMPLETIONS_DATA_ACTION}\``);
    expect(error.message).toContain('`POST /models/chat/completions`');
    expect(em.requests.at(-1)?.principalId).toBe(SP);
  });

  it('answers the legacy denial message when asked to', async () => {
    const { em, token } = await start(scenario({ data: { legacyDenyMessage: true } }));
    const reply = await call(em, 'data', '/acct-b/models/chat/completions?api-version=2025-04-01', { bearer: token, json: BODY });
    expect(reply.json()).toEqual({ error: { code: 'PermissionDenied', message: 'Principal does not have access to API/Operation.' } });
  });

  it('denies until the assignment is effective', async () => {
    let now = Date.UTC(2025, 5, 2, 9, 0, 0);
    const assignment = { principalId: SP, principalType: 'ServicePrincipal' as const, roleDefinitionId: ROLE.cognitiveServicesUser, scope: ACCOUNT, effectiveAfterSeconds: 8 };
    const { em, token } = await start(scenario({ roleAssignments: [assignment] }), () => now);
    expect((await call(em, 'data', CHAT, { bearer: token, json: BODY })).status).toBe(401);
    now += 8_000;
    expect((await call(em, 'data', CHAT, { bearer: token, json: BODY })).status).toBe(200);
  });

  it('404s an unknown model with unknown_model', async () => {
    const { em, token } = await start();
    const reply = await call(em, 'data', CHAT, { bearer: token, json: { ...BODY, model: 'gpt-5-imaginary' } });
    expect(reply.status).toBe(404);
    expect(reply.json<ErrorBody>().error).toMatchObject({ code: 'unknown_model', message: 'Unknown model: gpt-5-imaginary' });
    expect((await call(em, 'data', CHAT, { bearer: token, json: { ...BODY, model: 'Phi-4' } })).status).toBe(200);
  });

  it('400s a body without messages and a request without api-version', async () => {
    const { em, token } = await start();
    expect((await call(em, 'data', CHAT, { bearer: token, json: { model: 'gpt-4o-mini' } })).status).toBe(400);
    expect((await call(em, 'data', '/acct-a/models/chat/completions', { bearer: token, json: BODY })).status).toBe(400);
  });

  it('404s an account the scenario does not have, and paths it does not serve', async () => {
    const { em, token } = await start();
    const unknown = await call(em, 'data', '/nope/models/chat/completions?api-version=2025-04-01', { bearer: token, json: BODY });
    expect(unknown.status).toBe(404);
    expect(unknown.json<ErrorBody>().error.message).toContain("'nope'");
    expect((await call(em, 'data', '/models/chat/completions?api-version=2025-04-01', { bearer: token, json: BODY })).status).toBe(404);
    expect((await call(em, 'data', '/acct-a/openai/deployments/x/chat/completions?api-version=2025-04-01', { bearer: token, json: BODY })).status).toBe(404);
  });
});
