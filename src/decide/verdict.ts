import { checkDataActions, permissionShape, type ActionCheck, type Permission } from './permissions.js';
import { attributed, grantingElsewhere, type AssignmentsEvidence, type AttributedAssignments } from './attribution.js';
import { endpointOfAccount, probeProves } from './endpoint.js';
import { rowFor, type DiagnosisCode, type Facts } from './diagnosis.js';
import { classifyArmFailure, type ArmFailure } from './planes/arm.js';
import { callProvesAccess, classifyProbe, saysModelUnknown, type ProbeEvidence } from './planes/data-plane.js';
import { withDeployments, type DeploymentsEvidence } from './deployments.js';
import { timeCures } from './planes/transport.js';
import { readiness as readinessOf, type AccountEvidence, type NetworkAccess, type Readiness, type UnreadAccount } from './readiness.js';
import { denialsFor, type Denial, type DenyEvidence } from './deny.js';

/** What Azure Resource Manager said when asked for the identity's permissions on one resource. */
export type PermissionsEvidence = { readonly kind: 'read'; readonly permissions: readonly Permission[] } | ArmFailure;

export type { ProbeEvidence } from './planes/data-plane.js';

export interface ResourceVerdict {
  readonly resourceId: string;
  readonly granted: boolean;
  readonly diagnosis: DiagnosisCode;
  readonly facts: Facts;
  readonly checks: readonly ActionCheck[];
  readonly evidence: PermissionsEvidence;
  /** Role assignments, each marked granting or not: they explain and time the wait, they never change the verdict. */
  readonly assignments?: AttributedAssignments;
  readonly probe?: ProbeEvidence;
  /** This answer will not pass with time, though its row usually does (see Classified.final). */
  readonly final?: boolean;
  /** The resource's own readiness for keyless calls (custom subdomain, network, keys), when its account was asked. */
  readonly readiness?: Readiness;
  /** Deny assignments at the resource or above that block a required action, or why they could not be read. */
  readonly denials?: { readonly kind: 'read'; readonly blocking: readonly Denial[] } | { readonly kind: 'unreadable'; readonly reason: string };
}

function diagnoseChecks(checks: readonly ActionCheck[], permissions: readonly Permission[]): DiagnosisCode {
  if (checks.length > 0 && checks.every((c) => c.granted)) return 'ok';
  // Granted only under an ABAC condition that cannot be evaluated here: never plain ok.
  if (checks.length > 0 && checks.every((c) => c.granted || c.onlyIf !== undefined)) return 'conditional-grant';
  if (checks.some((c) => c.granted || c.excludedBy.length > 0 || c.onlyIf !== undefined)) return 'partial-data-actions';
  switch (permissionShape(permissions)) {
    case 'openai-only':
      return 'openai-role-only';
    case 'management-only':
      return 'control-plane-role-only';
    default:
      return 'role-missing';
  }
}

/**
 * The verdict for one resource. Fails closed: only a permissions list that grants every required data action is
 * `granted`; every other answer, however it failed, is denied or an error with its row of the table.
 */
function decideFromPermissions(
  resourceId: string,
  required: readonly string[],
  evidence: PermissionsEvidence,
  base: Facts,
  assignments?: AssignmentsEvidence,
): ResourceVerdict {
  const facts: Facts = { ...base, requiredDataActions: required };
  const sorted = attributed(assignments, required);
  if (evidence.kind !== 'read') {
    const classified = classifyArmFailure(evidence);
    return {
      resourceId,
      granted: false,
      diagnosis: classified.diagnosis,
      facts: { ...facts, ...classified.facts },
      checks: [],
      evidence,
      assignments: sorted,
      ...(classified.final ? { final: true } : {}),
    };
  }
  const checks = checkDataActions(required, evidence.permissions);
  const diagnosis = diagnoseChecks(checks, evidence.permissions);
  return {
    resourceId,
    granted: diagnosis === 'ok',
    diagnosis,
    facts: {
      ...facts,
      missingDataActions: checks.filter((c) => !c.granted).map((c) => c.action),
      excludedBy: [...new Set(checks.flatMap((c) => c.excludedBy))],
      assignedElsewhere: diagnosis === 'ok' ? [] : grantingElsewhere(assignments, required),
      conditions: [...new Set(checks.flatMap((c) => (c.onlyIf !== undefined ? [c.onlyIf] : [])))],
    },
    checks,
    evidence,
    assignments: sorted,
  };
}

/**
 * The verdict on access from the permissions and the model call. Fails closed: granted needs the permissions to grant
 * every required data action (and, when the model is probed, the model to answer), or, where the permissions
 * cannot be read, a model answer that proves every required action. A data-plane denial overrules a
 * control-plane grant: the data plane caches role assignments longer.
 */
function decideAccess(
  resourceId: string,
  required: readonly string[],
  evidence: PermissionsEvidence,
  base: Facts,
  assignments: AssignmentsEvidence | undefined,
  probe: ProbeEvidence | undefined,
  reached: boolean,
  deployments: DeploymentsEvidence | undefined,
): ResourceVerdict {
  const control = decideFromPermissions(resourceId, required, evidence, base, assignments);
  if (probe === undefined) return control;
  const data = withDeployments(classifyProbe(probe), base.model, deployments);
  const withProbe = (diagnosis: DiagnosisCode, facts: Facts = control.facts): ResourceVerdict => ({
    ...control,
    granted: diagnosis === 'ok',
    diagnosis,
    facts: { ...facts, ...data.facts, resourceId: control.resourceId },
    probe,
    ...(data.final && diagnosis === data.diagnosis ? { final: true } : {}),
  });
  if (control.diagnosis === 'ok') return withProbe(data.diagnosis);
  if (control.diagnosis === 'conditional-grant') {
    // A model call that succeeds shows the condition held for this runner's call; it proves only what it exercises.
    if (reached && callProvesAccess(probe) && data.diagnosis === 'ok' && required.length > 0 && required.every(probeProves)) return withProbe('ok');
    return { ...control, probe };
  }
  if (control.diagnosis === 'cannot-verify') {
    // Only a call that reached this account stands in for its permissions, whatever it answered.
    if (probe.kind === 'answered' && !reached) return { ...control, probe };
    if (data.diagnosis === 'ok') return withProbe(callProvesAccess(probe) && required.length > 0 && required.every(probeProves) ? 'ok' : 'cannot-verify');
    if (data.diagnosis === 'data-plane-denied') return withProbe('role-missing', { ...control.facts, missingDataActions: data.facts.missingDataActions ?? required });
    return withProbe(data.diagnosis);
  }
  // A denial or an error of the control plane stands; the probe's answer is kept as evidence.
  return { ...control, probe };
}

/**
 * The verdict for one resource from everything gathered: access first, then the resource's own readiness, then
 * deny assignments, which overrule everything.
 *
 * Readiness overrides only a verdict that roles alone would grant (or could not judge): an account that is not
 * provisioned serves no calls, and a resource without a custom subdomain refuses every Entra ID token, whatever
 * the roles. Network rules refuse callers from outside the allowed networks: with them in place, only a model call
 * that got through from this runner proves access, so without one (or when it answered 403) the verdict is
 * `network-blocked`. The verdict is about calls from where the check runs. Keys left enabled never change the verdict.
 */
export function decideResource(gathered: Gathered): ResourceVerdict {
  const { resourceId, required, permissions, facts, assignments, probe, account, denies, deployments } = gathered;
  const reached = probeReached(probe, account);
  // The account's deployments explain a model the call named unknown, and only for a call that reached this account.
  const explaining = deploymentsCanMatter(probe, account) ? deployments : undefined;
  const access = decideAccess(resourceId, required, permissions, { ...facts, resourceId }, assignments, probe, reached, explaining);
  return withDenials(withReadiness(access, permissions, probe, account, reached), required, denies);
}

/**
 * Whether the account's deployments are worth reading: the model call named the model unknown, and it was a call to
 * this account (a call elsewhere is not explained by this account's deployments). Read for no other answer, so a
 * granted run makes no such read.
 */
export function deploymentsCanMatter(probe: ProbeEvidence | undefined, account: AccountEvidence | undefined): boolean {
  return saysModelUnknown(probe) && probeReached(probe, account);
}

/**
 * Whether the model call reached the checked account: its endpoint is one the account lists. An `endpoint` input
 * may name another account's host; a call there proves nothing here, and with the account unread nothing ties it.
 */
function probeReached(probe: ProbeEvidence | undefined, account: AccountEvidence | undefined): boolean {
  if (probe?.kind !== 'answered' || account?.kind !== 'read') return false;
  return endpointOfAccount(probe.endpoint, account.settings.endpoints ?? []);
}

/** Everything gathered about one resource: the verdict's key, what is required, and each service's answer. */
export interface Gathered {
  readonly resourceId: string;
  readonly required: readonly string[];
  readonly permissions: PermissionsEvidence;
  /** What the run knows beside the evidence (identity, inputs), for the messages. */
  readonly facts?: Facts;
  readonly assignments?: AssignmentsEvidence;
  readonly probe?: ProbeEvidence;
  readonly account?: AccountEvidence;
  readonly denies?: DenyEvidence;
  /** The account's deployments, read only when the model call named the model unknown. */
  readonly deployments?: DeploymentsEvidence;
}

/**
 * Whether an account that could not be read is worth reading again, given these permissions: when the roles grant
 * every required action (outright or under a condition), its settings could turn the verdict. When the permissions
 * could not be read either, only if the account's own failure is one time cures (a throttle, ARM's trouble): an
 * account that refused the identity refuses it until a role changes, which the next permissions read will show.
 * Otherwise the verdict is a denial whatever the account says.
 */
export function readinessCanMatter(required: readonly string[], permissions: PermissionsEvidence, account: UnreadAccount): boolean {
  if (permissions.kind !== 'read') return account.failure === undefined || timeCures(classifyArmFailure(account.failure));
  const checks = checkDataActions(required, permissions.permissions);
  return checks.length > 0 && checks.every((c) => c.granted || c.onlyIf !== undefined);
}

/** A deny assignment overrides every grant: whatever the roles, the account and the model call said, access is denied. */
function withDenials(verdict: ResourceVerdict, required: readonly string[], denies: DenyEvidence | undefined): ResourceVerdict {
  if (denies === undefined) return verdict;
  if (denies.kind === 'unreadable') return { ...verdict, denials: denies };
  const blocking = denialsFor(required, denies.denyAssignments, verdict.facts.principalId ?? '', verdict.resourceId);
  if (blocking.length === 0) return { ...verdict, denials: { kind: 'read', blocking } };
  return {
    ...verdict,
    granted: false,
    diagnosis: 'deny-assignment',
    facts: { ...verdict.facts, denyAssignments: blocking.map((d) => `${d.name} (at ${d.scope}, blocks ${d.blocks.join(', ')})`) },
    denials: { kind: 'read', blocking },
  };
}

function withReadiness(
  access: ResourceVerdict,
  evidence: PermissionsEvidence,
  probe: ProbeEvidence | undefined,
  account: AccountEvidence | undefined,
  reached: boolean,
): ResourceVerdict {
  if (account === undefined) return access;
  const ready = readinessOf(account);
  const verdict: ResourceVerdict = { ...access, readiness: ready };
  if (ready.kind === 'unknown') return verdict;
  const rolesAllow = access.granted || access.diagnosis === 'cannot-verify' || (evidence.kind === 'read' && access.checks.length > 0 && access.checks.every((c) => c.granted));
  if (!rolesAllow) return verdict;
  const blocked = (diagnosis: DiagnosisCode, facts: Facts = verdict.facts): ResourceVerdict => ({ ...verdict, granted: false, diagnosis, facts });
  // An account that is not provisioned serves nothing, and its other settings may still be on their way, so this
  // comes first. A transitional state passes with time (whatever made the calls fail meanwhile); a failed or
  // deleting account does not.
  const state = ready.provisioning;
  if (state.kind !== 'succeeded') {
    return { ...blocked('account-not-ready', { ...verdict.facts, provisioningState: state.state }), final: state.kind === 'ended' && !state.settling };
  }
  if (ready.customSubDomain === undefined) return blocked('custom-subdomain-missing');
  if (ready.network.kind !== 'open') {
    const facts = { ...verdict.facts, networkRestriction: describeNetwork(ready.network) };
    const answered = probe?.kind === 'answered' ? probe.status : undefined;
    if (reached && answered !== undefined && answered >= 200 && answered < 300) return { ...verdict, facts };
    // A call that went elsewhere is as good as none.
    if (probe === undefined || answered === 403 || (answered !== undefined && !reached)) return blocked('network-blocked', facts);
    return { ...verdict, facts };
  }
  return verdict;
}

function describeNetwork(network: NetworkAccess): string {
  if (network.kind === 'private-only') return 'private endpoints (public network access is disabled)';
  if (network.kind === 'selected-networks') {
    const ips = network.ipRules.length > 0 ? `the IP ranges ${network.ipRules.slice(0, 5).map((ip) => `\`${ip}\``).join(', ')}${network.ipRules.length > 5 ? ', …' : ''}` : 'no IP range';
    return `selected networks (${ips}; ${network.virtualNetworkRules} virtual network rule${network.virtualNetworkRules === 1 ? '' : 's'}) and private endpoints`;
  }
  return 'any network';
}

const SEVERITY: Record<'granted' | 'denied' | 'error', number> = { granted: 0, denied: 1, error: 2 };

/** The run's verdict: granted only when every resource is; otherwise the most serious resource's diagnosis. */
export function overallDiagnosis(verdicts: readonly ResourceVerdict[]): DiagnosisCode {
  let worst: DiagnosisCode = verdicts.length > 0 ? 'ok' : 'cannot-verify';
  for (const verdict of verdicts) {
    if (SEVERITY[rowFor(verdict.diagnosis).outcome] > SEVERITY[rowFor(worst).outcome]) worst = verdict.diagnosis;
  }
  return worst;
}
