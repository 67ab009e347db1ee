import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAccountSettings } from '../../src/evidence/arm.js';
import { readiness, readinessLines, readinessNotes, type AccountSettings } from '../../src/decide/readiness.js';

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
    expect(r).toEqual({ kind: 'known', customSubDomain: undefined, network: { kind: 'open' }, keylessEnforced: false });
    expect(readinessNotes(r)).toEqual(['keys-enabled']);
  });

  it('public network access disabled is private-only, whatever networkAcls says', () => {
    const r = readiness({ kind: 'read', settings: settingsOf('account-private-only') });
    expect(r).toEqual({ kind: 'known', customSubDomain: 'myaccount', network: { kind: 'private-only' }, keylessEnforced: true });
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
});
