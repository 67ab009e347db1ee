import { describe, expect, it } from 'vitest';
import { retryingStage, type Diagnosed } from '../../src/wait/retry-stage.js';

function fakeTimer() {
  const timer = { at: 0, sleeps: [] as number[], now: () => timer.at, random: () => 0.5, sleep: (ms: number) => ((timer.at += ms), timer.sleeps.push(ms), Promise.resolve()) };
  return timer;
}
class Failure extends Error implements Diagnosed {
  constructor(readonly diagnosis: Diagnosed['diagnosis']) {
    super(diagnosis);
  }
}
const diagnosed = (e: unknown) => (e instanceof Failure ? e : undefined);

describe('retryingStage', () => {
  it('tries a transient failure again until it passes', async () => {
    const timer = fakeTimer();
    let calls = 0;
    const result = await retryingStage('stage', () => (++calls < 3 ? Promise.reject(new Failure('service-unavailable')) : Promise.resolve('done')), diagnosed, { timer, deadlineMs: 60_000, log: () => {} });
    expect(result).toEqual({ value: 'done', attempts: 3 });
    expect(timer.sleeps).toEqual([1000, 1500]);
  });

  it('throws a configuration error at once', async () => {
    const timer = fakeTimer();
    await expect(retryingStage('stage', () => Promise.reject(new Failure('federated-credential-mismatch')), diagnosed, { timer, deadlineMs: 60_000, log: () => {} })).rejects.toThrow(
      'federated-credential-mismatch',
    );
    expect(timer.sleeps).toEqual([]);
  });

  it('gives up at the deadline', async () => {
    const timer = fakeTimer();
    await expect(retryingStage('stage', () => Promise.reject(new Failure('throttled')), diagnosed, { timer, deadlineMs: 5000, log: () => {} })).rejects.toThrow('throttled');
    expect(timer.sleeps.reduce((a, b) => a + b, 0)).toBe(5000);
  });

  it('does not retry what it cannot read', async () => {
    const timer = fakeTimer();
    await expect(retryingStage('stage', () => Promise.reject(new Error('bug')), diagnosed, { timer, deadlineMs: 5000, log: () => {} })).rejects.toThrow('bug');
    expect(timer.sleeps).toEqual([]);
  });
});
