import { describe, expect, it } from 'vitest';
import { CHAT_COMPLETIONS_DATA_ACTION, loadScenario, scenarioFile, scenarioNames } from '../../emulator/index.js';
import type { Emulator } from '../../emulator/index.js';
import { actionMatches } from '../../emulator/action-pattern.js';
import { accessToken, call, requestToken, tokenForm } from '../../emulator/test-client.js';
import { useEmulator } from '../support/use-emulator.js';

/**
 * Every shipped scenario, end to end: GitHub token → Entra token → ARM permissions and the data plane.
 * Keeps the JSON files honest about the outcome their description promises.
 */
const startEmulator = useEmulator();

const DATA_BODY = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }], max_tokens: 4 };

async function callModel(em: Emulator, resourceIndex = 0, model = DATA_BODY.model): Promise<{ status: number; code?: string }> {
  const resource = em.scenario.resources[resourceIndex];
  if (!resource) throw new Error('scenario has no such resource');
  const token = await accessToken(em, 'https://ai.azure.com');
  const reply = await call(em, 'data', `/${resource.name}/models/chat/completions?api-version=2025-04-01`, { bearer: token, json: { ...DATA_BODY, model } });
  return { status: reply.status, code: reply.status === 200 ? undefined : reply.json<{ error: { code: string } }>().error.code };
}

/** What ARM says: does some permission entry grant the chat data action (ignoring notDataActions)? */
async function armListsModelAccess(em: Emulator, resourceIndex = 0): Promise<boolean> {
  const resource = em.scenario.resources[resourceIndex];
  const token = await accessToken(em, em.urls.arm);
  const reply = await call(em, 'arm', `${resource?.id}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`, { bearer: token });
  expect(reply.status).toBe(200);
  const { value } = reply.json<{ value: { dataActions: string[]; notDataActions: string[] }[] }>();
  return value.some(
    (p) => p.dataActions.some((a) => actionMatches(a, CHAT_COMPLETIONS_DATA_ACTION)) && !p.notDataActions.some((a) => actionMatches(a, CHAT_COMPLETIONS_DATA_ACTION)),
  );
}

describe('shipped scenarios', () => {
  it('are all present and load without problems', () => {
    expect(scenarioNames()).toEqual([
      'conditional-grant', 'demo', 'denied-by-deny-assignment', 'denied-no-role', 'denied-not-data-actions', 'denied-openai-only', 'denied-owner-only', 'deployment-on-its-way',
      'fc-mismatch', 'granted-builtin', 'granted-custom-maas', 'granted-keys-enabled', 'granted-via-group', 'no-id-token',
      'not-ready-no-subdomain', 'not-ready-private-only', 'not-ready-provisioning', 'propagating',
    ]);
    const tenants = new Set<string>();
    const clients = new Set<string>();
    for (const name of scenarioNames()) {
      const scenario = loadScenario(scenarioFile(name));
      expect(scenario.name).toBe(name);
      expect(scenario.description?.length).toBeGreaterThan(20);
      tenants.add(scenario.tenantId);
      clients.add(scenario.apps[0]?.clientId ?? '');
    }
    expect([tenants.size, clients.size]).toEqual([1, 1]);
  });

  it.each([
    ['not-ready-no-subdomain', 401, '401'],
    ['not-ready-private-only', 403, '403'],
  ])('%s: ARM grants, yet the model refuses the call (%i)', async (name, status, code) => {
    const emulator = await startEmulator(scenarioFile(name));
    expect(await armListsModelAccess(emulator)).toBe(true);
    expect(await callModel(emulator)).toEqual({ status, code });
  });

  it.each(['granted-builtin', 'granted-via-group', 'granted-custom-maas', 'granted-keys-enabled'])('%s: the model answers and ARM agrees', async (name) => {
    const emulator = await startEmulator(scenarioFile(name));
    expect(await callModel(emulator)).toEqual({ status: 200 });
    expect(await armListsModelAccess(emulator)).toBe(true);
  });

  it.each(['denied-no-role', 'denied-not-data-actions', 'denied-owner-only', 'denied-openai-only'])('%s: PermissionDenied and ARM agrees', async (name) => {
    const emulator = await startEmulator(scenarioFile(name));
    expect(await callModel(emulator)).toEqual({ status: 401, code: 'PermissionDenied' });
    expect(await armListsModelAccess(emulator)).toBe(false);
  });

  it('propagating: denied at first, granted once 8 seconds have passed', async () => {
    let now = Date.now();
    const emulator = await startEmulator(scenarioFile('propagating'), { clock: () => now });
    expect(await callModel(emulator)).toEqual({ status: 401, code: 'PermissionDenied' });
    expect(await armListsModelAccess(emulator)).toBe(false);
    now += 8_000;
    expect(await callModel(emulator)).toEqual({ status: 200 });
    expect(await armListsModelAccess(emulator)).toBe(true);
  });

  it('deployment-on-its-way: ARM lists contoso-chat Creating at once; the model endpoint serves it once 20 seconds have passed', async () => {
    let now = Date.now();
    const emulator = await startEmulator(scenarioFile('deployment-on-its-way'), { clock: () => now });
    const listed = async (): Promise<string | undefined> => {
      const token = await accessToken(emulator, emulator.urls.arm);
      const reply = await call(emulator, 'arm', `${emulator.scenario.resources[0]?.id}/deployments?api-version=2024-10-01`, { bearer: token });
      return reply.json<{ value: { name: string; properties: { provisioningState: string } }[] }>().value.find((d) => d.name === 'contoso-chat')?.properties.provisioningState;
    };
    expect(await callModel(emulator, 0, 'contoso-chat')).toEqual({ status: 404, code: 'unknown_model' });
    expect(await listed()).toBe('Creating');
    now += 20_000;
    expect(await callModel(emulator, 0, 'contoso-chat')).toEqual({ status: 200 });
    expect(await listed()).toBe('Succeeded');
  });

  it('not-ready-provisioning: the account reads Creating, then Succeeded once 8 seconds have passed; ARM grants throughout', async () => {
    let now = Date.now();
    const emulator = await startEmulator(scenarioFile('not-ready-provisioning'), { clock: () => now });
    const state = async (): Promise<unknown> => {
      const reply = await call(emulator, 'arm', `${emulator.scenario.resources[0]?.id}?api-version=2024-10-01`, { bearer: await accessToken(emulator, emulator.urls.arm) });
      expect(reply.status).toBe(200);
      return reply.json<{ properties: { provisioningState?: unknown } }>().properties.provisioningState;
    };
    expect(await state()).toBe('Creating');
    expect(await armListsModelAccess(emulator)).toBe(true);
    now += 7_900;
    expect(await state()).toBe('Creating');
    now += 100;
    expect(await state()).toBe('Succeeded');
  });

  it('fc-mismatch: Entra refuses the pull_request subject with AADSTS700213', async () => {
    const emulator = await startEmulator(scenarioFile('fc-mismatch'));
    const reply = await requestToken(emulator, await tokenForm(emulator, emulator.urls.arm));
    expect(reply.status).toBe(400);
    const body = reply.json<{ error_codes: number[]; error_description: string }>();
    expect(body.error_codes).toEqual([700213]);
    expect(body.error_description).toContain("'repo:contoso/foundry-app:pull_request'");
    expect(emulator.scenario.github.claims.sub).toBe('repo:contoso/foundry-app:pull_request');
  });

  it('no-id-token: the runner offers no token request variables', async () => {
    const emulator = await startEmulator(scenarioFile('no-id-token'));
    expect(emulator.runnerEnv()).toEqual({ GITHUB_API_URL: emulator.urls.github, NODE_EXTRA_CA_CERTS: emulator.caFile });
  });

  it('demo: the first resource is granted and the second denied', async () => {
    const emulator = await startEmulator(scenarioFile('demo'));
    expect(emulator.scenario.resources).toHaveLength(2);
    expect(await callModel(emulator, 0)).toEqual({ status: 200 });
    expect(await callModel(emulator, 1)).toEqual({ status: 401, code: 'PermissionDenied' });
    expect(emulator.actionInputs()['resource-id']?.split('\n')).toEqual(emulator.scenario.resources.map((r) => r.id));
  });
});
