import { checkDataActions, permissionShape, type ActionCheck, type Permission } from './permissions.js';
import type { AssignmentsEvidence } from './attribution.js';
import { probeProves } from './endpoint.js';
import { rowFor, type DiagnosisCode, type Facts } from './diagnosis.js';

/** What Azure Resource Manager said when asked for the identity's permissions on one resource. */
export type PermissionsEvidence =
  | { readonly kind: 'read'; readonly permissions: readonly Permission[] }
  /** An HTTP answer other than 200, with ARM's error code and message when the body had them. */
  | {
      readonly kind: 'refused';
      readonly status: number;
      readonly code?: string;
      readonly message?: string;
      /** How long the service asked the caller to wait (Retry-After), when it said. */
      readonly retryAfterMs?: number;
    }
  /** No usable answer: a transport failure, a timeout, or a body that could not be trusted. */
  | { readonly kind: 'unusable'; readonly reason: string };

/** What the model endpoint said when called (only with the `model` input). */
export type ProbeEvidence =
  | { readonly kind: 'no-endpoint'; readonly reason: string }
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly code?: string;
      readonly message?: string;
      readonly retryAfterMs?: number;
      readonly endpoint: string;
      /** The `aud` of the token presented, to compare with the scope the service expects. */
      readonly tokenAudience?: string;
    }
  | { readonly kind: 'unusable'; readonly reason: string };

export interface ResourceVerdict {
  readonly resourceId: string;
  readonly granted: boolean;
  readonly diagnosis: DiagnosisCode;
  readonly facts: Facts;
  readonly checks: readonly ActionCheck[];
  readonly evidence: PermissionsEvidence;
  /** Role assignments, for attribution only: they never change the verdict. */
  readonly assignments?: AssignmentsEvidence;
  readonly probe?: ProbeEvidence;
}

const NOT_FOUND_CODES = new Set(['resourcenotfound', 'resourcegroupnotfound', 'subscriptionnotfound', 'invalidresourceid', 'parentresourcenotfound']);

function diagnoseRefusal(status: number, code: string | undefined): DiagnosisCode {
  if (status === 404 || (status === 400 && NOT_FOUND_CODES.has((code ?? '').toLowerCase()))) return 'resource-not-found';
  if (status === 401) return 'token-rejected';
  if (status === 403) return 'cannot-verify';
  if (status === 429) return 'throttled';
  return 'service-unavailable';
}

function diagnoseChecks(checks: readonly ActionCheck[], permissions: readonly Permission[]): DiagnosisCode {
  if (checks.length > 0 && checks.every((c) => c.granted)) return 'ok';
  if (checks.some((c) => c.granted || c.excludedBy.length > 0)) return 'partial-data-actions';
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
  required: readonly string[],
  evidence: PermissionsEvidence,
  base: Facts,
  assignments?: AssignmentsEvidence,
): ResourceVerdict {
  const facts: Facts = { ...base, requiredDataActions: required };
  if (evidence.kind === 'refused') {
    const diagnosis = diagnoseRefusal(evidence.status, evidence.code);
    return {
      resourceId: base.resourceId ?? '',
      granted: false,
      diagnosis,
      facts: { ...facts, httpStatus: evidence.status, serviceCode: evidence.code, serviceMessage: evidence.message },
      checks: [],
      evidence,
      assignments,
    };
  }
  if (evidence.kind === 'unusable') {
    return {
      resourceId: base.resourceId ?? '',
      granted: false,
      diagnosis: 'service-unavailable',
      facts: { ...facts, serviceMessage: evidence.reason },
      checks: [],
      evidence,
      assignments,
    };
  }
  const checks = checkDataActions(required, evidence.permissions);
  const diagnosis = diagnoseChecks(checks, evidence.permissions);
  return {
    resourceId: base.resourceId ?? '',
    granted: diagnosis === 'ok',
    diagnosis,
    facts: {
      ...facts,
      missingDataActions: checks.filter((c) => !c.granted).map((c) => c.action),
      excludedBy: [...new Set(checks.flatMap((c) => c.excludedBy))],
      grantedBy: [...new Set(checks.flatMap((c) => (c.grantedBy ? [c.grantedBy] : [])))],
    },
    checks,
    evidence,
    assignments,
  };
}

const DENIED_MESSAGE = /does not have access|lacks the required data action/i;

/** What the model endpoint's answer means, on its own. */
export function diagnoseProbe(probe: ProbeEvidence): { diagnosis: DiagnosisCode; facts: Facts } {
  if (probe.kind === 'no-endpoint') return { diagnosis: 'endpoint-unknown', facts: { serviceMessage: probe.reason } };
  if (probe.kind === 'unusable') return { diagnosis: 'service-unavailable', facts: { serviceMessage: probe.reason } };
  const facts: Facts = { httpStatus: probe.status, serviceCode: probe.code, serviceMessage: probe.message, audience: probe.tokenAudience, endpoint: probe.endpoint };
  if (probe.status >= 200 && probe.status < 300) return { diagnosis: 'ok', facts };
  if ((probe.status === 401 || probe.status === 403) && (probe.code === 'PermissionDenied' || DENIED_MESSAGE.test(probe.message ?? ''))) {
    // The newer message names the data action that was missing.
    const action = /required data action `([^`]+)`/.exec(probe.message ?? '')?.[1];
    return { diagnosis: 'data-plane-denied', facts: action ? { ...facts, missingDataActions: [action] } : facts };
  }
  if (probe.status === 401) return { diagnosis: 'token-rejected', facts };
  if (probe.status === 404) return { diagnosis: 'model-not-found', facts };
  if (probe.status === 429) return { diagnosis: 'throttled', facts };
  return { diagnosis: 'service-unavailable', facts };
}

/**
 * The verdict for one resource from everything gathered. Fails closed: granted needs the permissions to grant
 * every required data action (and, when the model is probed, the model to answer), or, where the permissions
 * cannot be read, a model answer that proves every required action. A data-plane denial overrules a
 * control-plane grant: the data plane caches role assignments longer.
 */
export function decideResource(
  required: readonly string[],
  evidence: PermissionsEvidence,
  base: Facts,
  assignments?: AssignmentsEvidence,
  probe?: ProbeEvidence,
): ResourceVerdict {
  const control = decideFromPermissions(required, evidence, base, assignments);
  if (probe === undefined) return control;
  const data = diagnoseProbe(probe);
  const withProbe = (diagnosis: DiagnosisCode, facts: Facts = control.facts): ResourceVerdict => ({
    ...control,
    granted: diagnosis === 'ok',
    diagnosis,
    facts: { ...facts, ...data.facts, resourceId: control.resourceId },
    probe,
  });
  if (control.diagnosis === 'ok') return withProbe(data.diagnosis);
  if (control.diagnosis === 'cannot-verify') {
    if (data.diagnosis === 'ok') return withProbe(required.length > 0 && required.every(probeProves) ? 'ok' : 'cannot-verify');
    if (data.diagnosis === 'data-plane-denied') return withProbe('role-missing', { ...control.facts, missingDataActions: data.facts.missingDataActions ?? required });
    return withProbe(data.diagnosis);
  }
  // A denial or an error of the control plane stands; the probe's answer is kept as evidence.
  return { ...control, probe };
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
