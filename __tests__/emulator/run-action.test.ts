import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, BUNDLE_VARIABLE, DIST, inputVariable, parseOutputFile } from '../../emulator/run-action.js';

describe('the runner harness', () => {
  it('names inputs as the runner does', () => {
    expect(inputVariable('client-id')).toBe('INPUT_CLIENT-ID');
    expect(inputVariable('a b')).toBe('INPUT_A_B');
  });

  it('runs the bundle the global setup made of src/ for this run, and the CLI beside it', () => {
    const made = process.env[BUNDLE_VARIABLE] ?? '';
    expect(made).not.toBe('');
    expect(DIST).toBe(join(resolve(made), 'dist', 'index.js'));
    expect(BIN).toBe(join(resolve(made), 'bin', 'foundry-keyless-check.mjs'));
    expect(existsSync(DIST) && existsSync(BIN)).toBe(true);
  });

  it('reads multi-line file-command outputs', () => {
    expect(parseOutputFile('a<<EOF1\nx\ny\nEOF1\nb<<EOF2\n\nEOF2\n')).toEqual({ a: 'x\ny', b: '' });
  });
});
