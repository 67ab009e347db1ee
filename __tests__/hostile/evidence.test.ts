/**
 * "Granted" needs well-formed evidence (issue 10, point 2). When ARM cannot be read (403), a data-plane 2xx counts
 * only when it is a chat completion: a TLS-inspecting proxy's HTML block page or an empty 204 proves nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../emulator/index.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { useHostileEmulators } from './support.js';

const hostile = useHostileEmulators();

const ARM_FORBIDDEN: Fault = {
  service: 'arm',
  pathPattern: '/permissions$',
  kind: 'status',
  status: 403,
  body: { error: { code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action Microsoft.Authorization/permissions/read.' } },
};

describe('a data-plane 2xx grants only as a chat completion', () => {
  it.each<[string, Fault]>([
    ['an HTML 200 (a proxy block page)', { service: 'data', kind: 'status', status: 200, body: '<html><body>Blocked by policy</body></html>', headers: { 'content-type': 'text/html' } }],
    ['an empty 204', { service: 'data', kind: 'status', status: 204, body: '' }],
    ['JSON that is not a completion', { service: 'data', kind: 'status', status: 200, body: { ok: true } }],
  ])('%s is not evidence', async (_, dataFault) => {
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [ARM_FORBIDDEN, dataFault], {
      inputs: (e) => ({ model: 'gpt-4o-mini', endpoint: `${e.urls.data}/contoso-foundry/` }),
    });
    expect(run.outputs.granted).toBe('false');
    expect(run.exitCode).toBe(1);
    expect(run.outputs.diagnosis).toBe('service-unavailable');
  });

  it('a real chat completion still proves access when ARM cannot be read', async () => {
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [ARM_FORBIDDEN], {
      inputs: (e) => ({ model: 'gpt-4o-mini', endpoint: `${e.urls.data}/contoso-foundry/` }),
    });
    expect(run.outputs.granted, run.stdout).toBe('true');
  });
});
