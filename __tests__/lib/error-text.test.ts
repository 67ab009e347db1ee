import { describe, expect, it } from 'vitest';
import { errorLine, firstLine } from '../../src/lib/error-text.js';

describe('firstLine', () => {
  it('takes the first line that says something', () => {
    expect(firstLine('\n  \nAADSTS700213: no match\nTrace ID: x')).toBe('AADSTS700213: no match');
    expect(firstLine('one line')).toBe('one line');
  });
});

describe('errorLine', () => {
  it('reads an Error, its name when the message is empty, and anything else as text', () => {
    expect(errorLine(new Error('read ECONNRESET\n    at Socket'))).toBe('read ECONNRESET');
    expect(errorLine(new TypeError(''))).toBe('TypeError');
    expect(errorLine('plain\nmore')).toBe('plain');
  });

  it('cuts a line that carries a whole answer (Octokit puts unparsed bodies in its messages)', () => {
    const line = errorLine(new TypeError(`Cannot use 'in' operator to search for 'total_count' in ${'a'.repeat(5_000_000)}`));
    expect(line.length).toBe(1001);
    expect(line.endsWith('…')).toBe(true);
  });
});
