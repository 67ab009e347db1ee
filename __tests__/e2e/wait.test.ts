/**
 * Waiting out role propagation, end to end: the bundled action against an emulator whose assignments take
 * effect some seconds after start. Real time, small scales; the request log shows what was sent and when.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../emulator/index.js';
import { runAction } from '../../emulator/run-action.js';
import { propagatingAfter, scenarioInput } from '../../emulator/scenario-variations.js';
import { useEmulator } from '../support/use-emulator.js';

const scenario = scenarioInput;
const propagating = propagatingAfter;

const startEmulator = useEmulator();

async function run(input: ScenarioInput, inputs: Record<string, string>) {
  const emulator = await startEmulator(input);
  const result = await runAction({ ...emulator.actionInputs(), ...inputs }, { env: emulator.runnerEnv() });
  const permissions = emulator.requests.filter((r) => r.service === 'arm' && r.path.endsWith('/permissions'));
  return { result, permissions, emulator };
}

describe('waiting for a role assignment to take effect', () => {
  it('notices access soon after it lands, spacing its checks', async () => {
    const { result, permissions } = await run(propagating(4), { 'wait-timeout': '30' });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs.granted).toBe('true');
    const attempts = Number(result.outputs.attempts);
    expect(attempts).toBeGreaterThan(1);
    expect(permissions.length).toBe(attempts);
    const last = permissions.at(-1)?.at ?? 0;
    const firstAt = permissions[0]?.at ?? 0;
    // Effective 4 s after the emulator started: every check before saw nothing, and the first check after it
    // is the last one. How soon that check comes is a figure of `npm run bench`, not of a test.
    expect(permissions.filter((r) => r.at >= 4000).length).toBe(1);
    expect(last).toBeGreaterThanOrEqual(4000);
    const gaps = permissions.slice(1).map((r, i) => r.at - (permissions[i]?.at ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(800);
    expect(Number(result.outputs['waited-seconds'])).toBeGreaterThanOrEqual(Math.floor((last - firstAt) / 1000) - 1);
    // The first gap is 1 s ± 15 % jitter.
    expect(result.stdout).toMatch(/Attempt 1: contoso-foundry role-missing \(role assignments cannot be read.*\); next check in (0\.9|1\.0|1\.1) s/);
  });

  it('reads an account it could not read again only once the role has landed, and then knows its readiness', async () => {
    const { result, permissions, emulator } = await run(propagating(4), { 'wait-timeout': '30' });
    expect(result.outputs.granted, result.stdout).toBe('true');
    const accountReads = emulator.requests.filter((r) => r.service === 'arm' && /\/accounts\/contoso-foundry$/.test(r.path));
    // Refused before the role landed (the identity could not read the account), asked again only after it.
    expect(accountReads.map((r) => r.status)).toEqual([403, 200]);
    expect(permissions.length).toBeGreaterThan(2);
    const report = JSON.parse(result.outputs.report ?? '{}') as { resources?: { evidence?: { account?: { status?: string } } }[] };
    expect(report.resources?.[0]?.evidence?.account?.status).toBe('read');
  });

  it('does not ask an account that refused the identity again while the permissions read is failing', async () => {
    const faults = [{ service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 503, times: 3 } as const];
    const { result, permissions, emulator } = await run({ ...propagating(60), faults }, { 'wait-timeout': '6' });
    expect(result.outputs.diagnosis, result.stdout).toBe('role-missing');
    expect(permissions.map((r) => r.status).slice(0, 4)).toEqual([503, 503, 503, 200]);
    // The 503s say nothing new about the roles, which decide whether the account refuses: one read, refused.
    const accountReads = emulator.requests.filter((r) => r.service === 'arm' && /\/accounts\/contoso-foundry$/.test(r.path));
    expect(accountReads.map((r) => r.status)).toEqual([403]);
  });

  it('asks a throttled account again while the permissions read is failing', async () => {
    const faults = [
      { service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 503, times: 2 },
      { service: 'arm', pathPattern: '/accounts/contoso-foundry$', kind: 'status', status: 429, times: 1 },
    ] as const;
    const { result, emulator } = await run({ ...scenario('granted-builtin'), faults: [...faults] }, { 'wait-timeout': '20' });
    expect(result.outputs.granted, result.stdout).toBe('true');
    const accountReads = emulator.requests.filter((r) => r.service === 'arm' && /\/accounts\/contoso-foundry$/.test(r.path));
    expect(accountReads.map((r) => r.status)).toEqual([429, 200]);
  });

  it('stops at the wait timeout and sends nothing after it', async () => {
    const { result, permissions, emulator } = await run(propagating(60), { 'wait-timeout': '3' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.diagnosis).toBe('role-missing');
    const first = permissions[0]?.at ?? 0;
    // The last check is scheduled at the deadline; the margin only absorbs a loaded machine's sending delay.
    expect((permissions.at(-1)?.at ?? 0) - first).toBeLessThanOrEqual(3000 + 1500);
    expect(emulator.requests.filter((r) => r.at > first + 4500)).toEqual([]);
    expect(result.stdout).toContain('not waiting: its wait has ended');
  });

  it('fails at once when readable assignments show nothing on its way', async () => {
    const { result, permissions } = await run(scenario('denied-owner-only'), { 'wait-timeout': '300' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.diagnosis).toBe('control-plane-role-only');
    expect(result.outputs.attempts).toBe('1');
    expect(permissions.length).toBe(1);
    expect(result.stdout).toContain('nothing is on its way');
  });

  it('waits for a visible assignment and reports the roles that grant access', async () => {
    const { result } = await run(propagating(3, { readable: true }), { 'wait-timeout': '30' });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(JSON.parse(result.outputs.roles ?? '[]')).toEqual(['Cognitive Services User']);
    expect(result.stdout).toMatch(/the assignment of Cognitive Services User at \/subscriptions\/.*contoso-foundry may still be taking effect/);
    expect(result.summary).toContain('✓ Cognitive Services User (direct, at this resource');
  });

  it('says propagation-timeout when a granting assignment exists but is not effective in time', async () => {
    const { result } = await run(propagating(60, { readable: true }), { 'wait-timeout': '2' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.diagnosis).toBe('propagation-timeout');
    expect(result.summary).toContain('Raise `wait-timeout`');
  });

  it('keeps waiting for an assignment to appear with wait-for-assignment', async () => {
    const input = scenario('denied-owner-only');
    const { result } = await run(input, { 'wait-timeout': '3', 'wait-for-assignment': 'true' });
    expect(result.exitCode).toBe(1);
    expect(Number(result.outputs.attempts)).toBeGreaterThan(1);
    expect(result.stdout).toContain('wait-for-assignment is on');
  });
});

describe('fresh credentials across a long wait', () => {
  it('signs in again with a new GitHub token when short-lived tokens expire mid-wait', async () => {
    const input = propagating(9);
    const { result, emulator } = await run(
      { ...input, github: { ...input.github, tokenLifetimeSeconds: 4 }, entra: { accessTokenLifetimeSeconds: 4 } },
      { 'wait-timeout': '30' },
    );
    expect(result.exitCode, result.stdout).toBe(0);
    const github = emulator.requests.filter((r) => r.service === 'github');
    const exchanges = emulator.requests.filter((r) => r.service === 'entra' && r.method === 'POST');
    expect(github.length).toBeGreaterThanOrEqual(2);
    expect(exchanges.length).toBeGreaterThanOrEqual(2);
    expect(exchanges.every((r) => r.status === 200)).toBe(true);
    // No ARM request was turned away for an expired token.
    expect(emulator.requests.filter((r) => r.service === 'arm' && r.status === 401)).toEqual([]);
  });
});
