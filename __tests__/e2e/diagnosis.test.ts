/**
 * Every row of the troubleshooting table, reached through the bundled action against the emulator: the
 * `diagnosis` output, the exit code and the facts a person needs in the job summary.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CAUSES, LINK_TITLES, type ChainLink } from '../../src/decide/chain.js';
import { TABLE, type DiagnosisCode } from '../../src/decide/diagnosis.js';
import { startEmulator, type Emulator, type ScenarioInput } from '../../emulator/index.js';
import { runAction } from '../../emulator/run-action.js';
import { propagatingAfter, scenarioInput } from '../../emulator/scenario-variations.js';
import { mermaidBlocks, parseFlowchart } from '../support/mermaid.js';

const UNKNOWN = '00000000-1111-2222-3333-444444444444';

const scenario = scenarioInput;
const granted = (): ScenarioInput => scenario('granted-builtin');

interface Case {
  readonly code: DiagnosisCode;
  readonly scenario: ScenarioInput;
  /** Inputs on top of the emulator's own; a function sees the running emulator's URLs and scenario. */
  readonly inputs?: (emulator: Emulator) => Record<string, string>;
  readonly exitCode: number;
  /** Extra environment for the action's process. */
  readonly env?: Record<string, string>;
  /** Facts the job summary must show, given the running emulator. */
  readonly shows: (emulator: Emulator) => string[];
}

const app = (e: Emulator) => e.scenario.apps[0];
const resourceId = (e: Emulator) => e.scenario.resources[0]?.id ?? '';
const probe = (e: Emulator): Record<string, string> => ({ model: 'gpt-4o-mini', endpoint: `${e.urls.data}/contoso-foundry/` });

const CASES: readonly Case[] = [
  { code: 'ok', scenario: granted(), inputs: probe, exitCode: 0, shows: () => ['✅ Foundry access verified', 'answered: HTTP 200'] },
  { code: 'role-missing', scenario: scenario('denied-no-role'), exitCode: 1, shows: (e) => [`--assignee-object-id ${app(e)?.objectId}`, `--scope ${resourceId(e)}`] },
  { code: 'control-plane-role-only', scenario: scenario('denied-owner-only'), exitCode: 1, shows: () => ['✗ Owner', 'carry no data actions'] },
  { code: 'openai-role-only', scenario: scenario('denied-openai-only'), exitCode: 1, shows: () => ['OpenAI models, not Foundry Models'] },
  { code: 'partial-data-actions', scenario: scenario('denied-not-data-actions'), exitCode: 1, shows: () => ['Excluded by notDataActions'] },
  {
    code: 'custom-subdomain-missing',
    scenario: scenario('not-ready-no-subdomain'),
    exitCode: 1,
    shows: (e) => [`az cognitiveservices account update --ids ${resourceId(e)} --custom-domain contoso-foundry`, 'cannot be undone', '✗ no custom subdomain'],
  },
  {
    // The shipped scenario's account turns Succeeded after 8 s; with wait-timeout 0 the check reports it at once.
    code: 'account-not-ready',
    scenario: scenario('not-ready-provisioning'),
    exitCode: 1,
    shows: (e) => ['(state `Creating`)', 'The roles are not the problem', `az cognitiveservices account show --ids ${resourceId(e)} --query properties.provisioningState -o tsv`],
  },
  {
    code: 'network-blocked',
    scenario: scenario('not-ready-private-only'),
    exitCode: 1,
    shows: () => ['private endpoints (public network access is disabled)', 'self-hosted runner', 'private endpoint', 'network-rule add'],
  },
  {
    code: 'conditional-grant',
    scenario: scenario('conditional-grant'),
    exitCode: 1,
    shows: () => ["StringEquals 'gpt-4o-mini-eval'", 'set `model`'],
  },
  {
    code: 'deny-assignment',
    scenario: scenario('denied-by-deny-assignment'),
    exitCode: 1,
    shows: () => ['Deny assignment for deployment stack foundry-stack', 'denied by', 'denyAssignments?api-version=2022-04-01'],
  },
  {
    code: 'propagation-timeout',
    scenario: propagatingAfter(120, { readable: true }),
    inputs: () => ({ 'wait-timeout': '1' }),
    exitCode: 1,
    shows: () => ['✓ Cognitive Services User (direct, at this resource', 'Raise `wait-timeout`'],
  },
  {
    code: 'data-plane-denied',
    scenario: { ...granted(), data: { lagSeconds: 600 } },
    inputs: probe,
    exitCode: 1,
    shows: () => ['refused: HTTP 401 PermissionDenied', 'Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action'],
  },
  {
    code: 'model-not-found',
    scenario: granted(),
    inputs: (e) => ({ ...probe(e), model: 'no-such-model' }),
    exitCode: 1,
    shows: () => ['no-such-model', 'deployment list', 'as Azure Resource Manager lists them: `gpt-4o-mini`, `Phi-4`'],
  },
  {
    code: 'deployment-not-served',
    scenario: scenario('deployment-on-its-way'),
    inputs: (e) => ({ ...probe(e), model: 'contoso-chat' }),
    exitCode: 1,
    shows: () => ['lists the deployment contoso-chat', 'provisioning state Creating', 'Raise `wait-timeout`'],
  },
  { code: 'endpoint-unknown', scenario: granted(), inputs: () => ({ model: 'gpt-4o-mini' }), exitCode: 1, shows: () => ['lists no endpoint on an allowed host', 'Set the `endpoint` input'] },
  {
    code: 'token-rejected',
    scenario: granted(),
    inputs: (e) => ({ ...probe(e), 'token-scope': `${e.urls.arm}/.default` }),
    exitCode: 1,
    shows: (e) => [`The token's audience was ${e.urls.arm}`, 'https://ai.azure.com/.default'],
  },
  { code: 'id-token-unavailable', scenario: scenario('no-id-token'), exitCode: 1, shows: () => ['id-token: write'] },
  {
    code: 'federated-credential-mismatch',
    scenario: scenario('fc-mismatch'),
    exitCode: 1,
    shows: (e) => [e.scenario.github.claims.sub, 'az ad app federated-credential create', 'AADSTS700213'],
  },
  {
    code: 'service-principal-missing',
    scenario: { ...granted(), apps: granted().apps?.map((a) => ({ ...a, servicePrincipal: false })) },
    exitCode: 1,
    shows: (e) => ['AADSTS7000229', `az ad sp create --id ${app(e)?.clientId}`],
  },
  {
    code: 'network-blocked',
    scenario: { ...granted(), faults: [{ route: 'data-plane-chat', kind: 'replay', status: 403, body: { error: { code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' } } }] },
    inputs: probe,
    exitCode: 1,
    shows: () => ['Virtual Network/Firewall rules', 'GitHub-hosted runners', 'network-rule add'],
  },
  {
    code: 'custom-subdomain-missing',
    scenario: { ...granted(), faults: [{ route: 'data-plane-chat', kind: 'replay', status: 400, body: { error: { code: 'BadRequest', message: 'Please provide an authentication key.' } } }] },
    inputs: probe,
    exitCode: 1,
    shows: () => ['Please provide an authentication key', '--custom-domain'],
  },
  {
    code: 'not-signed-in',
    scenario: granted(),
    // The chain pinned to the Azure CLI, with no `az` on PATH: nobody is signed in, and nothing else is asked.
    inputs: () => ({ auth: 'default', 'client-id': '', 'tenant-id': '' }),
    env: { AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential', PATH: '/nonexistent' },
    exitCode: 1,
    shows: () => ['az login'],
  },
  { code: 'app-not-found', scenario: granted(), inputs: () => ({ 'client-id': UNKNOWN }), exitCode: 1, shows: () => [UNKNOWN, 'AADSTS700016'] },
  { code: 'tenant-not-found', scenario: granted(), inputs: () => ({ 'tenant-id': UNKNOWN }), exitCode: 1, shows: () => [UNKNOWN, 'AADSTS90002'] },
  {
    code: 'assertion-expired',
    scenario: { ...granted(), github: { ...granted().github, tokenAgeSeconds: 400 } },
    exitCode: 1,
    shows: () => ['AADSTS700024'],
  },
  {
    code: 'entra-error',
    scenario: { ...granted(), apps: granted().apps?.map((a) => ({ ...a, disabled: true })) },
    exitCode: 1,
    shows: () => ['AADSTS7000112', 'trace ID'],
  },
  {
    code: 'resource-not-found',
    scenario: granted(),
    inputs: (e) => ({ 'resource-id': resourceId(e).replace('contoso-foundry', 'contoso-missing') }),
    exitCode: 1,
    shows: () => ['contoso-missing', 'ResourceNotFound'],
  },
  {
    code: 'cannot-verify',
    scenario: { ...granted(), arm: { permissionsReadRequiresAction: true } },
    exitCode: 1,
    shows: () => ['AuthorizationFailed', '--role acdd72a7-3385-48ef-bd42-f606fba81ae7 '],
  },
  {
    code: 'throttled',
    scenario: { ...granted(), faults: [{ service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 429, retryAfter: 1 }] },
    inputs: () => ({ 'wait-timeout': '2' }),
    exitCode: 1,
    shows: () => ['HTTP 429'],
  },
  {
    code: 'service-unavailable',
    scenario: { ...granted(), faults: [{ service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 503 }] },
    exitCode: 1,
    shows: () => ['HTTP 503'],
  },
  {
    code: 'request-refused',
    scenario: {
      ...granted(),
      faults: [
        {
          service: 'arm',
          pathPattern: '/permissions$',
          kind: 'status',
          status: 400,
          body: { error: { code: 'InvalidApiVersionParameter', message: "The api-version '2022-05-01-preview' is invalid." } },
        },
      ],
    },
    exitCode: 1,
    shows: () => ['HTTP 400', 'InvalidApiVersionParameter', '`resource-manager-endpoint`'],
  },
  { code: 'invalid-input', scenario: granted(), inputs: () => ({ 'wait-timeout': 'forever' }), exitCode: 1, shows: () => ['`wait-timeout`', 'forever'] },
];

const reached = new Set<DiagnosisCode>();

/** Where the cases below fail, for the rows whose link is wherever the failing answer came from. */
const STAGE: Partial<Record<DiagnosisCode, ChainLink>> = { 'token-rejected': 'model', throttled: 'data-actions', 'service-unavailable': 'data-actions', 'request-refused': 'data-actions' };

/** The summary's first picture, parsed by Mermaid: the title of the link that carries the row's code, if any. */
async function brokenLink(summary: string, code: DiagnosisCode): Promise<string | undefined> {
  const [block] = mermaidBlocks(summary);
  if (block === undefined) throw new Error('the summary draws no access chain');
  const chart = await parseFlowchart(block);
  const marked = chart.vertices.filter((v) => v.lines.some((line) => line.startsWith(`${code}: `)));
  if (marked.length > 1) throw new Error(`${marked.length} links carry ${code}`);
  return marked[0]?.lines[0]?.replace(/^\S+ /, '').split(' (')[0];
}

describe('every row of the troubleshooting table', () => {
  it.each(CASES.map((c) => [c.code, c] as const))('%s', async (code, c) => {
    const emulator = await startEmulator(c.scenario);
    try {
      const run = await runAction({ ...emulator.actionInputs(), 'wait-timeout': '0', ...c.inputs?.(emulator) }, { env: { ...emulator.runnerEnv(), ...c.env } });
      expect(run.outputs.diagnosis, run.stdout).toBe(code);
      expect(run.exitCode).toBe(c.exitCode);
      expect(run.outputs.granted).toBe(code === 'ok' ? 'true' : 'false');
      for (const fact of c.shows(emulator)) expect(run.summary, run.summary).toContain(fact);
      if (code !== 'ok') expect(run.stdout).toMatch(new RegExp(`^::error title=${code}%3A `, 'm'));
      const cause = CAUSES[code];
      const link = cause === null ? undefined : cause.link === 'stage' ? STAGE[code] : cause.link;
      expect(await brokenLink(run.summary, code)).toBe(link && LINK_TITLES[link]);
      reached.add(code);
    } finally {
      await emulator.close();
    }
  });

  afterAll(() => {
    // Checked after the cases ran, so a row whose case failed shows as missing too.
    const missing = TABLE.map((row) => row.code).filter((code) => !reached.has(code));
    if (missing.length > 0) throw new Error(`rows not reached end to end: ${missing.join(', ')}`);
  });
});
