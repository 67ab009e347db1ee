/**
 * Hostile inputs: whatever arrives in any input, parsing either yields a canonical config or names the inputs
 * that are wrong, and never throws. The end-to-end suite shows that a refused input means no request at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEndpoint, parseInputs } from '../../src/config/inputs.js';
import { readAction } from '../../src/report/readme.js';
import { repoRoot } from '../../emulator/repo-root.js';

const INPUTS = Object.keys(readAction(repoRoot()).inputs);
const VALID: Record<string, string> = {
  'client-id': '11111111-2222-3333-4444-555555555555',
  'tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  'resource-id': '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct',
};

// Strings a hostile or careless workflow could pass: control characters, URL tricks, huge values, odd Unicode.
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\n', '..', '../..', '%2e%2e', 'https://user:pw@evil.test', 'http://127.0.0.1', 'javascript:alert(1)', 'a'.repeat(5000), '\u0000', '${{ secrets.X }}'),
);

describe('parseInputs under arbitrary inputs', () => {
  it('never throws, and every complaint names a real input', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...INPUTS), nasty), (overrides) => {
        const result = parseInputs((name) => ({ ...VALID, ...overrides })[name] ?? '');
        if (result.ok) {
          expect(result.value.resources.length).toBeGreaterThan(0);
          for (const r of result.value.resources) expect(r.id).toMatch(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w\-.()]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[\w-]+(\/projects\/[\w\-.]+)?$/);
          for (const url of [result.value.cloud.authorityHost, result.value.cloud.resourceManagerEndpoint]) {
            const parsed = new URL(url);
            expect(parsed.protocol).toBe('https:');
            expect(parsed.username + parsed.password + parsed.search + parsed.hash).toBe('');
          }
        } else {
          expect(result.error.length).toBeGreaterThan(0);
          for (const problem of result.error) expect(INPUTS).toContain(problem.input);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('parseEndpoint under arbitrary text', () => {
  it('accepts only https URLs without credentials, query or fragment, and canonical ones are fixed points', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), nasty), (text) => {
        const parsed = parseEndpoint(text);
        if (!parsed.ok) return;
        const url = new URL(parsed.value);
        expect(url.protocol).toBe('https:');
        expect(url.username + url.password + url.search + url.hash).toBe('');
        expect(parseEndpoint(parsed.value)).toEqual(parsed);
      }),
      { numRuns: 1500 },
    );
  });
});
