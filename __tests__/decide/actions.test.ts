import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { covers, intersects } from '../../src/decide/actions.js';

/** The oracle: the textbook meaning of a pattern as a regular expression over whole actions. */
function toRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

// Patterns over a tiny alphabet, so that exhaustive enumeration of candidate actions finds any counter-example.
const pattern = fc.string({ unit: fc.constantFrom('a', 'B', '/', '*'), maxLength: 5 });
// A shared witness of two patterns needs at most as many characters as both have literals: keep that within reach.
const shortPattern = fc.string({ unit: fc.constantFrom('a', 'B', '/', '*'), maxLength: 3 });
// Actions also use 'x', a letter no pattern mentions: a witness to non-inclusion can always use it for a star.
const ALPHABET = ['a', 'b', '/', 'x'];
function* actionsUpTo(length: number): Generator<string> {
  yield '';
  let layer = [''];
  for (let n = 1; n <= length; n++) {
    const next: string[] = [];
    for (const prefix of layer) for (const c of ALPHABET) next.push(prefix + c);
    yield* next;
    layer = next;
  }
}
const CANDIDATES = [...actionsUpTo(6)];

describe('covers', () => {
  it('grants Foundry Models through the Cognitive Services User pattern', () => {
    expect(covers('Microsoft.CognitiveServices/*', 'Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(true);
    expect(covers('Microsoft.CognitiveServices/*', 'Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action')).toBe(true);
  });

  it('is case-insensitive', () => {
    expect(covers('microsoft.cognitiveservices/ACCOUNTS/maas/*', 'Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(true);
  });

  it('does not let a narrower grant cover a wider requirement', () => {
    expect(covers('Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action', 'Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(false);
    expect(covers('Microsoft.CognitiveServices/accounts/OpenAI/*', 'Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(false);
    expect(covers('Microsoft.CognitiveServices/accounts/MaaS/*/read', 'Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(false);
  });

  it('lets * span slashes', () => {
    expect(covers('*', 'Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(true);
    expect(covers('Microsoft.*/action', 'Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action')).toBe(true);
  });

  it('agrees with set inclusion of the regular-expression meaning', () => {
    fc.assert(
      fc.property(pattern, pattern, (granted, required) => {
        const g = toRegExp(granted);
        const r = toRegExp(required);
        const included = CANDIDATES.every((action) => !r.test(action) || g.test(action));
        expect(covers(granted, required)).toBe(included);
      }),
      { numRuns: 400 },
    );
  });
});

describe('intersects', () => {
  it('finds the overlap between an exclusion and a requirement', () => {
    expect(intersects('Microsoft.CognitiveServices/accounts/MaaS/*', 'Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(true);
    expect(intersects('Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action', 'Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(true);
    expect(intersects('*/write', 'Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(true);
    expect(intersects('Microsoft.CognitiveServices/accounts/OpenAI/*', 'Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(false);
  });

  it('agrees with a shared witness of the regular-expression meaning', () => {
    fc.assert(
      fc.property(shortPattern, shortPattern, (a, b) => {
        const ra = toRegExp(a);
        const rb = toRegExp(b);
        const shared = CANDIDATES.some((action) => ra.test(action) && rb.test(action));
        expect(intersects(a, b)).toBe(shared);
      }),
      { numRuns: 400 },
    );
  });

  it('is symmetric', () => {
    fc.assert(fc.property(pattern, pattern, (a, b) => intersects(a, b) === intersects(b, a)));
  });
});
