import { propagationWindowMs } from './attribution.js';
import { rowFor } from './diagnosis.js';
import type { ResourceVerdict } from './verdict.js';

/** How long waiting can help one resource, and the rule that says so (logged with every attempt). */
export type WaitRule =
  | { readonly kind: 'stop'; readonly reason: string; readonly propagating: boolean }
  | { readonly kind: 'wait'; readonly untilMs: number; readonly reason: string; readonly propagating: boolean };

export interface WaitContext {
  /** Milliseconds since the wait began. */
  readonly elapsedMs: number;
  /** Wall-clock now, to age role assignments by their createdOn. */
  readonly nowEpochMs: number;
  readonly waitTimeoutMs: number;
  readonly waitForAssignment: boolean;
  readonly requiredDataActions: readonly string[];
}

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

/**
 * Waiting helps a transient fault for as long as the wait timeout allows. It helps a missing grant only when
 * something can still arrive: an assignment younger than its propagation window, or (with wait-for-assignment)
 * one another job is about to make. When the assignments cannot be read, nothing rules propagation out.
 */
export function waitRule(verdict: ResourceVerdict, context: WaitContext): WaitRule {
  const assignments = verdict.assignments;
  const row = rowFor(verdict.diagnosis);
  const retry = row.retry;
  if (verdict.granted || retry === 'never' || verdict.final) return { kind: 'stop', reason: 'waiting cannot change this verdict', propagating: false };
  const timeout = `the wait timeout (${seconds(context.waitTimeoutMs)})`;
  if (retry === 'transient') {
    const awaited = row.waiting?.(verdict.facts) ?? 'a transient fault may pass';
    return { kind: 'wait', untilMs: context.waitTimeoutMs, reason: `${awaited}; waiting up to ${timeout}`, propagating: false };
  }

  if (!assignments || assignments.kind === 'unreadable') {
    return { kind: 'wait', untilMs: context.waitTimeoutMs, reason: `role assignments cannot be read, so one may be taking effect; waiting up to ${timeout}`, propagating: false };
  }
  const candidates = [...assignments.granting, ...assignments.unknown];
  if (candidates.length === 0) {
    if (context.waitForAssignment) {
      return { kind: 'wait', untilMs: context.waitTimeoutMs, reason: `no role assignment grants access yet; wait-for-assignment is on, so waiting up to ${timeout}`, propagating: false };
    }
    return { kind: 'stop', reason: 'no role assignment grants the required data actions, so nothing is on its way', propagating: false };
  }
  // The youngest candidate is the one most likely still on its way. An assignment without createdOn counts as new.
  const windowEnds = candidates.map((a) => {
    const created = a.createdOn === undefined ? Number.NaN : Date.parse(a.createdOn);
    const createdAt = Number.isNaN(created) ? context.nowEpochMs : created;
    return { assignment: a, endsInMs: createdAt + propagationWindowMs(a.scope) - context.nowEpochMs };
  });
  const latest = windowEnds.reduce((a, b) => (b.endsInMs > a.endsInMs ? b : a));
  const name = `${latest.assignment.roleName} at ${latest.assignment.scope}`;
  if (latest.endsInMs <= 0) {
    return { kind: 'stop', reason: `the assignment of ${name} is older than its propagation window, so waiting longer will not help`, propagating: true };
  }
  const untilMs = Math.min(context.waitTimeoutMs, context.elapsedMs + latest.endsInMs);
  const capped = untilMs === context.waitTimeoutMs ? `, capped by ${timeout}` : '';
  return {
    kind: 'wait',
    untilMs,
    reason: `the assignment of ${name} may still be taking effect (its window ends in ${seconds(latest.endsInMs)}${capped})`,
    propagating: true,
  };
}

/**
 * The verdict once waiting is over: a denial while a granting assignment exists is that assignment not having
 * taken effect in time, which is a different fix from having no role at all.
 */
export function settle(verdict: ResourceVerdict, rule: WaitRule | undefined): ResourceVerdict {
  if (verdict.granted || !rule?.propagating || rowFor(verdict.diagnosis).retry !== 'propagation') return verdict;
  return { ...verdict, diagnosis: 'propagation-timeout' };
}
