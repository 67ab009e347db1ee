import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAccountSettings } from '../../src/evidence/arm.js';
import { provisioning, readiness, readinessLines, readinessNotes, type AccountSettings } from '../../src/decide/readiness.js';
import { RECENT_CHANGE_WINDOW_MS } from '../../src/decide/provisioning.js';

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
  ])('rejects %j whole, so a damaged answer never reads as an open account', (body, reason) => {
    const parsed = parseAccountSettings(body);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(reason);
  });

  it.each([
    [7, 'a number'],
    [true, 'a boolean'],
    [{ value: 'Succeeded' }, 'an object'],
    [['Succeeded'], 'a list'],
    ['Succeeded'.repeat(30), 'a string of more than 256 characters'],
  ])('keeps a provisioningState of %j as what it was, with the other settings, and it is not ready', (state, what) => {
    const body = { properties: { provisioningState: state, customSubDomainName: 'a', publicNetworkAccess: 'Disabled' } };
    const parsed = parseAccountSettings(body);
    expect(parsed).toMatchObject({ provisioningState: { malformed: what }, customSubDomainName: 'a', publicNetworkAccess: 'Disabled' });
    const r = readiness({ kind: 'read', settings: parsed as AccountSettings });
    expect(r).toMatchObject({ kind: 'known', provisioning: { kind: 'in-progress', state: `not a state (${what})`, known: false }, network: { kind: 'private-only' } });
  });

  it('reads when the account last changed from systemData: the later of createdAt and lastModifiedAt', () => {
    const at = (systemData: unknown) => (parseAccountSettings({ properties: {}, systemData }) as AccountSettings).changedAt;
    expect(at({ createdAt: '2022-08-23T08:32:36.2427037Z', lastModifiedAt: '2022-08-24T08:00:00Z' })).toBe('2022-08-24T08:00:00Z');
    expect(at({ createdAt: '2022-08-25T08:00:00Z', lastModifiedAt: '2022-08-24T08:00:00Z' })).toBe('2022-08-25T08:00:00Z');
    // Times it cannot read leave the age unknown, and never cost the settings.
    for (const odd of [undefined, null, 'x', { createdAt: 7, lastModifiedAt: 'not a time' }, { lastModifiedAt: `2022-08-24T08:00:00Z${' '.repeat(300)}` }]) expect(at(odd)).toBeUndefined();
  });
});

describe('the provisioning state of an account', () => {
  // The enum of AccountProperties.provisioningState in the Cognitive Services REST spec (stable 2024-10-01), and the
  // states ARM's resource-provider contract adds.
  const SPEC = ['Accepted', 'Creating', 'Deleting', 'Moving', 'Failed', 'Succeeded', 'ResolvingDNS'];
  const ARM = ['Updating', 'Canceled', 'Deleted', 'Disabled'];

  it.each([...SPEC, ...ARM].flatMap((state) => [state, state.toLowerCase(), state.toUpperCase(), ` ${state} `]))('%j is classified, in the spec spelling', (written) => {
    const state = [...SPEC, ...ARM].find((s) => s.toLowerCase() === written.trim().toLowerCase());
    const p = provisioning(written);
    if (state === 'Succeeded') expect(p).toEqual({ kind: 'succeeded' });
    else if (['Failed', 'Canceled', 'Deleting', 'Deleted', 'Disabled'].includes(state ?? '')) expect(p).toEqual({ kind: 'ended', state, settling: false });
    else expect(p).toEqual({ kind: 'in-progress', state, known: true });
  });

  it('every listed state but Succeeded is not ready; Failed, Canceled, Deleting, Deleted and Disabled are final', () => {
    const kinds = Object.fromEntries([...SPEC, ...ARM].map((s) => [s, provisioning(s).kind]));
    expect(kinds).toEqual({
      Accepted: 'in-progress', Creating: 'in-progress', Deleting: 'ended', Moving: 'in-progress', Failed: 'ended', Succeeded: 'succeeded', ResolvingDNS: 'in-progress',
      Updating: 'in-progress', Canceled: 'ended', Deleted: 'ended', Disabled: 'ended',
    });
  });

  it('only no state at all (absent or null on older answers) counts as provisioned; a blank one is not ready, shown as blank', () => {
    expect(provisioning(undefined)).toEqual({ kind: 'succeeded' });
    expect(parseAccountSettings({ properties: { provisioningState: null } })).toMatchObject({ provisioningState: undefined });
    for (const blank of ['', '   ', '\t']) expect(provisioning(blank)).toEqual({ kind: 'in-progress', state: 'blank', known: false });
  });

  it('Failed on an account changed within the recent window is settling (waited for); older or of unknown age it is not', () => {
    expect(provisioning('Failed', 60_000)).toEqual({ kind: 'ended', state: 'Failed', settling: true });
    expect(provisioning('Failed', RECENT_CHANGE_WINDOW_MS)).toMatchObject({ settling: true });
    expect(provisioning('Failed', RECENT_CHANGE_WINDOW_MS + 1)).toMatchObject({ settling: false });
    expect(provisioning('Failed', undefined)).toMatchObject({ settling: false });
    // Only Failed: the recording shows a create ending Failed, then Succeeded; nothing like it for the others.
    for (const state of ['Canceled', 'Deleting', 'Deleted', 'Disabled']) expect(provisioning(state, 60_000)).toMatchObject({ kind: 'ended', settling: false });
  });

  it('readiness ages the change from systemData against when the account was read', () => {
    const settings = { provisioningState: 'Failed', changedAt: '2026-01-01T12:00:00Z', ipRules: [], virtualNetworkRules: 0 };
    const read = (readAtMs?: number) => readiness({ kind: 'read', settings, ...(readAtMs !== undefined ? { readAtMs } : {}) });
    expect(read(Date.parse('2026-01-01T12:05:00Z'))).toMatchObject({ provisioning: { kind: 'ended', settling: true } });
    expect(read(Date.parse('2026-01-01T13:00:00Z'))).toMatchObject({ provisioning: { kind: 'ended', settling: false } });
    expect(read(undefined)).toMatchObject({ provisioning: { kind: 'ended', settling: false } });
  });

  it('a state the spec does not list is not ready, and is shown only as plain, short text', () => {
    expect(provisioning('Upgrading')).toEqual({ kind: 'in-progress', state: 'Upgrading', known: false });
    const hostile = provisioning('Creating`\n::error::pwned <img src=x> [x](https://evil.example)');
    expect(hostile.kind).toBe('in-progress');
    const shown = hostile.kind === 'in-progress' ? hostile.state : '';
    expect(shown).toMatch(/^[A-Za-z0-9 ._?-]{1,39}…$/);
    expect(shown).not.toContain('::');
    expect(provisioning('Succeeded\u0000')).toMatchObject({ kind: 'in-progress', known: false });
    expect(provisioning('Succeeded\u200b')).toMatchObject({ kind: 'in-progress', known: false, state: 'Succeeded?' });
  });

  it('leads the readiness lines when the account is not provisioned, and adds none when it is', () => {
    const base = { customSubDomainName: 'a', ipRules: [], virtualNetworkRules: 0, disableLocalAuth: true };
    const lines = (provisioningState?: string, more: Partial<AccountSettings> = {}, readAtMs?: number) =>
      readinessLines(readiness({ kind: 'read', settings: { ...base, provisioningState, ...more }, ...(readAtMs !== undefined ? { readAtMs } : {}) }));
    expect(lines('Succeeded')).toEqual(lines(undefined));
    expect(lines('Succeeded')[0]).toBe('✓ custom subdomain a');
    expect(lines('Creating')[0]).toBe('✗ provisioning state Creating: not serving calls yet');
    expect(lines('Failed')[0]).toBe('✗ provisioning state Failed: not serving calls');
    expect(lines('Failed', { changedAt: '2026-01-01T12:00:00Z' }, Date.parse('2026-01-01T12:01:00Z'))[0]).toBe('✗ provisioning state Failed (changed just now: it may still turn Succeeded): not serving calls');
    expect(lines('Canceled')[0]).toBe('✗ provisioning state Canceled: not serving calls');
    expect(lines('Upgrading')[0]).toBe('✗ provisioning state Upgrading (not a state the REST spec lists): not serving calls yet');
    expect(lines(' ')[0]).toBe('✗ provisioning state blank (not a state the REST spec lists): not serving calls yet');
  });

  it('parseAccountSettings keeps a short state as written; the decision does the rest', () => {
    const parsed = parseAccountSettings({ properties: { provisioningState: 'ResolvingDNS', customSubDomainName: 'a' } });
    expect(parsed).toMatchObject({ provisioningState: 'ResolvingDNS', customSubDomainName: 'a' });
    expect(parseAccountSettings({ properties: { provisioningState: '' } })).toMatchObject({ provisioningState: '' });
  });
});
