import { describe, expect, it } from 'vitest';
import { parseResourceId, type ResourceId } from '../../src/config/resource-id.js';
import { decideResource, type PermissionsEvidence, type ResourceVerdict } from '../../src/decide/verdict.js';
import { waitRule } from '../../src/decide/wait-rule.js';
import type { Timer } from '../../src/wait/timer.js';
import { waitForAccess } from '../../src/wait/wait-for-access.js';

const MAAS = 'Microsoft.CognitiveServices/accounts/MaaS/*';
const resource = (name: string): ResourceId => {
  const parsed = parseResourceId(`/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/${name}`);
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return parsed.value;
};
const GRANTED: PermissionsEvidence = { kind: 'read', permissions: [{ actions: [], notActions: [], dataActions: [MAAS], notDataActions: [] }] };
const NOTHING: PermissionsEvidence = { kind: 'read', permissions: [] };

/** A clock that moves only when the code under test sleeps: the schedule is checked exactly, with no real waiting. */
function fakeTimer(): Timer & { sleeps: number[]; at: number } {
  const timer = {
    at: 0,
    sleeps: [] as number[],
    now: () => timer.at,
    sleep: (ms: number) => {
      timer.sleeps.push(ms);
      timer.at += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  };
  return timer;
}

/** The rule when role assignments cannot be read: wait up to the timeout for anything time may cure. */
const upTo = (waitTimeoutMs: number) => (verdict: ResourceVerdict, elapsedMs: number) =>
  waitRule(verdict, { elapsedMs, nowEpochMs: 0, waitTimeoutMs, waitForAssignment: false, requiredDataActions: [MAAS] });

function checker(answer: (name: string, at: number) => PermissionsEvidence, timer: { at: number }, calls: string[]) {
  return (r: ResourceId): Promise<ResourceVerdict> => {
    calls.push(`${r.account}@${timer.at}`);
    return Promise.resolve(decideResource({ resourceId: r.id, required: [MAAS], permissions: answer(r.account, timer.at) }));
  };
}

describe('waitForAccess', () => {
  it('checks once and stops when access is there', async () => {
    const timer = fakeTimer();
    const calls: string[] = [];
    const outcome = await waitForAccess([resource('one')], checker(() => GRANTED, timer, calls), { rule: upTo(60_000), timer, log: () => {} });
    expect(outcome).toMatchObject({ attempts: 1, waitedMs: 0 });
    expect(calls).toEqual(['one@0']);
  });

  it('keeps checking while a role may be propagating, and stops the moment it lands', async () => {
    const timer = fakeTimer();
    const calls: string[] = [];
    const lines: string[] = [];
    const outcome = await waitForAccess([resource('one')], checker((_, at) => (at >= 5000 ? GRANTED : NOTHING), timer, calls), {
      rule: upTo(60_000),
      timer,
      log: (l) => lines.push(l),
    });
    expect(timer.sleeps).toEqual([1000, 1500, 2250, 2600]);
    expect(outcome.verdicts[0]?.granted).toBe(true);
    expect(outcome.attempts).toBe(5);
    expect(outcome.waitedMs).toBe(7350);
    expect(lines[0]).toBe(
      'Attempt 1: one role-missing (role assignments cannot be read, so one may be taking effect; waiting up to the wait timeout (60 s)); next check in 1.0 s, 60 s left.',
    );
  });

  it('never waits past the deadline, and looks one last time at it', async () => {
    const timer = fakeTimer();
    const calls: string[] = [];
    const lines: string[] = [];
    const outcome = await waitForAccess([resource('one')], checker(() => NOTHING, timer, calls), { rule: upTo(10_000), timer, log: (l) => lines.push(l) });
    expect(timer.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(calls.at(-1)).toBe('one@10000');
    expect(outcome.verdicts[0]?.diagnosis).toBe('role-missing');
    expect(lines.at(-1)).toBe('Attempt 7: one role-missing; not waiting: its wait has ended.');
  });

  it('does not retry what time cannot cure', async () => {
    const timer = fakeTimer();
    const calls: string[] = [];
    const outcome = await waitForAccess([resource('one')], checker(() => ({ kind: 'refused', status: 404, code: 'ResourceNotFound' }), timer, calls), {
      rule: upTo(60_000),
      timer,
      log: () => {},
    });
    expect(calls).toEqual(['one@0']);
    expect(outcome.verdicts[0]?.diagnosis).toBe('resource-not-found');
  });

  it('re-checks only the resources still unsettled, and keeps their order', async () => {
    const timer = fakeTimer();
    const calls: string[] = [];
    const outcome = await waitForAccess([resource('slow'), resource('fast')], checker((name, at) => (name === 'fast' || at >= 2000 ? GRANTED : NOTHING), timer, calls), {
      rule: upTo(60_000),
      timer,
      log: () => {},
    });
    expect(calls).toEqual(['slow@0', 'fast@0', 'slow@1000', 'slow@2500']);
    expect(outcome.verdicts.map((v) => v.resourceId.split('/').pop())).toEqual(['slow', 'fast']);
  });

  it('waits at least as long as the service asks', async () => {
    const timer = fakeTimer();
    const calls: string[] = [];
    await waitForAccess([resource('one')], checker((_, at) => (at === 0 ? { kind: 'refused', status: 429, retryAfterMs: 7000 } : GRANTED), timer, calls), {
      rule: upTo(60_000),
      timer,
      log: () => {},
    });
    expect(timer.sleeps).toEqual([7000]);
  });

  it('makes one attempt with no wait timeout', async () => {
    const timer = fakeTimer();
    const calls: string[] = [];
    const outcome = await waitForAccess([resource('one')], checker(() => NOTHING, timer, calls), { rule: upTo(0), timer, log: () => {} });
    expect(outcome.attempts).toBe(1);
    expect(timer.sleeps).toEqual([]);
  });

  it("ends the wait of a resource whose service asked for too long, and keeps the others' going", async () => {
    const timer = fakeTimer();
    const calls: string[] = [];
    const lines: string[] = [];
    const throttled: PermissionsEvidence = { kind: 'refused', status: 429, code: 'SubscriptionRequestsThrottled', retryAfterMs: 3_600_000 };
    const outcome = await waitForAccess(
      [resource('busy'), resource('landing')],
      checker((name, at) => (name === 'busy' ? throttled : at >= 20_000 ? GRANTED : NOTHING), timer, calls),
      { rule: upTo(300_000), timer, log: (l) => lines.push(l) },
    );
    const [busy, landing] = outcome.verdicts;
    expect(busy).toMatchObject({ diagnosis: 'throttled', facts: { retryAfterSeconds: 3600 } });
    expect(calls.filter((c) => c.startsWith('busy@'))).toEqual(['busy@0']);
    // The other resource's access lands at 20 s and is seen, on its own schedule.
    expect(landing?.granted).toBe(true);
    expect(Math.max(...timer.sleeps)).toBeLessThanOrEqual(6000);
    expect(lines[0]).toBe('Attempt 1: busy throttled; not waiting: the service asked for 3600 s, beyond the wait timeout.');
  });
});
