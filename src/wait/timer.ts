import type { Budget } from '../lib/budget.js';

/** The clock, the sleep and the random source of every wait: arguments, so waits can be tested without time passing. */
export interface Timer {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

/** The run's own timer: its sleeps wake the moment the run's budget runs out. */
export function budgetTimer(budget: Budget): Timer {
  return { now: () => performance.now(), sleep: (ms) => budget.sleep(ms), random: Math.random };
}
