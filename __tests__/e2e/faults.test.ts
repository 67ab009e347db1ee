/**
 * The fault matrix: each kind of fault, transient (it heals) and persistent (it lasts past the deadline), at
 * each service the action talks to. A transient fault must still end in the right verdict; a persistent one in
 * an error verdict; and no fault, anywhere, may ever turn into a grant that the evidence does not support.
 */
import { describe, expect, it } from 'vitest';
import { startEmulator, type Fault, type ScenarioInput } from '../../emulator/index.js';
import { runAction } from '../../emulator/run-action.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';

const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const scenario = scenarioInput;

/** Granted, with the grant on the first page of two: a failed second page must not leave a grant behind. */
function grantedOnTwoPages(): ScenarioInput {
  const base = scenario('granted-builtin');
  const [grant] = base.roleAssignments ?? [];
  if (!grant) throw new Error('granted-builtin.json has no assignment');
  return { ...base, arm: { pageSize: 1 }, roleAssignments: [grant, { ...grant, id: undefined, roleDefinitionId: READER }] };
}

type Kind = Pick<Fault, 'kind' | 'status' | 'retryAfter'>;
const KINDS: Record<string, Kind> = {
  '429': { kind: 'status', status: 429, retryAfter: 1 },
  '500': { kind: 'status', status: 500 },
  '503': { kind: 'status', status: 503 },
  reset: { kind: 'reset' },
  stall: { kind: 'stall' },
  'malformed-json': { kind: 'malformed-json' },
  truncated: { kind: 'truncated' },
};

interface Target {
  readonly name: string;
  readonly scenario: () => ScenarioInput;
  readonly fault: Omit<Fault, 'kind'>;
  readonly kinds: readonly string[];
}

const TARGETS: readonly Target[] = [
  { name: 'ARM permissions', scenario: () => scenario('granted-builtin'), fault: { service: 'arm', pathPattern: '/permissions$' }, kinds: Object.keys(KINDS) },
  { name: 'the second page of permissions', scenario: grantedOnTwoPages, fault: { service: 'arm', pathPattern: '/permissions$', after: 1 }, kinds: ['503', 'reset', 'malformed-json', 'truncated'] },
  { name: 'the Entra token endpoint', scenario: () => scenario('granted-builtin'), fault: { service: 'entra', method: 'POST' }, kinds: ['429', '503', 'reset'] },
  { name: 'the GitHub token service', scenario: () => scenario('granted-builtin'), fault: { service: 'github', pathPattern: '^/token$' }, kinds: ['503', 'reset'] },
];

const CASES = TARGETS.flatMap((target) =>
  target.kinds.flatMap((kind) => [
    { target, kind, persistent: false },
    { target, kind, persistent: true },
  ]),
);

describe.concurrent('fault matrix', () => {
  it.each(CASES.map((c) => [c.kind, c.target.name, c.persistent ? 'persistent' : 'transient', c] as const))('%s at %s, %s', async (_k, _t, _p, c) => {
    const fault: Fault = { ...c.target.fault, ...KINDS[c.kind], kind: KINDS[c.kind]?.kind ?? 'status', ...(c.persistent ? {} : { times: 1 }) };
    const emulator = await startEmulator({ ...c.target.scenario(), faults: [fault] });
    try {
      const waitTimeout = c.persistent ? 2 : 15;
      const run = await runAction({ ...emulator.actionInputs(), 'wait-timeout': String(waitTimeout) }, { env: emulator.runnerEnv(), killAfterMs: 60_000 });
      const faulted = emulator.requests.filter((r) => r.fault !== undefined);
      expect(faulted.length, 'the fault was applied').toBeGreaterThan(0);
      if (c.persistent) {
        expect(run.outputs.granted, run.stdout).toBe('false');
        expect(run.exitCode).toBe(1);
        expect(['throttled', 'service-unavailable']).toContain(run.outputs.diagnosis);
        // Bounded: the run's budget is the wait timeout plus one request timeout (10 s), counted before its first
        // request, so no request may leave after that, by the emulator's own clock. Process start-up and exit
        // are outside the span, so a loaded machine does not move it; a layer sleeping past the deadline does.
        const span = Math.max(...emulator.requests.map((r) => r.at)) - Math.min(...emulator.requests.map((r) => r.at));
        expect(span, emulator.requests.map((r) => `${Math.round(r.at)} ${r.service} ${r.path} ${r.status}`).join('\n')).toBeLessThan((waitTimeout + 10) * 1000);
      } else {
        expect(run.outputs.diagnosis, run.stdout).toBe('ok');
        expect(run.exitCode).toBe(0);
      }
    } finally {
      await emulator.close();
    }
  });
});

describe.concurrent('faults never grant what is denied', () => {
  it.each(Object.keys(KINDS).filter((k) => k !== 'stall'))('%s at ARM permissions, transient, with no role', async (kind) => {
    const emulator = await startEmulator({ ...scenario('denied-no-role'), faults: [{ service: 'arm', pathPattern: '/permissions$', ...KINDS[kind], kind: KINDS[kind]?.kind ?? 'status', times: 1 }] });
    try {
      const run = await runAction({ ...emulator.actionInputs(), 'wait-timeout': '3' }, { env: emulator.runnerEnv() });
      expect(run.outputs.granted).toBe('false');
      expect(run.exitCode).toBe(1);
    } finally {
      await emulator.close();
    }
  });
});
