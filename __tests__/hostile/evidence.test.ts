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

  it("a chat completion from another account's endpoint proves nothing about this one", async () => {
    // The identity may call dev-foundry; the check is about contoso-foundry, whose permissions ARM will not show.
    const base = scenarioInput('granted-builtin');
    const [resource] = base.resources ?? [];
    if (!resource) throw new Error('granted-builtin has no resource');
    const dev = { ...resource, id: resource.id.replace(/contoso-foundry$/, 'dev-foundry') };
    const devRoles = (base.roleAssignments ?? []).map((a) => ({ ...a, id: '0f8e2a6c-3b1d-4a5e-9c7f-1e2d3c4b5a70', scope: dev.id }));
    const world = { ...base, resources: [resource, dev], roleAssignments: [...(base.roleAssignments ?? []), ...devRoles] };
    const { run, emulator } = await hostile.run(world, [ARM_FORBIDDEN], {
      inputs: (e) => ({ 'resource-id': resource.id, model: 'gpt-4o-mini', endpoint: `${e.urls.data}/dev-foundry/` }),
    });
    const called = emulator.requests.filter((r) => r.service === 'data' && r.path.startsWith('/dev-foundry/'));
    expect(called.map((r) => r.status), 'the other account answered the call').toContain(200);
    expect(run.outputs.granted, run.outputs.report).toBe('false');
    expect(run.outputs.diagnosis).toBe('cannot-verify');
  });
});
