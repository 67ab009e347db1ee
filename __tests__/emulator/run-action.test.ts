import { describe, expect, it } from 'vitest';
import { inputVariable, parseOutputFile } from '../../emulator/run-action.js';

describe('the runner harness', () => {
  it('names inputs as the runner does', () => {
    expect(inputVariable('client-id')).toBe('INPUT_CLIENT-ID');
    expect(inputVariable('a b')).toBe('INPUT_A_B');
  });

  it('reads multi-line file-command outputs', () => {
    expect(parseOutputFile('a<<EOF1\nx\ny\nEOF1\nb<<EOF2\n\nEOF2\n')).toEqual({ a: 'x\ny', b: '' });
  });
});
