import { checkDataActions, permissionShape, type ActionCheck, type Permission } from './permissions.js';
import type { AssignmentsEvidence } from './attribution.js';
import { probeProves } from './endpoint.js';
import { rowFor, type DiagnosisCode, type Facts } from './diagnosis.js';
import { classifyArmRefusal, classifyArmUnusable } from './planes/arm.js';
import { classifyProbe, type ProbeEvidence } from './planes/data-plane.js';
import type { Classified, TransportKind } from './planes/transport.js';

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
  | { readonly kind: 'unusable'; readonly reason: string; readonly transport?: TransportKind };

export type { ProbeEvidence } from './planes/data-plane.js';

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
  /** This answer will not pass with time, though its row usually does (see Classified.final). */
  readonly final?: boolean;
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
  if (evidence.kind !== 'read') {
    const classified: Classified = evidence.kind === 'refused' ? classifyArmRefusal(evidence) : classifyArmUnusable(evidence.reason, evidence.transport);
    return {
      resourceId: base.resourceId ?? '',
      granted: false,
      diagnosis: classified.diagnosis,
      facts: { ...facts, ...classified.facts },
      checks: [],
      evidence,
      assignments,
      ...(classified.final ? { final: true } : {}),
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
    },
    checks,
    evidence,
    assignments,
  };
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
  const data = classifyProbe(probe);
  const withProbe = (diagnosis: DiagnosisCode, facts: Facts = control.facts): ResourceVerdict => ({
    ...control,
    granted: diagnosis === 'ok',
    diagnosis,
    facts: { ...facts, ...data.facts, resourceId: control.resourceId },
    probe,
    ...(data.final && diagnosis === data.diagnosis ? { final: true } : {}),
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
