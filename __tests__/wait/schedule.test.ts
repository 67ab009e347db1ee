import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../src/evidence/retry-after.js';
import { backoff, nextStep, SCHEDULE } from '../../src/wait/schedule.js';

const middle = (): number => 0.5;

describe('backoff', () => {
  it('starts short and grows to the early cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoff(n, 0, middle))).toEqual([1000, 1500, 2250, 2600, 2600]);
  });

  it('allows longer gaps after the first minute', () => {
    expect(backoff(10, 61_000, middle)).toBe(6000);
  });

  it('spreads each delay by the jitter and no more', () => {
    expect(backoff(1, 0, () => 0)).toBe(850);
    expect(backoff(1, 0, () => 0.999999)).toBe(1150);
  });

  it('keeps the early rate within 30 ARM reads a minute even with the shortest jitter', () => {
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 60_000) {
      attempts++;
      elapsed += backoff(attempts, elapsed, () => 0);
    }
    expect(attempts).toBeLessThanOrEqual(30);
  });

  it('keeps the gap small enough to notice access within about 1.5 s on the median', () => {
    expect(SCHEDULE.earlyCapMs * (1 + SCHEDULE.jitter)).toBeLessThanOrEqual(3000);
  });
});

describe('retryAfterMs', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name];
  const now = Date.parse('2026-11-27T12:00:00Z');

  it.each([
    [{ 'retry-after': '7' }, 7000],
    [{ 'retry-after': 'Fri, 27 Nov 2026 12:00:05 GMT' }, 5000],
    [{ 'retry-after': 'Fri, 27 Nov 2026 11:00:00 GMT' }, 0],
    [{ 'retry-after-ms': '1500', 'retry-after': '9' }, 1500],
    [{ 'x-ms-retry-after-ms': '250' }, 250],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('reads %j as %s ms', (h, expected) => {
    expect(retryAfterMs(headers(h), now)).toBe(expected);
  });
});

describe('nextStep', () => {
  it('waits by the schedule', () => {
    expect(nextStep({ attempt: 1, elapsedMs: 0, deadlineMs: 60_000, random: middle })).toEqual({ kind: 'retry', delayMs: 1000 });
  });

  it('honours a longer hint from the service', () => {
    expect(nextStep({ attempt: 1, elapsedMs: 0, deadlineMs: 60_000, hintMs: 7000, random: middle })).toEqual({ kind: 'retry', delayMs: 7000 });
  });

  it('ends the last wait exactly at the deadline', () => {
    expect(nextStep({ attempt: 5, elapsedMs: 59_000, deadlineMs: 60_000, random: middle })).toEqual({ kind: 'retry', delayMs: 1000 });
  });

  it('stops at the deadline', () => {
    expect(nextStep({ attempt: 5, elapsedMs: 60_000, deadlineMs: 60_000, random: middle }).kind).toBe('stop');
  });

  it('stops when the service asks for more time than is left', () => {
    expect(nextStep({ attempt: 1, elapsedMs: 0, deadlineMs: 5000, hintMs: 30_000, random: middle })).toMatchObject({ kind: 'stop' });
  });

  it('stops at once with no wait timeout', () => {
    expect(nextStep({ attempt: 1, elapsedMs: 0, deadlineMs: 0, random: middle }).kind).toBe('stop');
  });
});
