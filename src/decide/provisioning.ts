/**
 * ARM provisioning states, read one way for every resource that has one (a Cognitive Services account, a model
 * deployment): normalised, classified and shown here; what each caller does with a class is its own policy.
 */
import { displayText } from './chain.js';

/**
 * How a provisioning state is classed. The Cognitive Services REST spec (2024-10-01) lists, for accounts, Accepted,
 * Creating, Deleting, Moving, Failed, Succeeded and ResolvingDNS, and for deployments Accepted, Creating, Succeeded,
 * Failed, Deleting, Moving, Canceled and Disabled; ARM's resource-provider contract adds Updating, Canceled and
 * Deleted as states any resource may pass through. All are string enums that may grow.
 */
export type ProvisioningClass =
  /** Provisioned. */
  | 'succeeded'
  /** On its way: time cures it. */
  | 'in-progress'
  /** Final for this operation: a failed or canceled change, a deletion, a disabled resource. A person must act. */
  | 'ended'
  /** Not a state listed here (or not a short string at all): not known to be ready, not known to be final. */
  | 'unknown';

export interface ProvisioningState {
  readonly class: ProvisioningClass;
  /** A listed state in the spec's spelling; otherwise what ARM said, made safe to show, or what kind of value it was. */
  readonly state: string;
}

/** A value where a provisioning state belongs that is not a short string: kept as what it was, never as a state. */
export interface MalformedState {
  readonly malformed: string;
}

const IN_PROGRESS = ['Accepted', 'Creating', 'Updating', 'Moving', 'ResolvingDNS'] as const;
const ENDED = ['Failed', 'Canceled', 'Deleting', 'Deleted', 'Disabled'] as const;
/** An unlisted state is shown, never trusted: one short line of plain characters, the rest replaced. */
const MAX_SHOWN_STATE = 40;

/** A state as ARM wrote it (or a value that was not one), classed. Absence is the caller's to interpret. */
export function classifyProvisioning(state: string | MalformedState): ProvisioningState {
  if (typeof state !== 'string') return { class: 'unknown', state: `not a state (${state.malformed})` };
  const trimmed = state.trim();
  // Compared case-insensitively, named in the spec's spelling: ARM echoes enum values as they were written.
  const same = (known: string): boolean => known.toLowerCase() === trimmed.toLowerCase();
  if (same('Succeeded')) return { class: 'succeeded', state: 'Succeeded' };
  const moving = IN_PROGRESS.find(same);
  if (moving) return { class: 'in-progress', state: moving };
  const ended = ENDED.find(same);
  if (ended) return { class: 'ended', state: ended };
  if (trimmed === '') return { class: 'unknown', state: 'blank' };
  // Odd characters are replaced before the text is capped, so what is shown never reads as a listed state: classing
  // the shown text gives the class of what ARM said (the report's text is classed again, in diagnosis.ts).
  return { class: 'unknown', state: displayText(trimmed.replace(/[^A-Za-z0-9 ._-]/g, '?'), MAX_SHOWN_STATE) };
}

/** What a value that is not a short string is, in a few words. */
export function malformedState(value: unknown, maxChars: number): MalformedState {
  if (typeof value === 'string') return { malformed: `a string of more than ${maxChars} characters` };
  if (Array.isArray(value)) return { malformed: 'a list' };
  return { malformed: typeof value === 'object' ? 'an object' : `a ${typeof value}` };
}

/**
 * How long after a resource last changed it may still be settling. A new deployment is served some minutes after ARM
 * has it (the service's own message speaks of 5); a new account's create has been seen to end `Failed` and then
 * become `Succeeded` (Azure/azure-rest-api-specs#20335). Three times those 5 minutes leaves room for a busy region;
 * past it, waiting longer will not help.
 */
export const RECENT_CHANGE_WINDOW_MS = 15 * 60_000;

/** How long ago a resource changed (`changedAt`, ISO 8601) as of `nowMs`, or undefined when ARM did not say. */
export function changeAgeMs(changedAt: string | undefined, nowMs: number | undefined): number | undefined {
  const changed = changedAt === undefined ? Number.NaN : Date.parse(changedAt);
  return Number.isNaN(changed) || nowMs === undefined ? undefined : nowMs - changed;
}

/** Whether a change this long ago is recent enough that the resource may still be settling. */
export const changedRecently = (ageMs: number): boolean => ageMs <= RECENT_CHANGE_WINDOW_MS;
