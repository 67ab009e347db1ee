import { describe, expect, it } from 'vitest';
import { renderRunnerLine, runnerLogPrinter } from '../../emulator/runner-log.js';

describe('renderRunnerLine', () => {
  it('hides masks and debug lines', () => {
    expect(renderRunnerLine('::add-mask::secret')).toBeUndefined();
    expect(renderRunnerLine('::debug::x')).toBeUndefined();
  });

  it('labels annotations and unescapes them', () => {
    expect(renderRunnerLine('::error title=role-missing%3A No role::Cause%0AFix: do it')).toBe('\x1b[31mERROR [role-missing: No role]\x1b[0m Cause\n  Fix: do it');
  });

  it('prints whole lines only', () => {
    const out: string[] = [];
    const print = runnerLogPrinter((t) => out.push(t));
    print('::add-mask::abc\nhel');
    print('lo\n');
    expect(out).toEqual(['hello\n']);
  });
});
