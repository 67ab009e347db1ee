/**
 * Every step is bounded (issue 10, point 3): the pull-request comment has one deadline, bodies are capped at every
 * service we read, and action patterns are capped before matching. None of these tests times anything: each
 * asserts the verdict and the reason, which name the bound that ended the step.
 */
import { describe, expect, it } from 'vitest';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { customRole, useHostileEmulators } from './support.js';

const hostile = useHostileEmulators();

describe('every step is bounded', () => {
  it('a pull-request comment whose listing never answers costs a warning, not the job', async () => {
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [{ service: 'github', method: 'GET', pathPattern: '/comments$', kind: 'stall' }], {
      pullRequest: true,
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.granted).toBe('true');
    expect(run.stdout).toMatch(/^::warning::Could not comment on pull request #7: GitHub did not answer within \d+ s/m);
  });

  it('a 100 MB listing of comments is refused at the cap: a warning, and the verdict stands', async () => {
    const { run, emulator } = await hostile.run(scenarioInput('granted-builtin'), [{ service: 'github', method: 'GET', pathPattern: '/comments$', kind: 'huge', bytes: 100 * 1024 * 1024 }], {
      pullRequest: true,
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.granted).toBe('true');
    expect(run.stdout).toMatch(/^::warning::Could not comment on pull request #7: the answer was larger than \d+ KiB and was not read/m);
    expect(emulator.requests.filter((r) => r.service === 'github' && r.method === 'POST' && /\/comments$/.test(r.path))).toHaveLength(0);
  });

  it('a 600 MB answer from ARM is refused at the cap, not read into memory', async () => {
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [{ service: 'arm', pathPattern: '/permissions$', kind: 'huge' }]);
    expect(run.stdout).not.toContain('Unexpected error');
    expect(run.outputs.granted).toBe('false');
    expect(run.outputs.diagnosis).toBe('service-unavailable');
    expect(run.outputs.report).toMatch(/larger than \d+ KiB/);
  });

  it('a 100 MB answer from the GitHub token service is refused at the cap', async () => {
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [{ service: 'github', pathPattern: '^/token$', kind: 'huge', bytes: 100 * 1024 * 1024 }]);
    expect(run.outputs.granted).toBe('false');
    expect(run.stdout).toMatch(/larger than \d+ KiB/);
  });

  it('a data-plane body that drips a byte a second ends at the request timeout', async () => {
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [{ service: 'data', kind: 'slow' }], {
      inputs: (e) => ({ model: 'gpt-4o-mini', endpoint: `${e.urls.data}/contoso-foundry/`, 'wait-timeout': '30' }),
    });
    expect(run.outputs.granted).toBe('false');
    expect(run.outputs.report).toContain('did not arrive within');
  });

  it('1 MB action patterns from ARM are refused as unusable evidence, never matched (a 1 MB "*…*" would grant)', async () => {
    const { run } = await hostile.run(customRole({ dataActions: Array.from({ length: 3 }, () => '*'.repeat(1024 * 1024)) }), []);
    expect(run.outputs.granted).toBe('false');
    expect(run.outputs.diagnosis).toBe('service-unavailable');
    expect(run.outputs.report).toContain('pattern longer than');
  });
});
