import { describe, expect, it } from 'vitest';
import type { Permission } from '../../src/decide/permissions.js';
import type { AccountEvidence, AccountSettings } from '../../src/decide/readiness.js';
import { decideResource, readinessCanMatter, type Gathered, overallDiagnosis, type PermissionsEvidence, type ProbeEvidence } from '../../src/decide/verdict.js';
import { parseAccountSettings } from '../../src/evidence/arm.js';

const MAAS = 'Microsoft.CognitiveServices/accounts/MaaS/*';
const RESOURCE_ID = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a';
const RESOURCE = { principalId: 'p' };
const entry = (p: Partial<Permission>): Permission => ({ actions: [], notActions: [], dataActions: [], notDataActions: [], ...p });
const read = (...permissions: Permission[]): PermissionsEvidence => ({ kind: 'read', permissions });
/** A deny assignment for everyone at the resource group, blocking every Cognitive Services data action. */
const DENY_EVERYONE = {
  name: 'stack deny',
  scope: '/subscriptions/x/resourceGroups/rg',
  permissions: [entry({ dataActions: ['Microsoft.CognitiveServices/*'] })],
  principals: [{ id: '00000000-0000-0000-0000-000000000000', type: 'SystemDefined' }],
  excludePrincipals: [],
  doNotApplyToChildScopes: false,
};

describe('decideResource', () => {
  it.each<[string, PermissionsEvidence, string]>([
    ['granted by Cognitive Services User', read(entry({ dataActions: ['Microsoft.CognitiveServices/*'] })), 'ok'],
    ['nothing at all', read(), 'role-missing'],
    ['unrelated data actions', read(entry({ dataActions: ['Microsoft.Storage/*'] })), 'role-missing'],
    ['Owner only', read(entry({ actions: ['*'] })), 'control-plane-role-only'],
    ['OpenAI only', read(entry({ dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*'] })), 'openai-role-only'],
    ['an exclusion', read(entry({ dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [MAAS] })), 'partial-data-actions'],
    ['403', { kind: 'refused', status: 403, code: 'AuthorizationFailed' }, 'cannot-verify'],
    ['404', { kind: 'refused', status: 404, code: 'ResourceNotFound' }, 'resource-not-found'],
    ['400 InvalidResourceId', { kind: 'refused', status: 400, code: 'InvalidResourceId' }, 'resource-not-found'],
    ['401', { kind: 'refused', status: 401, code: 'InvalidAuthenticationToken' }, 'token-rejected'],
    ['429', { kind: 'refused', status: 429 }, 'throttled'],
    ['503', { kind: 'refused', status: 503 }, 'service-unavailable'],
    ['an unexpected 400', { kind: 'refused', status: 400, code: 'BadRequest' }, 'request-refused'],
    ['a damaged body', { kind: 'unusable', reason: 'not JSON' }, 'service-unavailable'],
  ])('%s → %s', (_, evidence, diagnosis) => {
    const verdict = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: evidence, facts: RESOURCE });
    expect(verdict.diagnosis).toBe(diagnosis);
    expect(verdict.granted).toBe(diagnosis === 'ok');
  });

  it('is partial when one of two required actions is missing, and names it', () => {
    const verdict = decideResource({ resourceId: RESOURCE_ID, required: [MAAS, 'Microsoft.CognitiveServices/accounts/AIServices/*'], permissions: read(entry({ dataActions: [MAAS] })), facts: RESOURCE });
    expect(verdict.diagnosis).toBe('partial-data-actions');
    expect(verdict.facts.missingDataActions).toEqual(['Microsoft.CognitiveServices/accounts/AIServices/*']);
  });

  it('never grants when nothing is required', () => {
    expect(decideResource({ resourceId: RESOURCE_ID, required: [], permissions: read(entry({ dataActions: ['*'] })), facts: RESOURCE }).granted).toBe(false);
  });
});

describe('overallDiagnosis', () => {
  const ok = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: read(entry({ dataActions: [MAAS] })), facts: RESOURCE });
  const denied = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: read(), facts: RESOURCE });
  const error = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: { kind: 'refused', status: 403 }, facts: RESOURCE });

  it('is ok only when every resource is', () => {
    expect(overallDiagnosis([ok, ok])).toBe('ok');
    expect(overallDiagnosis([ok, denied])).toBe('role-missing');
  });

  it('puts errors before denials', () => {
    expect(overallDiagnosis([denied, error, ok])).toBe('cannot-verify');
  });

  it('has no verdict without resources', () => {
    expect(overallDiagnosis([])).toBe('cannot-verify');
  });
});

describe('decideResource with a model call', () => {
  const granted = read(entry({ dataActions: ['Microsoft.CognitiveServices/*'] }));
  const answered = (status: number, code?: string, message?: string) =>
    ({ kind: 'answered', status, code, message, endpoint: 'https://acct.services.ai.azure.com/', chatCompletion: status < 300, tokenAudience: 'https://ai.azure.com' }) as const;
  /** The account the calls go to, as ARM lists it: a call there speaks for this resource. */
  const account: AccountEvidence = { kind: 'read', settings: { customSubDomainName: 'acct', ipRules: [], virtualNetworkRules: 0, disableLocalAuth: true, endpoints: ['https://acct.services.ai.azure.com/'] } };
  const decide = (permissions: PermissionsEvidence, probe: Gathered['probe'], required = [MAAS]) =>
    decideResource({ resourceId: RESOURCE_ID, required, permissions, facts: RESOURCE, probe, account });

  it.each<[string, PermissionsEvidence, Gathered['probe'], string]>([
    ['both agree on access', granted, answered(200), 'ok'],
    ['the data plane lags behind a grant', granted, answered(401, 'PermissionDenied', 'Principal does not have access to API/Operation.'), 'data-plane-denied'],
    ['the token is refused', granted, answered(401, '401', 'Access denied due to invalid subscription key or wrong API endpoint.'), 'token-rejected'],
    ['the deployment does not exist', granted, answered(404, 'DeploymentNotFound'), 'model-not-found'],
    ['no endpoint can be called', granted, { kind: 'no-endpoint', reason: 'none allowed' }, 'endpoint-unknown'],
    ['the account read is refused', granted, { kind: 'no-endpoint', reason: 'HTTP 403', accountFailure: { kind: 'refused', status: 403, code: 'AuthorizationFailed' } }, 'endpoint-unknown'],
    ['the account read is throttled', granted, { kind: 'no-endpoint', reason: 'HTTP 429', accountFailure: { kind: 'refused', status: 429, retryAfterMs: 6000 } }, 'throttled'],
    ['ARM fails the account read', granted, { kind: 'no-endpoint', reason: 'HTTP 503', accountFailure: { kind: 'refused', status: 503 } }, 'service-unavailable'],
    ['the account read fails in transit', granted, { kind: 'no-endpoint', reason: 'ECONNRESET', accountFailure: { kind: 'unusable', reason: 'ECONNRESET', transport: 'connection-reset' } }, 'service-unavailable'],
    ['the call fails in transit', granted, { kind: 'unusable', reason: 'ECONNRESET' }, 'service-unavailable'],
    ['a model answer stands in for unreadable permissions', { kind: 'refused', status: 403 }, answered(200), 'ok'],
    ['a data-plane denial with unreadable permissions', { kind: 'refused', status: 403 }, answered(401, 'PermissionDenied'), 'role-missing'],
    ['a control-plane denial stands whatever the model says', read(), answered(200), 'role-missing'],
    ['a missing resource stands', { kind: 'refused', status: 404 }, answered(200), 'resource-not-found'],
  ])('%s → %s', (_, permissions, probe, diagnosis) => {
    const verdict = decide(permissions, probe);
    expect(verdict.diagnosis).toBe(diagnosis);
    expect(verdict.granted).toBe(diagnosis === 'ok');
  });

  it('takes no call as proof for an account it did not reach, or cannot tie to it', () => {
    const elsewhere = { ...answered(200), endpoint: 'https://dev.services.ai.azure.com/' };
    const unreadable = { kind: 'refused', status: 403 } as const;
    expect(decide(unreadable, elsewhere).diagnosis).toBe('cannot-verify');
    expect(decide(unreadable, { ...answered(401, 'PermissionDenied'), endpoint: 'https://dev.services.ai.azure.com/' }).diagnosis).toBe('cannot-verify');
    // An account that could not be read ties no endpoint to the resource.
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: unreadable, facts: RESOURCE, probe: answered(200), account: { kind: 'unreadable', reason: 'HTTP 403' } }).diagnosis).toBe('cannot-verify');
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: unreadable, facts: RESOURCE, probe: answered(200) }).diagnosis).toBe('cannot-verify');
    // A path under one of the account's endpoints is the account's.
    expect(decide(unreadable, { ...answered(200), endpoint: 'https://ACCT.services.ai.azure.com/api/projects/p' }).diagnosis).toBe('ok');
  });

  it('takes a 400 as proof, with the permissions unread, only when the service sends it after authorizing', () => {
    const unreadable = { kind: 'refused', status: 403 } as const;
    expect(decide(unreadable, answered(400, 'unsupported_parameter', "Unsupported parameter: 'max_tokens' is not supported with this model.")).diagnosis).toBe('ok');
    expect(decide(unreadable, answered(400, 'OperationNotSupported', 'The embeddings operation does not work with the specified model.')).diagnosis).toBe('ok');
    expect(decide(unreadable, answered(400, 'BadRequest', 'API version not supported')).diagnosis).toBe('cannot-verify');
    expect(decide(unreadable, answered(400, 'InvalidAuthenticationTokenAudience', 'The token audience is wrong.')).diagnosis).not.toBe('ok');
    // With the permissions granting, the same 400 is a note beside a granted verdict.
    expect(decide(granted, answered(400, 'BadRequest', 'API version not supported'))).toMatchObject({ granted: true, facts: { modelNote: 'BadRequest: API version not supported' } });
  });

  it('does not take a model answer as proof of wider requirements', () => {
    expect(decide({ kind: 'refused', status: 403 }, answered(200), ['Microsoft.CognitiveServices/*']).diagnosis).toBe('cannot-verify');
  });

  it('names the data action the newer denial message gives', () => {
    const message = 'The principal `p` lacks the required data action `Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action` to perform `POST /models/chat/completions` operation.';
    expect(decide(granted, answered(401, 'PermissionDenied', message)).facts.missingDataActions).toEqual([
      'Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action',
    ]);
  });
});

describe('readinessCanMatter', () => {
  const refusedAccount: AccountEvidence = { kind: 'unreadable', reason: 'HTTP 403', failure: { kind: 'refused', status: 403, code: 'AuthorizationFailed' } };

  it('is true when the roles grant every action, outright or under a condition, whatever the account said', () => {
    expect(readinessCanMatter([MAAS], read(entry({ dataActions: [MAAS] })), refusedAccount)).toBe(true);
    expect(readinessCanMatter([MAAS], read(entry({ dataActions: [MAAS], condition: "@Resource[x] StringEquals 'y'" })), refusedAccount)).toBe(true);
  });

  it('is false when the roles leave an action out: the verdict is a denial whatever the account says', () => {
    expect(readinessCanMatter([MAAS], read(), refusedAccount)).toBe(false);
    expect(readinessCanMatter([MAAS, 'Contoso.X/y/*'], read(entry({ dataActions: [MAAS] })), refusedAccount)).toBe(false);
    expect(readinessCanMatter([], read(entry({ dataActions: ['*'] })), refusedAccount)).toBe(false);
  });

  it('with the permissions unread, is true only for an account read that failed in a way time cures', () => {
    const unread: PermissionsEvidence = { kind: 'refused', status: 503 };
    // A fault of the permissions read says nothing new about the roles, which decide whether the account refuses.
    expect(readinessCanMatter([MAAS], unread, refusedAccount)).toBe(false);
    expect(readinessCanMatter([MAAS], { kind: 'refused', status: 403 }, refusedAccount)).toBe(false);
    for (const failure of [
      { kind: 'refused', status: 429 },
      { kind: 'refused', status: 503 },
      { kind: 'unusable', reason: 'socket hang up', transport: 'connection-reset' },
    ] as const) {
      expect(readinessCanMatter([MAAS], unread, { kind: 'unreadable', reason: 'x', failure }), JSON.stringify(failure)).toBe(true);
    }
    const noSuchHost = { kind: 'unusable', reason: 'getaddrinfo ENOTFOUND', transport: 'dns-not-found' } as const;
    expect(readinessCanMatter([MAAS], unread, { kind: 'unreadable', reason: 'x', failure: noSuchHost })).toBe(false);
    // No answer at all (the run's time ran out, a body that could not be used): ask again.
    expect(readinessCanMatter([MAAS], unread, { kind: 'unreadable', reason: 'the run ran out of time' })).toBe(true);
  });
});

describe('decideResource with the account settings', () => {
  const granting = read(entry({ dataActions: ['Microsoft.CognitiveServices/*'] }));
  const settings = (s: Partial<AccountSettings>): AccountEvidence => ({
    kind: 'read',
    settings: { customSubDomainName: 'a', publicNetworkAccess: 'Enabled', ipRules: [], virtualNetworkRules: 0, disableLocalAuth: true, endpoints: ['https://a.services.ai.azure.com/'], ...s },
  });
  const answered = (status: number, code?: string, message?: string): ProbeEvidence => ({ kind: 'answered', status, code, message, endpoint: 'https://a.services.ai.azure.com/', chatCompletion: status === 200 });

  it('grants a ready account and exposes its readiness', () => {
    const verdict = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, account: settings({}) });
    expect(verdict.diagnosis).toBe('ok');
    expect(verdict.readiness).toEqual({ kind: 'known', provisioning: { kind: 'succeeded' }, customSubDomain: 'a', network: { kind: 'open' }, keylessEnforced: true });
  });

  it('keeps keys enabled from failing the check', () => {
    const verdict = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, account: settings({ disableLocalAuth: false }) });
    expect(verdict).toMatchObject({ granted: true, diagnosis: 'ok', readiness: { keylessEnforced: false } });
  });

  it('denies an account without a custom subdomain, whatever the roles or the model call say', () => {
    const none = settings({ customSubDomainName: undefined });
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, account: none }).diagnosis).toBe('custom-subdomain-missing');
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, probe: { kind: 'no-endpoint', reason: 'regional only' }, account: none }).diagnosis).toBe('custom-subdomain-missing');
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: { kind: 'refused', status: 403 }, facts: RESOURCE, account: none }).diagnosis).toBe('custom-subdomain-missing');
  });

  it('leaves a role diagnosis first: the readiness is shown beside it', () => {
    const verdict = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: read(), facts: RESOURCE, account: settings({ customSubDomainName: undefined, publicNetworkAccess: 'Disabled' }) });
    expect(verdict.diagnosis).toBe('role-missing');
    expect(verdict.readiness).toMatchObject({ customSubDomain: undefined, network: { kind: 'private-only' } });
  });

  it.each<[string, Partial<AccountSettings>, string]>([
    ['public access disabled', { publicNetworkAccess: 'Disabled' }, 'private endpoints'],
    ['selected networks', { networkDefaultAction: 'Deny', ipRules: ['124.56.78.0/24'], virtualNetworkRules: 2 }, '`124.56.78.0/24`'],
  ])('%s: roles that grant are not enough without a model call that gets through', (_, s, restriction) => {
    const verdict = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, account: settings(s) });
    expect(verdict).toMatchObject({ granted: false, diagnosis: 'network-blocked' });
    expect(verdict.facts.networkRestriction).toContain(restriction);
  });

  it('network rules: a 403 from the model call confirms, a 2xx proves this runner gets through', () => {
    const restricted = settings({ networkDefaultAction: 'Deny' });
    const firewall = answered(403, '403', 'Access denied due to Virtual Network/Firewall rules.');
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, probe: firewall, account: restricted })).toMatchObject({ diagnosis: 'network-blocked', facts: { httpStatus: 403 } });
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, probe: answered(200), account: restricted })).toMatchObject({ granted: true, diagnosis: 'ok' });
    // Any other answer keeps its own diagnosis.
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, probe: answered(404), account: restricted }).diagnosis).toBe('model-not-found');
    // A call that got through to another account says nothing of this one's network.
    const elsewhere = { ...answered(200), endpoint: 'https://dev.services.ai.azure.com/' };
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, probe: elsewhere, account: restricted })).toMatchObject({ granted: false, diagnosis: 'network-blocked' });
  });

  it('claims nothing from an account it could not read', () => {
    const verdict = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, account: { kind: 'unreadable', reason: 'HTTP 403' } });
    expect(verdict).toMatchObject({ granted: true, readiness: { kind: 'unknown', reason: 'HTTP 403' } });
  });
});

describe('decideResource with the account\'s provisioning state', () => {
  const granting = read(entry({ dataActions: ['Microsoft.CognitiveServices/*'] }));
  const ENDPOINT = 'https://a.services.ai.azure.com/';
  const account = (provisioningState: string | undefined, s: Partial<AccountSettings> = {}): AccountEvidence => ({
    kind: 'read',
    settings: { provisioningState, customSubDomainName: 'a', publicNetworkAccess: 'Enabled', ipRules: [], virtualNetworkRules: 0, disableLocalAuth: true, endpoints: [ENDPOINT], ...s },
  });
  const decide = (g: Partial<Gathered>) => decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, ...g });
  const ok200: ProbeEvidence = { kind: 'answered', status: 200, endpoint: ENDPOINT, chatCompletion: true };
  const TRANSITIONAL = ['Accepted', 'Creating', 'Updating', 'ResolvingDNS', 'Moving'];
  const ENDED = ['Failed', 'Canceled', 'Deleting', 'Deleted', 'Disabled'];
  const PERMISSIONS: [string, PermissionsEvidence][] = [
    ['granting', granting],
    ['nothing', read()],
    ['Owner only', read(entry({ actions: ['*'] }))],
    ['an exclusion', read(entry({ dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [MAAS] }))],
    ['403', { kind: 'refused', status: 403, code: 'AuthorizationFailed' }],
    ['404', { kind: 'refused', status: 404, code: 'ResourceNotFound' }],
    ['429', { kind: 'refused', status: 429 }],
    ['unusable', { kind: 'unusable', reason: 'not JSON' }],
  ];
  const PROBES: [string, ProbeEvidence | undefined][] = [
    ['no call', undefined],
    ['200', ok200],
    ['401', { ...ok200, status: 401, code: 'PermissionDenied', chatCompletion: false }],
    ['DNS', { kind: 'unusable', reason: 'getaddrinfo ENOTFOUND a.services.ai.azure.com', transport: 'dns-not-found' }],
  ];

  it.each([...TRANSITIONAL, ...ENDED, '', ' ', 'Creating<script>'])('%j: never granted, whatever the permissions and the model call said', (state) => {
    for (const [name, permissions] of PERMISSIONS) {
      for (const [call, probe] of PROBES) {
        expect(decide({ permissions, probe, account: account(state) }).granted, `${name}, ${call}`).toBe(false);
      }
    }
  });

  it.each(TRANSITIONAL)('%s with roles that grant: account-not-ready, which time cures (even when the model call failed for good)', (state) => {
    for (const [call, probe] of PROBES) {
      const verdict = decide({ probe, account: account(state) });
      expect(verdict, call).toMatchObject({ granted: false, diagnosis: 'account-not-ready', final: false, facts: { provisioningState: state, missingDataActions: [] } });
    }
  });

  it.each(ENDED)('%s with roles that grant: account-not-ready at once, final', (state) => {
    expect(decide({ account: account(state) })).toMatchObject({ granted: false, diagnosis: 'account-not-ready', final: true, facts: { provisioningState: state } });
  });

  it('a provisioningState that is not a short string (7, 257 characters) does not cost the other settings: account-not-ready, waited for, never ok', () => {
    for (const state of [7, 'Succeeded'.repeat(30), { value: 'Succeeded' }]) {
      const settings = parseAccountSettings({ properties: { provisioningState: state, customSubDomainName: 'a', publicNetworkAccess: 'Disabled', disableLocalAuth: true } });
      if (typeof settings === 'string') throw new Error(settings);
      for (const [call, probe] of PROBES) {
        const verdict = decide({ probe, account: { kind: 'read', settings } });
        expect(verdict, call).toMatchObject({ granted: false, diagnosis: 'account-not-ready', final: false });
        expect(verdict.facts.provisioningState, call).toMatch(/^not a state \(/);
      }
    }
  });

  it('a blank state is not Succeeded: account-not-ready, waited for, shown as blank', () => {
    for (const state of ['', '   ']) expect(decide({ account: account(state) })).toMatchObject({ granted: false, diagnosis: 'account-not-ready', final: false, facts: { provisioningState: 'blank' } });
  });

  it('Failed on an account changed within the recent window: waited for (ARM has turned such a Failed into Succeeded); older or of unknown age: final', () => {
    const readAtMs = Date.parse('2026-01-01T12:00:00Z');
    const failed = (changedAt: string | undefined, at: number | null = readAtMs): AccountEvidence => {
      const base = account('Failed', changedAt !== undefined ? { changedAt } : {});
      return base.kind === 'read' && at !== null ? { ...base, readAtMs: at } : base;
    };
    expect(decide({ account: failed('2026-01-01T11:58:00Z') })).toMatchObject({ diagnosis: 'account-not-ready', final: false, facts: { provisioningState: 'Failed' } });
    expect(decide({ account: failed('2026-01-01T11:00:00Z') })).toMatchObject({ diagnosis: 'account-not-ready', final: true });
    expect(decide({ account: failed(undefined) })).toMatchObject({ diagnosis: 'account-not-ready', final: true });
    expect(decide({ account: failed('2026-01-01T11:58:00Z', null) })).toMatchObject({ diagnosis: 'account-not-ready', final: true });
    // Only Failed: a recent Canceled or Deleting is reported at once.
    expect(decide({ account: { kind: 'read', settings: { ...(account('Canceled') as { settings: AccountSettings }).settings, changedAt: '2026-01-01T11:58:00Z' }, readAtMs } })).toMatchObject({ final: true });
  });

  it('comes before the custom subdomain and the network rules, which may still be on their way', () => {
    expect(decide({ account: account('Creating', { customSubDomainName: undefined }) }).diagnosis).toBe('account-not-ready');
    expect(decide({ account: account('ResolvingDNS', { publicNetworkAccess: 'Disabled' }) }).diagnosis).toBe('account-not-ready');
    expect(decide({ account: account('Succeeded', { customSubDomainName: undefined }) }).diagnosis).toBe('custom-subdomain-missing');
  });

  it('permissions that cannot be read (403) and a not-ready account: account-not-ready, without claiming the roles are fine', () => {
    const verdict = decide({ permissions: { kind: 'refused', status: 403, code: 'AuthorizationFailed' }, account: account('Creating') });
    expect(verdict.diagnosis).toBe('account-not-ready');
    expect(verdict.facts.missingDataActions).toBeUndefined();
  });

  it('a role diagnosis stands on a not-ready account (the roles need fixing too), with the account\'s state beside it', () => {
    for (const [name, permissions] of PERMISSIONS.filter(([n]) => !['granting', '403'].includes(n))) {
      const unchanged = decide({ permissions });
      const verdict = decide({ permissions, account: account('Failed') });
      expect(verdict.diagnosis, name).toBe(unchanged.diagnosis);
      expect(verdict.readiness, name).toMatchObject({ kind: 'known', provisioning: { kind: 'ended', state: 'Failed' } });
    }
  });

  it('Succeeded, or no state at all: the verdict is what it was without the state', () => {
    for (const state of ['Succeeded', 'succeeded', undefined]) {
      for (const [name, permissions] of PERMISSIONS) {
        for (const [call, probe] of PROBES) {
          const withState = decide({ permissions, probe, account: account(state) });
          const without = decide({ permissions, probe, account: account(undefined) });
          expect([withState.diagnosis, withState.granted], `${String(state)}, ${name}, ${call}`).toEqual([without.diagnosis, without.granted]);
        }
      }
    }
    expect(decide({ probe: ok200, account: account('Succeeded') })).toMatchObject({ granted: true, diagnosis: 'ok' });
  });

  it('a deny assignment still overrules it', () => {
    expect(decide({ account: account('Creating'), denies: { kind: 'read', denyAssignments: [DENY_EVERYONE] } }).diagnosis).toBe('deny-assignment');
  });
});

describe('decideResource: conditional grants', () => {
  const conditional = read(entry({ dataActions: ['Microsoft.CognitiveServices/*'], condition: "@Resource[x] StringEquals 'y'" }));
  const answered = (status: number): ProbeEvidence => ({ kind: 'answered', status, endpoint: 'https://a.services.ai.azure.com/', chatCompletion: status === 200 });

  it('is conditional-grant with the condition text, never ok', () => {
    const verdict = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: conditional, facts: RESOURCE });
    expect(verdict).toMatchObject({ granted: false, diagnosis: 'conditional-grant', facts: { conditions: ["@Resource[x] StringEquals 'y'"] } });
  });

  const account: AccountEvidence = { kind: 'read', settings: { customSubDomainName: 'a', ipRules: [], virtualNetworkRules: 0, disableLocalAuth: true, endpoints: ['https://a.services.ai.azure.com/'] } };

  it('passes when the model call to this account succeeds and proves every required action', () => {
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: conditional, facts: RESOURCE, probe: answered(200), account })).toMatchObject({ granted: true, diagnosis: 'ok' });
    // A call the account cannot be tied to proves nothing.
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: conditional, facts: RESOURCE, probe: answered(200) }).diagnosis).toBe('conditional-grant');
    // A call proves nothing about agents: still conditional.
    expect(decideResource({ resourceId: RESOURCE_ID, required: ['Microsoft.CognitiveServices/accounts/AIServices/agents/*'], permissions: conditional, facts: RESOURCE, probe: answered(200) }).diagnosis).toBe('conditional-grant');
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: conditional, facts: RESOURCE, probe: answered(401) }).diagnosis).toBe('conditional-grant');
  });

  it('one action missing outright is partial, not conditional', () => {
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS, 'Contoso.X/y/*'], permissions: conditional, facts: RESOURCE }).diagnosis).toBe('partial-data-actions');
  });
});

describe('decideResource: deny assignments', () => {
  const granting = read(entry({ dataActions: ['Microsoft.CognitiveServices/*'] }));
  const everyone = DENY_EVERYONE;

  it('a deny that blocks a required action overrules the grant', () => {
    const verdict = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, probe: { kind: 'answered', status: 200, endpoint: 'https://a.services.ai.azure.com/', chatCompletion: true }, denies: { kind: 'read', denyAssignments: [everyone] } });
    expect(verdict).toMatchObject({ granted: false, diagnosis: 'deny-assignment', denials: { kind: 'read', blocking: [{ name: 'stack deny', reaches: 'everyone' }] } });
    expect(verdict.facts.denyAssignments?.[0]).toContain('stack deny');
  });

  it('no blocking deny, or none readable, leaves the verdict as it was', () => {
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, denies: { kind: 'read', denyAssignments: [] } })).toMatchObject({ diagnosis: 'ok', denials: { kind: 'read', blocking: [] } });
    expect(decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts: RESOURCE, denies: { kind: 'unreadable', reason: 'HTTP 403' } })).toMatchObject({ diagnosis: 'ok', denials: { kind: 'unreadable' } });
  });
});
