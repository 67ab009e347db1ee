import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResourceId } from '../../src/config/resource-id.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/contoso-ai`;

describe('parseResourceId', () => {
  it('parses an account into its parts', () => {
    const parsed = parseResourceId(ACCOUNT);
    expect(parsed).toEqual({
      ok: true,
      value: { id: ACCOUNT, subscriptionId: SUB, resourceGroup: 'rg-ai', account: 'contoso-ai' },
    });
  });

  it('parses a project under an account', () => {
    const parsed = parseResourceId(`${ACCOUNT}/projects/eval`);
    expect(parsed.ok && parsed.value.project).toBe('eval');
    expect(parsed.ok && parsed.value.id).toBe(`${ACCOUNT}/projects/eval`);
  });

  it('canonicalises keyword casing and the subscription GUID', () => {
    const parsed = parseResourceId(
      `/SUBSCRIPTIONS/${SUB.toUpperCase()}/resourcegroups/rg-ai/PROVIDERS/microsoft.cognitiveservices/Accounts/contoso-ai`,
    );
    expect(parsed.ok && parsed.value.id).toBe(ACCOUNT);
  });

  it.each([
    ['', 'resource-id', 'is empty'],
    [`${ACCOUNT}/`, 'resource-id', 'empty segment'],
    [ACCOUNT.replace('/resourceGroups', '//resourceGroups'), 'resource-id', 'empty segment'],
    [`${ACCOUNT}/../other`, 'resource-id', '".."'],
    [`${ACCOUNT}?api-version=1`, 'resource-id', '"?"'],
    [`${ACCOUNT}#x`, 'resource-id', '"#"'],
    [`${ACCOUNT}%2F..`, 'resource-id', '"%"'],
    [` ${ACCOUNT}`, 'resource-id', '" "'],
    [`${ACCOUNT}\n`, 'resource-id', '"\\n"'],
    [ACCOUNT.slice(1), 'resource-id', 'must start with'],
    [ACCOUNT.replace(SUB, 'not-a-guid'), 'subscription', 'not a GUID'],
    [ACCOUNT.replace('rg-ai', 'rg.'), 'resource group', 'not a valid'],
    [ACCOUNT.replace('Microsoft.CognitiveServices', 'Microsoft.Storage'), 'provider', 'Microsoft.Storage'],
    [ACCOUNT.replace('accounts', 'workspaces'), 'resource type', 'accounts'],
    [ACCOUNT.replace('contoso-ai', '-bad'), 'account name', '"-bad"'],
    [`${ACCOUNT}/deployments/gpt`, 'resource type', 'projects'],
    [`${ACCOUNT}/projects/p/extra/x`, 'resource type', 'projects'],
    [`/subscriptions/${SUB}`, 'resource group', 'missing'],
    [`/subscriptions/${SUB}/resourceGroups/rg`, 'provider', 'missing'],
    [`${ACCOUNT}${'x'.repeat(600)}`, 'resource-id', 'longer than'],
  ])('refuses %j, naming the %s', (text, part, reason) => {
    const parsed = parseResourceId(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.part).toBe(part);
      expect(parsed.error.reason).toContain(reason);
    }
  });

  it('either refuses any string or returns a canonical ID that parses to itself', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((tail) => ACCOUNT + tail), fc.string().map((s) => s + ACCOUNT)), (text) => {
        const parsed = parseResourceId(text);
        if (!parsed.ok) {
          expect(parsed.error.part.length).toBeGreaterThan(0);
          return;
        }
        const again = parseResourceId(parsed.value.id);
        expect(again).toEqual(parsed);
        expect(parsed.value.id).toMatch(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w\-.()]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[\w-]+(\/projects\/[\w\-.]+)?$/);
      }),
      { numRuns: 2000 },
    );
  });
});
