import { shortName, type ResourceId } from '../config/resource-id.js';
import type { ResourceVerdict } from '../decide/verdict.js';
import type { WaitRule } from '../decide/wait-rule.js';
import { mapLimited } from '../lib/concurrency.js';
import { nextStep } from './schedule.js';
import type { Timer } from './timer.js';

/** Resources checked at once: enough to check fifty in a few round trips, few enough to stay inside ARM's limits. */
const IN_FLIGHT = 8;

interface WaitOutcome {
  readonly verdicts: readonly ResourceVerdict[];
  /** The rule that ended each resource's wait, by resource ID. */
  readonly rules: ReadonlyMap<string, WaitRule>;
  readonly attempts: number;
  readonly waitedMs: number;
}

interface WaitOptions {
  readonly timer: Timer;
  readonly log: (line: string) => void;
  /** How long waiting can help a resource, given its latest verdict, `elapsedMs` into the wait. */
  readonly rule: (verdict: ResourceVerdict, elapsedMs: number) => WaitRule;
}

/** How long the service asked to be left alone (Retry-After), on the permissions read or the model call. */
function askedWait(verdict: ResourceVerdict): number | undefined {
  const fromArm = verdict.evidence.kind === 'refused' ? verdict.evidence.retryAfterMs : undefined;
  const fromModel = verdict.probe?.kind === 'answered' ? verdict.probe.retryAfterMs : undefined;
  return fromArm === undefined ? fromModel : fromModel === undefined ? fromArm : Math.max(fromArm, fromModel);
}

/**
 * Checks every resource, then again on the retry schedule those whose rule says waiting can still help, each
 * until its own rule's end. Nothing is started after the last of those ends.
 */
export async function waitForAccess(
  resources: readonly ResourceId[],
  check: (resource: ResourceId, attempt: number) => Promise<ResourceVerdict>,
  options: WaitOptions,
): Promise<WaitOutcome> {
  const { timer, log } = options;
  const start = timer.now();
  const latest = new Map<string, ResourceVerdict>();
  const rules = new Map<string, WaitRule>();
  let pending = [...resources];
  let attempts = 0;
  let waitedMs = 0;
  for (;;) {
    attempts++;
    const verdicts = await mapLimited(pending, IN_FLIGHT, (resource) => check(resource, attempts));
    const elapsedMs = timer.now() - start;
    const open: { verdict: ResourceVerdict; rule: WaitRule & { kind: 'wait' } }[] = [];
    for (const verdict of verdicts) {
      latest.set(verdict.resourceId, verdict);
      const rule = options.rule(verdict, elapsedMs);
      rules.set(verdict.resourceId, rule);
      if (rule.kind === 'wait' && rule.untilMs > elapsedMs) open.push({ verdict, rule });
      else if (!verdict.granted) log(`Attempt ${attempts}: ${shortName(verdict.resourceId)} ${verdict.diagnosis}; not waiting: ${rule.kind === 'stop' ? rule.reason : 'its wait has ended'}.`);
    }
    // A service's wait is for the resource it answered about: one that asked for longer than its own wait has
    // left ends now, with how long it asked, and the others keep their schedules.
    const waiting: typeof open = [];
    for (const entry of open) {
      const { verdict, rule } = entry;
      const asked = askedWait(verdict) ?? 0;
      if (asked <= rule.untilMs - elapsedMs) {
        waiting.push(entry);
        continue;
      }
      log(`Attempt ${attempts}: ${shortName(verdict.resourceId)} ${verdict.diagnosis}; not waiting: the service asked for ${Math.ceil(asked / 1000)} s, beyond the wait timeout.`);
      latest.set(verdict.resourceId, { ...verdict, facts: { ...verdict.facts, retryAfterSeconds: Math.ceil(asked / 1000) } });
      rules.set(verdict.resourceId, { kind: 'stop', reason: 'the service asked for longer than the wait has left', propagating: rule.propagating });
    }
    if (waiting.length === 0) break;

    const hints = waiting.flatMap(({ verdict }) => askedWait(verdict) ?? []);
    const deadlineMs = Math.max(...waiting.map(({ rule }) => rule.untilMs));
    const step = nextStep({
      attempt: attempts,
      elapsedMs,
      deadlineMs,
      hintMs: hints.length > 0 ? Math.max(...hints) : undefined,
      random: () => timer.random(),
    });
    const seen = waiting.map(({ verdict, rule }) => `${shortName(verdict.resourceId)} ${verdict.diagnosis} (${rule.reason})`).join('; ');
    // Every resource still waiting has time left and asked for no more than it has, so the schedule always names
    // a next check; a stop here would be the schedule's own deadline.
    if (step.kind === 'stop') {
      log(`Attempt ${attempts}: ${seen}; stopping: ${step.reason}.`);
      break;
    }
    log(`Attempt ${attempts}: ${seen}; next check in ${(step.delayMs / 1000).toFixed(1)} s, ${((deadlineMs - elapsedMs) / 1000).toFixed(0)} s left.`);
    await timer.sleep(step.delayMs);
    waitedMs += step.delayMs;
    const ids = new Set(waiting.map(({ verdict }) => verdict.resourceId));
    pending = pending.filter((resource) => ids.has(resource.id));
  }
  const verdicts = resources.map((resource) => latest.get(resource.id)).filter((v): v is ResourceVerdict => v !== undefined);
  return { verdicts, rules, attempts, waitedMs };
}
