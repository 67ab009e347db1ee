import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { federatedCredentialName, plainText, render, rowFor, TABLE, type DiagnosisCode, type Facts } from '../../src/decide/diagnosis.js';
import { troubleshootingMarkdown } from '../../src/report/troubleshooting-doc.js';
import { corpusExamples } from '../../emulator/corpus.js';

// A Record over the union: adding a code without listing it here fails to compile.
const REQUIRED: Record<DiagnosisCode, true> = {
  ok: true, 'role-missing': true, 'control-plane-role-only': true, 'openai-role-only': true, 'partial-data-actions': true,
  'conditional-grant': true, 'deny-assignment': true,
  'propagation-timeout': true, 'data-plane-denied': true, 'model-not-found': true, 'deployment-not-served': true, 'endpoint-unknown': true, 'token-rejected': true, 'id-token-unavailable': true, 'federated-credential-mismatch': true,
  'app-not-found': true, 'tenant-not-found': true, 'assertion-expired': true, 'entra-error': true, 'resource-not-found': true,
  'cannot-verify': true, throttled: true, 'service-unavailable': true, 'request-refused': true, 'invalid-input': true,
  'service-principal-missing': true, 'network-blocked': true, 'custom-subdomain-missing': true, 'account-not-ready': true, 'not-signed-in': true,
};

const FACTS: Facts = {
  clientId: '11111111-2222-3333-4444-555555555555',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  principalId: '99999999-8888-7777-6666-555555555555',
  resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a',
  requiredDataActions: ['Microsoft.CognitiveServices/accounts/MaaS/*'],
  missingDataActions: ['Microsoft.CognitiveServices/accounts/MaaS/*'],
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'repo:contoso/app:pull_request',
  audience: 'api://AzureADTokenExchange',
  entraCode: '700213',
  traceId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
};

describe('the troubleshooting table', () => {
  it('has exactly one row per code', () => {
    expect(TABLE.map((r) => r.code).sort()).toEqual(Object.keys(REQUIRED).sort());
  });

  it('marks only ok as granted', () => {
    expect(TABLE.filter((r) => r.outcome === 'granted').map((r) => r.code)).toEqual(['ok']);
  });

  it.each(TABLE.map((r) => r.code))('renders %s with placeholders when facts are missing, never "undefined"', (code) => {
    const text = plainText(render({ code, facts: {} }));
    expect(text).not.toMatch(/undefined|null|NaN|\[object/);
    expect(text.length).toBeGreaterThan(20);
  });

  it('fills the role-assignment command with the real IDs', () => {
    const fix = render({ code: 'role-missing', facts: FACTS }).fix.map((s) => s.command ?? '').join('\n');
    expect(fix).toContain(
      `az role assignment create --assignee-object-id ${FACTS.principalId} --assignee-principal-type ServicePrincipal --role a97b65f3-24c7-4388-baec-2e87135dc908 --scope ${FACTS.resourceId}  # Cognitive Services User`,
    );
  });

  it('assigns Reader by its role definition ID too, its name beside it', () => {
    const command = render({ code: 'cannot-verify', facts: FACTS }).fix[0]?.command ?? '';
    expect(command).toContain('--role acdd72a7-3385-48ef-bd42-f606fba81ae7 ');
    expect(command).toMatch(/# Reader$/);
  });

  it('gives the managed-identity form of the federated credential beside the app-registration one, with the same name', () => {
    const [app, identity] = render({ code: 'federated-credential-mismatch', facts: FACTS }).fix.map((s) => s.command ?? '');
    const name = federatedCredentialName(FACTS.subject);
    expect(JSON.parse(/'(.*)'$/.exec(app ?? '')?.[1] ?? '{}')).toMatchObject({ name });
    expect(identity).toBe(
      `az identity federated-credential create --name ${name} --identity-name <identity-name> --resource-group <identity-resource-group> ` +
        `--issuer '${FACTS.issuer}' --subject '${FACTS.subject}' --audiences '${FACTS.audience}'`,
    );
  });

  it('keeps a quote in the subject inside its shell word', () => {
    const subject = "repo:contoso/app:ref:refs/heads/it's";
    const [app, identity] = render({ code: 'federated-credential-mismatch', facts: { ...FACTS, subject } }).fix.map((s) => s.command ?? '');
    expect(identity).toContain(`--subject 'repo:contoso/app:ref:refs/heads/it'\\''s' `);
    expect(app).toContain(`"subject":"repo:contoso/app:ref:refs/heads/it'\\''s"`);
  });

  it('shows the presented subject and the federated credential to create', () => {
    const rendered = render({ code: 'federated-credential-mismatch', facts: FACTS });
    expect(rendered.cause).toContain('repo:contoso/app:pull_request');
    expect(rendered.cause).toContain('AADSTS700213');
    expect(rendered.cause).toContain(FACTS.traceId);
    const command = rendered.fix[0]?.command ?? '';
    expect(command).toContain(`--id ${FACTS.clientId}`);
    expect(JSON.parse(/'(.*)'$/.exec(command)?.[1] ?? '{}')).toMatchObject({
      issuer: FACTS.issuer,
      subject: FACTS.subject,
      audiences: [FACTS.audience],
    });
  });

  it('never suggests pull_request_target for forks', () => {
    const text = plainText(render({ code: 'id-token-unavailable', facts: { eventName: 'pull_request' } }));
    expect(text).toContain('id-token: write');
    expect(text).toContain('forks');
    expect(text).toMatch(/never check out untrusted code under `pull_request_target`/);
  });

  it('lets only time-curable rows be retried', () => {
    const by = (retry: string): string[] => TABLE.filter((r) => r.retry === retry).map((r) => r.code).sort();
    expect(by('transient')).toEqual(['account-not-ready', 'deployment-not-served', 'service-unavailable', 'throttled']);
    expect(by('propagation')).toEqual(['control-plane-role-only', 'data-plane-denied', 'openai-role-only', 'partial-data-actions', 'role-missing']);
    expect(rowFor('federated-credential-mismatch').retry).toBe('never');
    expect(rowFor('invalid-input').retry).toBe('never');
  });

  describe('account-not-ready, by provisioning state', () => {
    const ACCOUNT = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a';
    const notReady = (provisioningState: string | undefined, extra: Facts = {}) =>
      render({ code: 'account-not-ready', facts: { ...FACTS, resourceId: `${ACCOUNT}/projects/p`, provisioningState, waitTimeoutSeconds: 120, ...extra } });
    const commands = (r: ReturnType<typeof render>): string[] => r.fix.flatMap((s) => (s.command ? [s.command] : []));

    it('shows the state of the account (a project\'s parent) with the command that reads it', () => {
      for (const state of ['Creating', 'Failed', 'Deleting']) {
        expect(commands(notReady(state))[0]).toBe(`az cognitiveservices account show --ids ${ACCOUNT} --query properties.provisioningState -o tsv`);
      }
    });

    it('a transitional state: still provisioning after the wait, how to wait for it in the pipeline', () => {
      const r = notReady('ResolvingDNS');
      expect(r.cause).toContain(`${ACCOUNT} was still provisioning (state \`ResolvingDNS\`) when the check ended, after waiting up to 120 seconds`);
      expect(commands(r)).toContain(`az resource wait --ids ${ACCOUNT} --custom "properties.provisioningState=='Succeeded'"`);
      expect(r.fix.map((s) => s.text).join(' ')).toContain('`wait-timeout`');
    });

    it('Failed: the activity log, then re-apply or recreate, with the purge a soft-deleted name needs', () => {
      const r = notReady('Failed');
      expect(r.cause).toContain('`Failed`: its last create or update did not complete');
      expect(commands(r)).toContain(`az monitor activity-log list --resource-id ${ACCOUNT} --status Failed --offset 7d -o table`);
      expect(commands(r)).toContain(`az cognitiveservices account delete --ids ${ACCOUNT}\naz cognitiveservices account purge --name a --resource-group rg --location <location>`);
    });

    it('Deleting: recover the soft-deleted account, or check another', () => {
      const r = notReady('Deleting');
      expect(r.cause).toContain('is being deleted');
      expect(commands(r)).toContain('az cognitiveservices account recover --name a --resource-group rg --location <location>');
    });

    it('Deleted: being deleted, recover it; Canceled and Disabled: not provisioning, the activity log, then apply it again', () => {
      expect(notReady('Deleted').cause).toContain('is being deleted (provisioning state `Deleted`)');
      expect(commands(notReady('Deleted'))).toContain('az cognitiveservices account recover --name a --resource-group rg --location <location>');
      expect(notReady('Canceled').cause).toContain('`Canceled`: its last create or update was canceled');
      expect(notReady('Disabled').cause).toContain('`Disabled`, so it does not serve calls until it is enabled again');
      for (const state of ['Canceled', 'Disabled']) {
        expect(notReady(state).cause).not.toContain('still provisioning');
        expect(commands(notReady(state))).toContain(`az monitor activity-log list --resource-id ${ACCOUNT} --offset 7d -o table`);
      }
    });

    it('waiting on a Failed account changed just now says why; on the others, that it is still provisioning', () => {
      const row = TABLE.find((r) => r.code === 'account-not-ready');
      expect(row?.waiting?.({ provisioningState: 'Failed' })).toContain('changed just now, is in state Failed');
      expect(row?.waiting?.({ provisioningState: 'blank' })).toBe('the account is still provisioning, state blank');
    });

    it('says the roles are fine only when the permissions read showed every required action granted', () => {
      expect(notReady('Creating', { missingDataActions: [] }).cause).toContain(`The roles are not the problem: ${FACTS.principalId} holds \`Microsoft.CognitiveServices/accounts/MaaS/*\``);
      expect(notReady('Creating').cause).not.toContain('roles are not the problem');
      expect(notReady('Creating', { missingDataActions: undefined }).cause).not.toContain('roles are not the problem');
    });
  });

  it('is what docs/troubleshooting.md says (run npm run docs when this fails)', () => {
    const committed = readFileSync(new URL('../../docs/troubleshooting.md', import.meta.url), 'utf8');
    expect(committed).toBe(troubleshootingMarkdown(corpusExamples()));
  });
});

describe('federatedCredentialName', () => {
  const SUBJECTS = [
    'repo:contoso/app:ref:refs/heads/main',
    'repo:contoso/app:pull_request',
    'repo:contoso/app:environment:production',
    'repo:contoso@1234/app@5678:ref:refs/tags/v1.0.0',
    'repo:a-b/c:pull_request',
    'repo:a/b-c:pull_request',
    `repo:contoso/app:ref:refs/heads/${'very-long-branch-'.repeat(20)}`,
    'repo:contoso/app:environment:prod:job_workflow_ref:contoso/app/.github/workflows/deploy.yml@refs/heads/main',
  ];

  it("keeps within Entra's rules for a name", () => {
    for (const subject of SUBJECTS) expect(federatedCredentialName(subject), subject).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
  });

  it('is readable and stable', () => {
    expect(federatedCredentialName('repo:contoso/app:ref:refs/heads/main')).toMatch(/^github-contoso-app-ref-refs-heads-main-[0-9a-f]{8}$/);
    expect(federatedCredentialName(SUBJECTS[0])).toBe(federatedCredentialName(SUBJECTS[0]));
  });

  it('differs for every subject, even those that read the same once punctuation is gone', () => {
    expect(new Set(SUBJECTS.map(federatedCredentialName)).size).toBe(SUBJECTS.length);
  });

  it('is a placeholder without a subject', () => {
    expect(federatedCredentialName(undefined)).toBe('github-<subject>');
  });
});
