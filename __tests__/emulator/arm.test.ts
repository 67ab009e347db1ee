import { describe, expect, it } from 'vitest';
import { ROLE } from '../../emulator/index.js';
import type { Emulator, ScenarioInput } from '../../emulator/index.js';
import { JwtSigner } from '../../emulator/jwt.js';
import { accessToken, call, callUrl, decodeJwtParts } from '../../emulator/test-client.js';
import { useEmulator } from '../support/use-emulator.js';

const TENANT = '3f9a1c2e-6b4d-4e8f-9a7c-1d2e3f4a5b6c';
const SUB = '8c1d5e2f-7a3b-4c9d-8e6f-2a1b3c4d5e6f';
const SP = '2c7f5a3b-0d4e-4f8a-9b6c-7d3e2f1a0b9c';
const CLIENT = '1b6e4f2a-9c3d-4e7f-8a5b-6c2d1e0f9a8b';
/** A second identity that holds nothing but a data-plane role. */
const BARE_SP = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const BARE_CLIENT = '7b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
const OUTER_GROUP = '4e1a7c3d-2b5f-4d8e-a9c6-3f2e1d0c9b8a';
const INNER_GROUP = '5f2b8d4e-3c6a-4e9f-b0d7-4a3f2e1d0c9b';
const CUSTOM_ROLE = '7c4d9e1f-5a2b-4c8d-9e3f-6a1b2c3d4e5f';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-ai`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/acct-a`;
const OTHER_ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-other/providers/Microsoft.CognitiveServices/accounts/acct-b`;
const PERMISSIONS = '/providers/Microsoft.Authorization/permissions?api-version=2022-04-01';
const MAIN = 'repo:contoso/foundry-app:ref:refs/heads/main';

/** Assignment names, so tests can tell which ones an answer holds. */
const A = {
  groupAtRg: '10000000-0000-4000-8000-000000000001',
  readerAtSub: '10000000-0000-4000-8000-000000000002',
  customAtRoot: '10000000-0000-4000-8000-000000000003',
  openAiOnOther: '10000000-0000-4000-8000-000000000004',
  lateOnAccount: '10000000-0000-4000-8000-000000000005',
  someoneElse: '10000000-0000-4000-8000-000000000006',
  bareDataRole: '10000000-0000-4000-8000-000000000007',
};

function scenario(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    tenantId: TENANT,
    apps: [
      { clientId: CLIENT, objectId: SP, federatedCredentials: [{ subject: MAIN }] },
      { clientId: BARE_CLIENT, objectId: BARE_SP, federatedCredentials: [{ subject: MAIN }] },
    ],
    groups: [
      { objectId: OUTER_GROUP, members: [INNER_GROUP] },
      { objectId: INNER_GROUP, members: [SP] },
    ],
    resources: [{ id: ACCOUNT, location: 'swedencentral' }, { id: OTHER_ACCOUNT }],
    roleDefinitions: [
      { id: CUSTOM_ROLE, roleName: 'Foundry Models Caller', permissions: [{ dataActions: ['Microsoft.CognitiveServices/accounts/MaaS/*'] }] },
    ],
    roleAssignments: [
      { id: A.groupAtRg, principalId: OUTER_GROUP, principalType: 'Group', roleDefinitionId: ROLE.cognitiveServicesUser, scope: RG },
      { id: A.readerAtSub, principalId: SP, principalType: 'ServicePrincipal', roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.reader}`, scope: `/subscriptions/${SUB}` },
      { id: A.customAtRoot, principalId: SP, principalType: 'ServicePrincipal', roleDefinitionId: CUSTOM_ROLE, scope: '/' },
      { id: A.openAiOnOther, principalId: SP, principalType: 'ServicePrincipal', roleDefinitionId: ROLE.cognitiveServicesOpenAiUser, scope: OTHER_ACCOUNT },
      { id: A.lateOnAccount, principalId: SP, principalType: 'ServicePrincipal', roleDefinitionId: ROLE.owner, scope: ACCOUNT, effectiveAfterSeconds: 30 },
      { id: A.someoneElse, principalId: '9f9f9f9f-9f9f-4f9f-9f9f-9f9f9f9f9f9f', principalType: 'User', roleDefinitionId: ROLE.contributor, scope: ACCOUNT },
      { id: A.bareDataRole, principalId: BARE_SP, principalType: 'ServicePrincipal', roleDefinitionId: ROLE.cognitiveServicesUser, scope: OTHER_ACCOUNT },
    ],
    ...overrides,
  };
}

const startEmulator = useEmulator();
let now = Date.UTC(2025, 5, 2, 9, 0, 0);

async function start(input: ScenarioInput = scenario()): Promise<{ em: Emulator; token: string }> {
  now = Date.UTC(2025, 5, 2, 9, 0, 0);
  const emulator = await startEmulator(input, { clock: () => now });
  return { em: emulator, token: await accessToken(emulator, emulator.urls.arm) };
}

interface PermissionsPage {
  value: { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }[];
  nextLink?: string;
}

describe('ARM authentication', () => {
  it('401s without a token, with a data-plane token, a forged one and an expired one', async () => {
    const { em, token } = await start();
    const path = `${ACCOUNT}${PERMISSIONS}`;

    const missing = await call(em, 'arm', path);
    expect([missing.status, missing.json<{ error: { code: string } }>().error.code]).toEqual([401, 'AuthenticationFailed']);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer authorization_uri=".*", error="invalid_token"/);

    const dataToken = await accessToken(em, 'https://ai.azure.com');
    const wrongAudience = await call(em, 'arm', path, { bearer: dataToken });
    expect([wrongAudience.status, wrongAudience.json<{ error: { code: string } }>().error.code]).toEqual([401, 'InvalidAuthenticationTokenAudience']);

    const forged = (await JwtSigner.create()).sign(decodeJwtParts(token).payload);
    const invalid = await call(em, 'arm', path, { bearer: forged });
    expect([invalid.status, invalid.json<{ error: { code: string } }>().error.code]).toEqual([401, 'InvalidAuthenticationToken']);

    now += 3600_000;
    const expired = await call(em, 'arm', path, { bearer: token });
    expect([expired.status, expired.json<{ error: { code: string } }>().error.code]).toEqual([401, 'ExpiredAuthenticationToken']);
    expect(em.requests.filter((r) => r.service === 'arm').map((r) => r.principalId)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('accepts the public ARM audience too', async () => {
    const { em } = await start();
    const publicArm = await accessToken(em, 'https://management.azure.com');
    expect((await call(em, 'arm', `${ACCOUNT}${PERMISSIONS}`, { bearer: publicArm })).status).toBe(200);
  });

  it('requires api-version', async () => {
    const { em, token } = await start();
    const reply = await call(em, 'arm', `${ACCOUNT}/providers/Microsoft.Authorization/permissions`, { bearer: token });
    expect([reply.status, reply.json<{ error: { code: string } }>().error.code]).toEqual([400, 'MissingApiVersionParameter']);
  });
});

describe('ARM tenant-level lists (what the Azure CLI reads after az login)', () => {
  it("lists the subscriptions of the scenario's resources, once each, in the caller's tenant", async () => {
    const { em, token } = await start();
    const reply = await call(em, 'arm', '/subscriptions?api-version=2022-12-01', { bearer: token });
    expect(reply.status).toBe(200);
    expect(reply.json<{ value: unknown[] }>().value).toEqual([
      expect.objectContaining({ id: `/subscriptions/${SUB}`, subscriptionId: SUB, tenantId: TENANT, state: 'Enabled' }),
    ]);
    const tenants = await call(em, 'arm', '/tenants?api-version=2022-12-01', { bearer: token });
    expect(tenants.json<{ value: unknown[] }>().value).toEqual([expect.objectContaining({ tenantId: TENANT })]);
  });

  it('still wants a valid token for them', async () => {
    const { em } = await start();
    expect((await call(em, 'arm', '/subscriptions?api-version=2022-12-01')).status).toBe(401);
  });
});

describe('ARM permissions', () => {
  it('lists one entry per block of each assignment reaching the caller at the scope or above, through nested groups', async () => {
    const { em, token } = await start();
    const reply = await call(em, 'arm', `${ACCOUNT}${PERMISSIONS}`, { bearer: token });
    expect(reply.status).toBe(200);
    const page = reply.json<PermissionsPage>();
    expect(page.nextLink).toBeUndefined();
    // Group role at the RG, Reader at the subscription, custom role at the root; not the other account's
    // role, not someone else's, not the one still propagating.
    expect(page.value).toEqual([
      expect.objectContaining({ dataActions: ['Microsoft.CognitiveServices/*'] }),
      { actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [], condition: null, conditionVersion: null },
      { actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/accounts/MaaS/*'], notDataActions: [], condition: null, conditionVersion: null },
    ]);
    expect(em.requests.at(-1)).toMatchObject({ service: 'arm', status: 200, principalId: SP, bearer: token });
  });

  it('adds an assignment once effectiveAfterSeconds has passed', async () => {
    const { em, token } = await start();
    const count = async () => (await call(em, 'arm', `${ACCOUNT}${PERMISSIONS}`, { bearer: token })).json<PermissionsPage>().value.length;
    expect(await count()).toBe(3);
    now += 29_000;
    expect(await count()).toBe(3);
    now += 1_000;
    expect(await count()).toBe(4);
  });

  it('serves the resource group scope as well', async () => {
    const { em, token } = await start();
    const page = (await call(em, 'arm', `${RG}${PERMISSIONS}`, { bearer: token })).json<PermissionsPage>();
    expect(page.value).toHaveLength(3);
  });

  it('pages with an absolute nextLink on the ARM host that carries api-version', async () => {
    const { em, token } = await start(scenario({ arm: { pageSize: 2 } }));
    const first = (await call(em, 'arm', `${ACCOUNT}${PERMISSIONS}`, { bearer: token })).json<PermissionsPage>();
    expect(first.value).toHaveLength(2);
    expect(first.nextLink?.startsWith(`${em.urls.arm}${ACCOUNT}/providers/Microsoft.Authorization/permissions?`)).toBe(true);
    expect(new URL(first.nextLink ?? '').searchParams.get('api-version')).toBe('2022-04-01');
    const second = (await callUrl(em, first.nextLink ?? '', { bearer: token })).json<PermissionsPage>();
    expect(second.value).toHaveLength(1);
    expect(second.nextLink).toBeUndefined();
    expect([...first.value, ...second.value].map((p) => p.dataActions)).toEqual([['Microsoft.CognitiveServices/*'], [], ['Microsoft.CognitiveServices/accounts/MaaS/*']]);
  });

  it('matches path segments case-insensitively', async () => {
    const { em, token } = await start();
    const path = `${ACCOUNT.replace('resourceGroups', 'resourcegroups').replace('acct-a', 'ACCT-A')}/PROVIDERS/microsoft.authorization/Permissions?api-version=2022-04-01`;
    expect((await call(em, 'arm', path, { bearer: token })).status).toBe(200);
  });

  it('refuses an empty path segment with InvalidResourceId', async () => {
    const { em, token } = await start();
    for (const path of [`/${ACCOUNT}${PERMISSIONS}`, `${ACCOUNT.replace('Microsoft.CognitiveServices/', 'Microsoft.CognitiveServices//')}${PERMISSIONS}`]) {
      const reply = await call(em, 'arm', path, { bearer: token });
      expect([reply.status, reply.json<{ error: { code: string } }>().error.code]).toEqual([400, 'InvalidResourceId']);
    }
    expect(em.requests.at(-1)?.path.includes('//')).toBe(true);
  });

  it('404s an unknown subscription, resource group and resource', async () => {
    const { em, token } = await start();
    const cases: [string, string][] = [
      [ACCOUNT.replace(SUB, '00000000-1111-4222-8333-444444444444'), 'SubscriptionNotFound'],
      [ACCOUNT.replace('rg-ai', 'rg-missing'), 'ResourceGroupNotFound'],
      [ACCOUNT.replace('acct-a', 'acct-missing'), 'ResourceNotFound'],
    ];
    for (const [scope, code] of cases) {
      const reply = await call(em, 'arm', `${scope}${PERMISSIONS}`, { bearer: token });
      const error = reply.json<{ error: { code: string; message: string } }>().error;
      expect([reply.status, error.code]).toEqual([404, code]);
      expect(error.message.length).toBeGreaterThan(10);
    }
  });

  it('403s a caller without Microsoft.Authorization/permissions/read when the scenario demands it', async () => {
    const { em } = await start(scenario({ arm: { permissionsReadRequiresAction: true } }));
    const bare = await accessToken(em, em.urls.arm, BARE_CLIENT);
    const reply = await call(em, 'arm', `${OTHER_ACCOUNT}${PERMISSIONS}`, { bearer: bare });
    expect(reply.status).toBe(403);
    expect(reply.json()).toEqual({
      error: {
        code: 'AuthorizationFailed',
        message:
          `The client '${BARE_SP}' with object id '${BARE_SP}' does not have authorization to perform action ` +
          `'Microsoft.Authorization/permissions/read' over scope '${OTHER_ACCOUNT}' or the scope is invalid. ` +
          'If access was recently granted, please refresh your credentials.',
      },
    });
    // Reader's */read covers it.
    const reader = await accessToken(em, em.urls.arm);
    expect((await call(em, 'arm', `${ACCOUNT}${PERMISSIONS}`, { bearer: reader })).status).toBe(200);
  });

  it('lets any caller read its permissions by default', async () => {
    const { em } = await start();
    const bare = await accessToken(em, em.urls.arm, BARE_CLIENT);
    const page = (await call(em, 'arm', `${OTHER_ACCOUNT}${PERMISSIONS}`, { bearer: bare })).json<PermissionsPage>();
    expect(page.value.map((p) => p.dataActions)).toEqual([['Microsoft.CognitiveServices/*']]);
  });
});

interface AssignmentList {
  value: { id: string; name: string; type: string; properties: Record<string, unknown> }[];
  nextLink?: string;
}

describe('ARM role assignments', () => {
  const list = async (em: Emulator, token: string, scope: string, filter?: string): Promise<string[]> => {
    const query = filter === undefined ? '' : `&$filter=${encodeURIComponent(filter)}`;
    const reply = await call(em, 'arm', `${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01${query}`, { bearer: token });
    expect(reply.status, reply.text).toBe(200);
    return reply.json<AssignmentList>().value.map((a) => a.name);
  };

  it("atScope() and assignedTo(): the caller's assignments at or above the scope, groups included, propagating ones too", async () => {
    const { em, token } = await start();
    expect(await list(em, token, ACCOUNT, `atScope() and assignedTo('${SP}')`)).toEqual([A.groupAtRg, A.readerAtSub, A.customAtRoot, A.lateOnAccount]);
  });

  it('principalId eq: direct assignments only, at, above and below the scope', async () => {
    const { em, token } = await start();
    expect(await list(em, token, RG, `principalId eq '${SP}'`)).toEqual([A.readerAtSub, A.customAtRoot, A.lateOnAccount]);
  });

  it('no filter: everything at, above and below the scope', async () => {
    const { em, token } = await start();
    expect(await list(em, token, RG)).toEqual([A.groupAtRg, A.readerAtSub, A.customAtRoot, A.lateOnAccount, A.someoneElse]);
  });

  it('renders items as ARM does', async () => {
    const { em, token } = await start();
    const reply = await call(em, 'arm', `${ACCOUNT}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()`, { bearer: token });
    const item = reply.json<AssignmentList>().value.find((a) => a.name === A.groupAtRg);
    expect(item).toEqual({
      id: `${RG}/providers/Microsoft.Authorization/roleAssignments/${A.groupAtRg}`,
      name: A.groupAtRg,
      type: 'Microsoft.Authorization/roleAssignments',
      properties: expect.objectContaining({
        roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.cognitiveServicesUser}`,
        principalId: OUTER_GROUP,
        principalType: 'Group',
        scope: RG,
        condition: null,
        createdOn: new Date(now).toISOString(),
        updatedOn: expect.any(String) as unknown,
        createdBy: expect.any(String) as unknown,
        updatedBy: expect.any(String) as unknown,
      }) as unknown,
    });
  });

  it('403s a caller without Microsoft.Authorization/roleAssignments/read', async () => {
    const { em } = await start();
    const bare = await accessToken(em, em.urls.arm, BARE_CLIENT);
    const reply = await call(em, 'arm', `${OTHER_ACCOUNT}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`, { bearer: bare });
    expect(reply.status).toBe(403);
    expect(reply.json<{ error: { message: string } }>().error.message).toContain("'Microsoft.Authorization/roleAssignments/read'");
  });

  it('rejects a filter it does not understand', async () => {
    const { em, token } = await start();
    const reply = await call(em, 'arm', `${ACCOUNT}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=roleName%20eq%20'x'`, { bearer: token });
    expect(reply.status).toBe(400);
  });
});

describe('ARM role definitions', () => {
  it('serves built-in roles at the root and under a subscription, and custom roles', async () => {
    const { em, token } = await start();
    const root = await call(em, 'arm', `/providers/Microsoft.Authorization/roleDefinitions/${ROLE.cognitiveServicesUser}?api-version=2022-04-01`, { bearer: token });
    expect(root.json()).toMatchObject({
      id: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE.cognitiveServicesUser}`,
      name: ROLE.cognitiveServicesUser,
      type: 'Microsoft.Authorization/roleDefinitions',
      properties: { roleName: 'Cognitive Services User', type: 'BuiltInRole', assignableScopes: ['/'] },
    });
    const underSub = await call(em, 'arm', `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CUSTOM_ROLE}?api-version=2022-04-01`, { bearer: token });
    expect(underSub.json()).toMatchObject({
      id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CUSTOM_ROLE}`,
      properties: {
        roleName: 'Foundry Models Caller',
        type: 'CustomRole',
        permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/accounts/MaaS/*'], notDataActions: [] }],
      },
    });
    const underResource = await call(em, 'arm', `${ACCOUNT}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.owner}?api-version=2022-04-01`, { bearer: token });
    expect(underResource.json()).toMatchObject({ id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.owner}` });
  });

  it('404s an unknown role definition', async () => {
    const { em, token } = await start();
    const reply = await call(em, 'arm', `/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-4000-8000-00000000dead?api-version=2022-04-01`, { bearer: token });
    expect([reply.status, reply.json<{ error: { code: string } }>().error.code]).toEqual([404, 'RoleDefinitionDoesNotExist']);
  });
});

describe('ARM Cognitive Services account', () => {
  it('returns the account with its per-account data-plane endpoint', async () => {
    const { em, token } = await start();
    const reply = await call(em, 'arm', `${ACCOUNT}?api-version=2024-10-01`, { bearer: token });
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({
      id: ACCOUNT,
      name: 'acct-a',
      type: 'Microsoft.CognitiveServices/accounts',
      kind: 'AIServices',
      location: 'swedencentral',
      properties: {
        endpoint: `${em.urls.data}/acct-a/`,
        endpoints: expect.objectContaining({ 'Azure AI Model Inference API': `${em.urls.data}/acct-a/` }) as unknown,
        provisioningState: 'Succeeded',
      },
    });
  });

  it('403s a caller without Microsoft.CognitiveServices/accounts/read', async () => {
    const { em } = await start(scenario({ roleAssignments: [] }));
    const token = await accessToken(em, em.urls.arm);
    const reply = await call(em, 'arm', `${ACCOUNT}?api-version=2024-10-01`, { bearer: token });
    expect(reply.status).toBe(403);
    expect(reply.json<{ error: { message: string } }>().error.message).toContain("'Microsoft.CognitiveServices/accounts/read'");
  });
});

describe('ARM Cognitive Services deployments', () => {
  const DEPLOYMENTS = `${ACCOUNT}/deployments?api-version=2024-10-01`;
  interface DeploymentsPage {
    value: { name: string; type: string; properties: { provisioningState: string }; systemData: { createdAt: string } }[];
  }

  it('lists the standing deployments and the new ones, Creating until their time has passed', async () => {
    const { em, token } = await start(
      scenario({ resources: [{ id: ACCOUNT, deployments: ['gpt-4o-mini'], newDeployments: [{ name: 'fresh', servedAfterSeconds: 30 }, { name: 'broken', provisioningState: 'Failed' }] }, { id: OTHER_ACCOUNT }] }),
    );
    const states = async (): Promise<[string, string][]> => {
      const reply = await call(em, 'arm', DEPLOYMENTS, { bearer: token });
      expect(reply.status).toBe(200);
      return reply.json<DeploymentsPage>().value.map((d) => [d.name, d.properties.provisioningState]);
    };
    expect(await states()).toEqual([['gpt-4o-mini', 'Succeeded'], ['fresh', 'Creating'], ['broken', 'Failed']]);
    const first = (await call(em, 'arm', DEPLOYMENTS, { bearer: token })).json<DeploymentsPage>().value;
    expect(first[0]).toMatchObject({ type: 'Microsoft.CognitiveServices/accounts/deployments', systemData: { createdAt: '2025-01-06T09:00:00.0000000Z' } });
    expect(first[1]?.systemData.createdAt).toBe(new Date(now).toISOString());
    now += 31_000;
    expect(await states()).toEqual([['gpt-4o-mini', 'Succeeded'], ['fresh', 'Succeeded'], ['broken', 'Failed']]);
  });

  it('403s a caller without Microsoft.CognitiveServices/accounts/deployments/read, and 404s an unknown account', async () => {
    const { em } = await start(scenario({ roleAssignments: [] }));
    const token = await accessToken(em, em.urls.arm);
    const refused = await call(em, 'arm', DEPLOYMENTS, { bearer: token });
    expect(refused.status).toBe(403);
    expect(refused.json<{ error: { message: string } }>().error.message).toContain("'Microsoft.CognitiveServices/accounts/deployments/read'");
    const { em: em2, token: token2 } = await start();
    expect((await call(em2, 'arm', `${RG}/providers/Microsoft.CognitiveServices/accounts/acct-none/deployments?api-version=2024-10-01`, { bearer: token2 })).status).toBe(404);
  });
});
