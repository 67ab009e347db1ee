import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAccountSettings } from '../../src/evidence/arm.js';
import { provisioning, readiness, readinessLines, readinessNotes, type AccountSettings } from '../../src/decide/readiness.js';

/** A recorded or spec-built account answer from __tests__/fixtures/arm, with its source. */
function fixture(name: string): { source: string; body: unknown } {
  return JSON.parse(readFileSync(new URL(`../fixtures/arm/${name}.json`, import.meta.url), 'utf8')) as { source: string; body: unknown };
}

function settingsOf(name: string): AccountSettings {
  const parsed = parseAccountSettings(fixture(name).body);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

describe('account settings from the REST spec shapes', () => {
  it('every fixture names its source', () => {
    for (const name of ['account-regional-only', 'account-private-only', 'account-selected-networks']) expect(fixture(name).source).toMatch(/azure-rest-api-specs/);
  });

  it('the spec GetAccount example has no custom subdomain, and says nothing of keys', () => {
    const r = readiness({ kind: 'read', settings: settingsOf('account-regional-only') });
    expect(r).toEqual({ kind: 'known', provisioning: { kind: 'succeeded' }, customSubDomain: undefined, network: { kind: 'open' }, keylessEnforced: false });
    expect(readinessNotes(r)).toEqual(['keys-enabled']);
  });

  it('public network access disabled is private-only, whatever networkAcls says', () => {
    const r = readiness({ kind: 'read', settings: settingsOf('account-private-only') });
    expect(r).toEqual({ kind: 'known', provisioning: { kind: 'succeeded' }, customSubDomain: 'myaccount', network: { kind: 'private-only' }, keylessEnforced: true });
    expect(readinessNotes(r)).toEqual([]);
  });

  it('defaultAction Deny is selected networks, with its rules', () => {
    const r = readiness({ kind: 'read', settings: settingsOf('account-selected-networks') });
    expect(r).toMatchObject({ network: { kind: 'selected-networks', ipRules: ['124.56.78.0/24'], virtualNetworkRules: 1 }, keylessEnforced: false });
    expect(readinessLines(r)).toEqual([
      '✓ custom subdomain myaccount',
      '✗ selected networks only (1 IP rule, 1 virtual network rule)',
      '! keys still enabled: keyless not enforced',
    ]);
  });

  it('reads enum values case-insensitively and a blank subdomain as none', () => {
    const base = { ipRules: [], virtualNetworkRules: 0 };
    expect(readiness({ kind: 'read', settings: { ...base, publicNetworkAccess: 'disabled' } })).toMatchObject({ network: { kind: 'private-only' } });
    expect(readiness({ kind: 'read', settings: { ...base, networkDefaultAction: 'DENY' } })).toMatchObject({ network: { kind: 'selected-networks' } });
    expect(readiness({ kind: 'read', settings: { ...base, networkDefaultAction: 'Allow', customSubDomainName: ' ' } })).toMatchObject({ customSubDomain: undefined, network: { kind: 'open' } });
  });

  it('claims nothing when the account could not be read', () => {
    const r = readiness({ kind: 'unreadable', reason: 'HTTP 403 AuthorizationFailed' });
    expect(r).toEqual({ kind: 'unknown', reason: 'HTTP 403 AuthorizationFailed' });
    expect(readinessNotes(r)).toEqual([]);
    expect(readinessLines(r)).toEqual(['account not readable (HTTP 403 AuthorizationFailed)']);
  });
});

describe('parseAccountSettings', () => {
  it.each([
    [null, 'not a JSON object'],
    [{}, 'no "properties"'],
    [{ properties: { customSubDomainName: 5 } }, '"customSubDomainName"'],
    [{ properties: { customSubDomainName: 'x'.repeat(300) } }, '"customSubDomainName"'],
    [{ properties: { publicNetworkAccess: false } }, '"publicNetworkAccess"'],
    [{ properties: { disableLocalAuth: 'true' } }, '"disableLocalAuth"'],
    [{ properties: { networkAcls: 'Deny' } }, '"networkAcls"'],
    [{ properties: { networkAcls: { defaultAction: ['Deny'] } } }, 'defaultAction'],
    [{ properties: { networkAcls: { defaultAction: 'Deny', ipRules: [{}] } } }, 'IP rule'],
    [{ properties: { networkAcls: { defaultAction: 'Deny', ipRules: {} } } }, 'ipRules'],
    [{ properties: { networkAcls: { defaultAction: 'Deny', virtualNetworkRules: 1 } } }, 'virtualNetworkRules'],
    [{ properties: { provisioningState: 3 } }, '"provisioningState"'],
    [{ properties: { provisioningState: { value: 'Succeeded' } } }, '"provisioningState"'],
    [{ properties: { provisioningState: 'Succeeded'.repeat(30) } }, '"provisioningState"'],
  ])('rejects %j whole, so a damaged answer never reads as an open account', (body, reason) => {
    const parsed = parseAccountSettings(body);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(reason);
  });
});

describe('the provisioning state', () => {
  // The enum of AccountProperties.provisioningState in the Cognitive Services REST spec (stable 2024-10-01).
  const SPEC = ['Accepted', 'Creating', 'Deleting', 'Moving', 'Failed', 'Succeeded', 'ResolvingDNS'];

  it.each(SPEC.flatMap((state) => [state, state.toLowerCase(), state.toUpperCase(), ` ${state} `]))('%j is classified, in the spec spelling', (written) => {
    const state = SPEC.find((s) => s.toLowerCase() === written.trim().toLowerCase());
    const p = provisioning(written);
    if (state === 'Succeeded') expect(p).toEqual({ kind: 'succeeded' });
    else if (state === 'Failed' || state === 'Deleting') expect(p).toEqual({ kind: 'ended', state });
    else expect(p).toEqual({ kind: 'in-progress', state, known: true });
  });

  it('every listed state but Succeeded is not ready, and only Failed and Deleting are final', () => {
    const kinds = Object.fromEntries(SPEC.map((s) => [s, provisioning(s).kind]));
    expect(kinds).toEqual({ Accepted: 'in-progress', Creating: 'in-progress', Deleting: 'ended', Moving: 'in-progress', Failed: 'ended', Succeeded: 'succeeded', ResolvingDNS: 'in-progress' });
  });

  it('no state at all (older answers, spec examples that leave it out) counts as provisioned', () => {
    expect(provisioning(undefined)).toEqual({ kind: 'succeeded' });
    expect(provisioning('  ')).toEqual({ kind: 'succeeded' });
  });

  it('a state the spec does not list is not ready, and is shown only as plain, short text', () => {
    expect(provisioning('Canceled')).toEqual({ kind: 'in-progress', state: 'Canceled', known: false });
    const hostile = provisioning('Creating`\n::error::pwned <img src=x> [x](https://evil.example)');
    expect(hostile.kind).toBe('in-progress');
    const shown = hostile.kind === 'in-progress' ? hostile.state : '';
    expect(shown).toMatch(/^[A-Za-z0-9 ._?-]{1,40}$/);
    expect(shown).not.toContain('::');
    expect(provisioning('Succeeded\u0000')).toMatchObject({ kind: 'in-progress', known: false });
  });

  it('leads the readiness lines when the account is not provisioned, and adds none when it is', () => {
    const base = { customSubDomainName: 'a', ipRules: [], virtualNetworkRules: 0, disableLocalAuth: true };
    const lines = (provisioningState?: string) => readinessLines(readiness({ kind: 'read', settings: { ...base, provisioningState } }));
    expect(lines('Succeeded')).toEqual(lines(undefined));
    expect(lines('Succeeded')[0]).toBe('✓ custom subdomain a');
    expect(lines('Creating')[0]).toBe('✗ provisioning state Creating: not serving calls yet');
    expect(lines('Failed')[0]).toBe('✗ provisioning state Failed: not serving calls');
    expect(lines('Upgrading')[0]).toBe('✗ provisioning state Upgrading (not a state the REST spec lists): not serving calls yet');
  });

  it('parseAccountSettings keeps a short state as written; the decision does the rest', () => {
    const parsed = parseAccountSettings({ properties: { provisioningState: 'ResolvingDNS', customSubDomainName: 'a' } });
    expect(parsed).toMatchObject({ provisioningState: 'ResolvingDNS', customSubDomainName: 'a' });
    expect(parseAccountSettings({ properties: { provisioningState: null } })).toMatchObject({ provisioningState: undefined });
  });
});
