import { describe, expect, it } from 'vitest';
import { age, buildChain, CAUSES, displayText, groupChains, shortScope, type Chain, type ChainInput } from '../../src/decide/chain.js';
import { TABLE } from '../../src/decide/diagnosis.js';
import { decideResource } from '../../src/decide/verdict.js';
import type { RunReport } from '../../src/report/run-report.js';
import {
  account,
  assignment,
  CHECKED_AT,
  checked,
  COGNITIVE_SERVICES_USER,
  FIXTURES,
  FRESH,
  GROUP,
  GROUP_SCOPE,
  MAAS,
  PRESENTED,
  PRINCIPAL,
  readAssignments,
  readPermissions,
  RESOURCE,
  SUBSCRIPTION,
} from '../support/chain-fixtures.js';

/** The chain of a one-resource report (or of a run that stopped before any resource). */
function chainOf(report: RunReport): Chain {
  const verdict = report.resources[0];
  const input: ChainInput = {
    diagnosis: verdict?.diagnosis ?? report.diagnosis,
    facts: { ...report.facts, ...verdict?.facts },
    presented: report.presented,
    principalId: report.principalId,
    verdict,
    checkedAtMs: report.checkedAtMs,
  };
  return buildChain(input);
}

describe('CAUSES', () => {
  it('places every row of the table, and leaves only granted rows without a broken link', () => {
    for (const row of TABLE) {
      expect(CAUSES, row.code).toHaveProperty([row.code]);
      expect(CAUSES[row.code] === null, row.code).toBe(row.outcome === 'granted');
    }
  });
});

describe('buildChain, for every row of the table', () => {
  it.each(TABLE.map((row) => [row.code, row] as const))('%s', (code) => {
    const fixture = FIXTURES[code];
    const chain = chainOf(fixture.report);
    expect(chain.diagnosis).toBe(code);
    const marked = chain.nodes.filter((n) => n.code !== undefined);
    if (fixture.link === null) {
      expect(marked).toEqual([]);
      expect(chain.notReached).toEqual([]);
      expect(chain.nodes.every((n) => n.state === 'proven' || n.state === 'unknown')).toBe(true);
      return;
    }
    // Exactly one link carries the code, it is the last one reached, and it is the row's cause.
    expect(marked.map((n) => n.link)).toEqual([fixture.link]);
    expect(chain.nodes.at(-1)?.link).toBe(fixture.link);
    expect(marked[0]?.state).toBe(CAUSES[code]?.state);
    // The links before it hold or are unknown; none of them is broken.
    expect(chain.nodes.slice(0, -1).every((n) => n.state === 'proven' || n.state === 'unknown')).toBe(true);
  });
});

describe('buildChain states', () => {
  it('proves every link of a grant through a group, the group included', () => {
    const chain = chainOf(FIXTURES.ok.report);
    expect(chain.nodes.map((n) => [n.link, n.state])).toEqual([
      ['run', 'proven'],
      ['subject', 'proven'],
      ['federation', 'proven'],
      ['identity', 'proven'],
      ['group', 'proven'],
      ['assignment', 'proven'],
      ['data-actions', 'proven'],
      ['resource', 'proven'],
      ['model', 'proven'],
    ]);
    expect(chain.nodes.find((n) => n.link === 'group')?.details).toEqual([`group ${GROUP}`]);
    expect(chain.nodes.find((n) => n.link === 'assignment')?.details).toEqual(['Cognitive Services User at resource group rg-foundry']);
    expect(chain.nodes.find((n) => n.link === 'subject')?.details).toEqual([`subject ${PRESENTED.subject}`, `audience ${PRESENTED.audience}`]);
  });

  it('draws no group for a direct grant, and leaves an uncalled model unknown', () => {
    const chain = chainOf(checked(readPermissions(...COGNITIVE_SERVICES_USER), readAssignments(assignment({}))));
    expect(chain.nodes.map((n) => n.link)).not.toContain('group');
    expect(chain.nodes.find((n) => n.link === 'assignment')).toMatchObject({ state: 'proven', details: ['Cognitive Services User at this resource'] });
    expect(chain.nodes.find((n) => n.link === 'model')).toMatchObject({ state: 'unknown', details: ['not called (no model input)'] });
    expect(chain.nodes.find((n) => n.link === 'resource')).toMatchObject({ state: 'unknown', details: ['account contoso-foundry', 'readiness not checked'] });
  });

  it('shows an assignment still on its way with its age', () => {
    const chain = chainOf(FIXTURES['propagation-timeout'].report);
    expect(chain.nodes.at(-1)).toMatchObject({ link: 'assignment', state: 'propagating', details: ['Cognitive Services User at this resource', 'assigned 3 min ago'] });
    expect(chain.notReached).toEqual(['data-actions', 'resource', 'model']);
  });

  it('says an assignment grants even when which one cannot be read', () => {
    const report = checked(readPermissions(...COGNITIVE_SERVICES_USER), { kind: 'unreadable', reason: 'HTTP 403' });
    expect(chainOf(report).nodes.find((n) => n.link === 'assignment')).toMatchObject({ state: 'proven', details: ['one grants access; which is not readable'] });
  });

  it('names what is missing on the broken data-actions link', () => {
    const chain = chainOf(FIXTURES['control-plane-role-only'].report);
    expect(chain.nodes.find((n) => n.link === 'assignment')).toMatchObject({ state: 'proven', details: ['Contributor at resource group rg-foundry'] });
    expect(chain.nodes.at(-1)).toMatchObject({ link: 'data-actions', state: 'broken', details: [`lacks ${MAAS}`] });
  });

  it('says on a broken resource what the service said about it', () => {
    const message = "The Resource 'Microsoft.CognitiveServices/accounts/contoso-foundry' under resource group 'rg-foundry' was not found.";
    const chain = chainOf(checked({ kind: 'refused', status: 404, code: 'ResourceNotFound', message }));
    expect(chain.nodes.at(-1)).toMatchObject({ link: 'resource', state: 'broken', details: ['account contoso-foundry', displayText(message)] });
    expect(chain.nodes.find((n) => n.link === 'data-actions')).toMatchObject({ state: 'unknown', details: ['not readable: HTTP 404 ResourceNotFound'] });
  });

  it('puts a fault that can strike anywhere on the link whose answer failed', () => {
    const probe503 = checked(readPermissions(...COGNITIVE_SERVICES_USER), undefined, { kind: 'answered', status: 503, endpoint: 'https://x.services.ai.azure.com/', chatCompletion: false });
    expect(probe503.diagnosis).toBe('service-unavailable');
    expect(chainOf(probe503).nodes.at(-1)).toMatchObject({ link: 'model', state: 'unknown', code: 'service-unavailable' });

    const arm503 = checked({ kind: 'refused', status: 503 });
    expect(chainOf(arm503).nodes.at(-1)).toMatchObject({ link: 'data-actions', state: 'unknown', code: 'service-unavailable' });

    const armToken = checked({ kind: 'refused', status: 401, code: 'InvalidAuthenticationToken' });
    expect(chainOf(armToken).nodes.at(-1)).toMatchObject({ link: 'data-actions', state: 'broken', code: 'token-rejected' });

    const signIn = buildChain({ diagnosis: 'service-unavailable', facts: {}, presented: PRESENTED });
    expect(signIn.nodes.at(-1)).toMatchObject({ link: 'federation', state: 'unknown' });
  });

  it('starts at the identity when the run signs in without GitHub OIDC (the CLI)', () => {
    const chain = buildChain({ diagnosis: 'ok', facts: { principalType: 'User' }, principalId: PRINCIPAL, verdict: decideResource({ resourceId: RESOURCE, required: [MAAS], permissions: readPermissions(...COGNITIVE_SERVICES_USER) }) });
    expect(chain.nodes[0]).toMatchObject({ link: 'identity', state: 'proven', details: [`user ${PRINCIPAL}`] });
  });
});

describe('the resource link from the account\'s settings', () => {
  const settings = (name: string) => ({ kind: 'read' as const, settings: { customSubDomainName: name, ipRules: [], virtualNetworkRules: 0, disableLocalAuth: true } });

  it('is proven by a custom subdomain and open network, and fifty such resources share one picture', () => {
    const ids = Array.from({ length: 50 }, (_, i) => account(`acct-${i}`));
    const verdicts = ids.map((resourceId, i) =>
      decideResource({ resourceId, required: [MAAS], permissions: readPermissions(...COGNITIVE_SERVICES_USER), facts: { principalId: PRINCIPAL }, account: settings(`acct-${i}`) }),
    );
    const chains = verdicts.map((verdict) => buildChain({ diagnosis: verdict.diagnosis, facts: verdict.facts, verdict, principalId: PRINCIPAL, presented: PRESENTED }));
    expect(chains[3]?.nodes.find((n) => n.link === 'resource')).toMatchObject({ state: 'proven' });
    expect(chains[3]?.nodes.find((n) => n.link === 'resource')?.details).toContain('✓ custom subdomain acct-3');
    expect(groupChains(verdicts, (v) => chains[verdicts.indexOf(v)] as Chain)).toHaveLength(1);
  });
});

describe('displayText', () => {
  it('keeps service text on one line, without control or bidi characters, and clips it', () => {
    expect(displayText('a\nb\r\n\x1b[31mc\u202ed\u0000')).toBe('a b [31mc d');
    expect([...displayText('x'.repeat(500))]).toHaveLength(100);
    expect(displayText('x'.repeat(500)).endsWith('…')).toBe(true);
  });
});

describe('shortScope', () => {
  it('says scopes as people do', () => {
    expect(shortScope(RESOURCE, RESOURCE)).toBe('this resource');
    expect(shortScope(GROUP_SCOPE, RESOURCE)).toBe('resource group rg-foundry');
    expect(shortScope(SUBSCRIPTION, RESOURCE)).toBe('subscription 8c1d5e2f-7a3b-4c9d-8e6f-2a1b3c4d5e6f');
    expect(shortScope('/providers/Microsoft.Management/managementGroups/platform', RESOURCE)).toBe('management group platform');
    expect(shortScope(`${account('other')}/projects/p1`, RESOURCE)).toBe('project other/p1');
    expect(shortScope('/', RESOURCE)).toBe('the root scope');
  });

  it('tells ages in their largest whole unit', () => {
    expect([age(5_000), age(3 * 60_000 + 59_000), age(2 * 3_600_000), age(3 * 86_400_000)]).toEqual(['5 s', '3 min', '2 h', '3 d']);
  });
});

describe('groupChains', () => {
  it('gives fifty resources with the same story one chain, and a different story its own', () => {
    const ids = Array.from({ length: 50 }, (_, i) => account(`acct-${i}`));
    const verdicts = ids.map((resourceId, i) =>
      decideResource({ resourceId, required: [MAAS], permissions: i === 7 ? readPermissions() : readPermissions(...COGNITIVE_SERVICES_USER), facts: { principalId: PRINCIPAL }, assignments: readAssignments(assignment({ scope: resourceId, createdOn: FRESH })) }),
    );
    const groups = groupChains(verdicts, (verdict) => buildChain({ diagnosis: verdict.diagnosis, facts: verdict.facts, verdict, principalId: PRINCIPAL, presented: PRESENTED, checkedAtMs: CHECKED_AT }));
    expect(groups.map((g) => [g.chain.diagnosis, g.members.length])).toEqual([
      ['ok', 49],
      ['role-missing', 1],
    ]);
  });
});
