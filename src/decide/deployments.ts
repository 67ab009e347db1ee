/**
 * A model the endpoint calls unknown is either a deployment Azure is still bringing up, which time cures, or a name
 * nothing answers to, which it does not. Azure Resource Manager's list of the account's deployments
 * (`…/accounts/{name}/deployments`) tells the two apart; it is read only after the model call said so.
 */
import { displayText } from './chain.js';
import { changeAgeMs, changedRecently, classifyProvisioning } from './provisioning.js';
import type { Facts } from './diagnosis.js';
import { classifyArmFailure, type ArmFailure } from './planes/arm.js';
import { timeCures, type Classified } from './planes/transport.js';

/** One deployment as ARM lists it: the name the endpoint routes by (the `model` of a call), and its progress. */
export interface Deployment {
  readonly name: string;
  /** `properties.provisioningState`, as ARM wrote it (classed in provisioning.ts). */
  readonly provisioningState?: string;
  /** The later of `systemData.createdAt` and `systemData.lastModifiedAt`, when ARM stated them. */
  readonly changedAt?: string;
}

/** What reading the account's deployments gave: the list, when it was read, or why it could not be had. */
export type DeploymentsEvidence =
  | { readonly kind: 'read'; readonly deployments: readonly Deployment[]; readonly readAtMs: number }
  /** `failure`: what ARM answered or how the read failed; absent when the run's time ran out first. */
  | { readonly kind: 'unreadable'; readonly reason: string; readonly failure?: ArmFailure };

/**
 * Whether a deployment in this provisioning state may be on its way to being served: the endpoint picks a deployment
 * up some time after ARM has it, even once it has Succeeded ("If you created the deployment within the last 5
 * minutes, please wait a moment and try again"), so Succeeded counts as on its way too, within the recent window.
 * Only an ended state (Failed, Canceled, Deleting, Deleted, Disabled) rules the wait out. A state not listed, or none
 * stated, is not known to be final, so it is waited for like a listed one, as an account's is (readiness.ts): the
 * recent window and the run's deadline still bound the wait.
 */
export function onItsWay(state: string | undefined): boolean {
  return state === undefined || classifyProvisioning(state).class !== 'ended';
}

/** How many of the account's deployment names a message shows, and how much of each: service text is capped. */
const MAX_LISTED = 10;
const MAX_NAME = 64;

const shown = (name: string): string => displayText(name, MAX_NAME);

/**
 * A read that failed in a way time may cure (ARM throttling or in trouble, a connection lost): what it means, so the
 * wait asks again. A list that came back unusable (malformed, paged elsewhere, endless) comes back so next time.
 */
function curedByTime(failure: ArmFailure | undefined): Classified | undefined {
  if (failure === undefined || (failure.kind === 'unusable' && failure.transport === undefined)) return undefined;
  const classified = classifyArmFailure(failure);
  return timeCures(classified) ? classified : undefined;
}

/**
 * The model call's "unknown model", read against the account's deployments. Listed under exactly the name called:
 * `deployment-not-served`, waited for while the deployment is on its way and young (or of unknown age), reported at
 * once otherwise. Not listed: `model-not-found` as before, naming the deployments that do exist (and the one that
 * differs only in case). Not readable: `model-not-found` as before, saying the deployments could not be read.
 */
export function withDeployments(classified: Classified, model: string | undefined, evidence: DeploymentsEvidence | undefined): Classified {
  if (classified.diagnosis !== 'model-not-found' || evidence === undefined || model === undefined) return classified;
  const facts = classified.facts;
  if (evidence.kind === 'unreadable') {
    const transient = curedByTime(evidence.failure);
    const unread = { deploymentsUnread: displayText(evidence.reason) };
    return transient ? { diagnosis: transient.diagnosis, facts: { ...facts, ...transient.facts, ...unread } } : { ...classified, facts: { ...facts, ...unread } };
  }

  // ARM names each deployment once; should a list name one twice, the entry still on its way is the one to wait for.
  const named = evidence.deployments.filter((d) => d.name === model);
  const exact = named.find((d) => onItsWay(d.provisioningState)) ?? named[0];
  if (exact === undefined) {
    const similar = evidence.deployments.find((d) => d.name.toLowerCase() === model.toLowerCase());
    const names = evidence.deployments.map((d) => shown(d.name));
    return {
      ...classified,
      facts: {
        ...facts,
        deploymentsListed: names.slice(0, MAX_LISTED),
        ...(names.length > MAX_LISTED ? { deploymentsNotShown: names.length - MAX_LISTED } : {}),
        ...(similar ? { similarDeployment: shown(similar.name) } : {}),
      },
    };
  }

  const state = exact.provisioningState === undefined ? undefined : classifyProvisioning(exact.provisioningState);
  const notServed: Facts = { ...facts, deploymentState: state?.state ?? 'not stated' };
  if (state?.class === 'ended') return { diagnosis: 'deployment-not-served', facts: notServed, final: true };
  const ageMs = changeAgeMs(exact.changedAt, evidence.readAtMs);
  // A deployment of unknown age counts as new: only its stated age can rule the wait out.
  if (ageMs !== undefined && !changedRecently(ageMs)) {
    return { diagnosis: 'deployment-not-served', facts: { ...notServed, deploymentAgeMinutes: Math.floor(ageMs / 60_000) }, final: true };
  }
  return { diagnosis: 'deployment-not-served', facts: notServed };
}
