import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { denialsFor, EVERYONE, type DenyAssignment } from '../../src/decide/deny.js';
import { parseDenyAssignmentsPage } from '../../src/evidence/arm.js';

const MAAS = 'Microsoft.CognitiveServices/accounts/MaaS/*';
const ME = '2c7f5a3b-0d4e-4f8a-9b6c-7d3e2f1a0b9c';
const RG = '/subscriptions/8c1d5e2f-7a3b-4c9d-8e6f-2a1b3c4d5e6f/resourceGroups/rg-foundry';
const RESOURCE = `${RG}/providers/Microsoft.CognitiveServices/accounts/contoso-foundry`;
const deny = (d: Partial<DenyAssignment>): DenyAssignment => ({
  name: 'd',
  scope: RG,
  permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [] }],
  principals: [{ id: ME, type: 'ServicePrincipal' }],
  excludePrincipals: [],
  doNotApplyToChildScopes: false,
  ...d,
});
const fixture = (name: string): unknown =>
  (JSON.parse(readFileSync(new URL(`../fixtures/arm/${name}.json`, import.meta.url), 'utf8')) as { body: unknown }).body;

describe('denialsFor', () => {
  it.each<[string, Partial<DenyAssignment>, string | undefined]>([
    ['names the identity', {}, 'principal'],
    ['everyone', { principals: [{ id: EVERYONE, type: 'SystemDefined' }] }, 'everyone'],
    ['a group (membership unknown: fail closed)', { principals: [{ id: 'g', type: 'Group' }] }, 'group'],
    ['someone else', { principals: [{ id: 'other', type: 'User' }] }, undefined],
    ['everyone but the identity', { principals: [{ id: EVERYONE, type: 'SystemDefined' }], excludePrincipals: [{ id: ME.toUpperCase(), type: 'ServicePrincipal' }] }, undefined],
    ['everyone but a group (the identity may not be in it)', { principals: [{ id: EVERYONE, type: 'SystemDefined' }], excludePrincipals: [{ id: 'g', type: 'Group' }] }, 'everyone'],
    ['above, but not for child scopes', { doNotApplyToChildScopes: true }, undefined],
    ['at the resource itself, not for child scopes', { doNotApplyToChildScopes: true, scope: RESOURCE }, 'principal'],
    ['other data actions', { permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.Storage/*'], notDataActions: [] }] }, undefined],
    ['control-plane actions only', { permissions: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }] }, undefined],
    ['carved out by notDataActions', { permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [MAAS] }] }, undefined],
    ['part of the requirement', { permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action'], notDataActions: [] }] }, 'principal'],
  ])('a deny that %s', (_, d, reaches) => {
    const denials = denialsFor([MAAS], [deny(d)], ME, RESOURCE);
    expect(denials.map((x) => x.reaches)).toEqual(reaches === undefined ? [] : [reaches]);
    if (reaches !== undefined) expect(denials[0]?.blocks).toEqual([MAAS]);
  });

  it('reads the REST shape and blocks everyone but the deployer', () => {
    const page = parseDenyAssignmentsPage(fixture('deny-assignments-everyone'));
    if (typeof page === 'string') throw new Error(page);
    expect(denialsFor([MAAS], page.value, ME, RESOURCE)).toEqual([
      { name: 'Deny assignment for deployment stack foundry-stack', scope: RG, blocks: [MAAS], reaches: 'everyone' },
    ]);
    expect(denialsFor([MAAS], page.value, '6f1e5d4c-3b2a-4190-8e7d-6c5b4a392817', RESOURCE)).toEqual([]);
  });
});

describe('parseDenyAssignmentsPage', () => {
  it.each([
    [{ value: [{}] }, 'without "properties"'],
    [{ value: [{ properties: { scope: '/' } }] }, 'without "permissions"'],
    [{ value: [{ properties: { scope: '/', permissions: [{ dataActions: 'x' }], principals: [] } }] }, 'deny permission'],
    [{ value: [{ properties: { scope: '/', permissions: [], principals: [{ id: 1 }] } }] }, 'principals'],
    [{ value: [{ properties: { permissions: [], principals: [] } }] }, '"scope"'],
  ])('rejects a deny it cannot read whole: %j', (body, reason) => {
    expect(parseDenyAssignmentsPage(body)).toContain(reason);
  });
});
