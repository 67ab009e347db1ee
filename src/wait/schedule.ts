/**
 * When to look again while a role assignment propagates or a fault passes. Pure: the clock and the random
 * source are arguments, so the schedule can be tested to the millisecond.
 *
 * The numbers trade detection delay against load on ARM: gaps of about 2.6 s during the first minute (most
 * assignments land within it) keep the delay between access landing and the action noticing it under about
 * 2 s at the median, at no more than 30 ARM reads a minute even at the low end of the jitter; after that, 6 s gaps.
 */
interface Schedule {
  readonly firstDelayMs: number;
  readonly factor: number;
  readonly earlyWindowMs: number;
  readonly earlyCapMs: number;
  readonly lateCapMs: number;
  /** Each delay is spread by ± this fraction, so that parallel jobs don't poll in lockstep. */
  readonly jitter: number;
}

export const SCHEDULE: Schedule = {
  firstDelayMs: 1000,
  factor: 1.5,
  earlyWindowMs: 60_000,
  earlyCapMs: 2600,
  lateCapMs: 6000,
  jitter: 0.15,
};

/** The pause after attempt `attempt` (1-based), `elapsedMs` into the wait. `random` returns [0, 1). */
export function backoff(attempt: number, elapsedMs: number, random: () => number, schedule: Schedule = SCHEDULE): number {
  const cap = elapsedMs < schedule.earlyWindowMs ? schedule.earlyCapMs : schedule.lateCapMs;
  const base = Math.min(cap, schedule.firstDelayMs * schedule.factor ** Math.max(0, attempt - 1));
  const spread = 1 + schedule.jitter * (2 * random() - 1);
  return Math.round(base * spread);
}

type NextStep =
  | { readonly kind: 'retry'; readonly delayMs: number }
  /** `askedMs`: the service's own wait, when that is what put it beyond the deadline. */
  | { readonly kind: 'stop'; readonly reason: string; readonly askedMs?: number };

/**
 * Whether to look again, and when. Never past the deadline: a wait that would end after it is cut to end
 * exactly at it, so the last look happens at the deadline and nothing is sent after.
 */
export function nextStep(options: {
  readonly attempt: number;
  readonly elapsedMs: number;
  readonly deadlineMs: number;
  readonly hintMs?: number;
  readonly random: () => number;
  readonly schedule?: Schedule;
}): NextStep {
  const left = options.deadlineMs - options.elapsedMs;
  if (left <= 0) return { kind: 'stop', reason: 'the wait timeout has run out' };
  const delay = Math.max(backoff(options.attempt, options.elapsedMs, options.random, options.schedule), options.hintMs ?? 0);
  if (options.hintMs !== undefined && options.hintMs > left) {
    return { kind: 'stop', reason: `the service asked for ${Math.ceil(options.hintMs / 1000)} s, beyond the wait timeout`, askedMs: options.hintMs };
  }
  return { kind: 'retry', delayMs: Math.min(delay, left) };
}
