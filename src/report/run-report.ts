import type { Config, InputProblem } from '../config/inputs.js';
import { rowFor, type DiagnosisCode, type Facts, type Outcome, type Presented } from '../decide/diagnosis.js';
import { grantingRoleNames } from '../decide/attribution.js';
import { overallDiagnosis, type ResourceVerdict } from '../decide/verdict.js';

/** Everything a run found: the one value the outputs, the summary, the annotations and the CLI are rendered from. */
export interface RunReport {
  readonly granted: boolean;
  readonly diagnosis: DiagnosisCode;
  readonly outcome: Outcome;
  /** Facts for a failure that happened before any resource was checked (inputs, GitHub token, sign-in). */
  readonly facts: Facts;
  readonly principalId?: string;
  readonly presented?: Presented;
  readonly resources: readonly ResourceVerdict[];
  readonly roles: readonly string[];
  readonly attempts: number;
  readonly waitedSeconds: number;
  /** When the evidence was last gathered (epoch ms), to tell how old a fresh role assignment is. */
  readonly checkedAtMs?: number;
}

export function invalidInputReport(problems: readonly InputProblem[]): RunReport {
  return failedReport('invalid-input', { inputProblems: problems });
}

/** A run that stopped before it could look at any resource: every resource shares the one diagnosis. */
export function failedReport(diagnosis: DiagnosisCode, facts: Facts, presented?: Presented, attempts = 0): RunReport {
  return {
    granted: false,
    diagnosis,
    outcome: rowFor(diagnosis).outcome,
    facts,
    presented,
    resources: [],
    roles: [],
    attempts,
    waitedSeconds: 0,
  };
}

export function checkedReport(
  config: Config,
  verdicts: readonly ResourceVerdict[],
  principalId: string,
  presented: Presented | undefined,
  attempts: number,
  waitedSeconds: number,
  checkedAtMs?: number,
): RunReport {
  const diagnosis = overallDiagnosis(verdicts);
  return {
    granted: verdicts.length === config.resources.length && verdicts.every((v) => v.granted),
    diagnosis,
    outcome: rowFor(diagnosis).outcome,
    facts: { clientId: config.clientId, tenantId: config.tenantId, principalId },
    principalId,
    presented,
    resources: verdicts,
    roles: grantingRoleNames(verdicts.map((v) => v.assignments)),
    attempts,
    waitedSeconds,
    checkedAtMs,
  };
}

/** The `report` output: one entry per resource, stable field names for scripts to read with jq or fromJSON(). */
export function reportJson(report: RunReport): string {
  return JSON.stringify({
    granted: report.granted,
    diagnosis: report.diagnosis,
    principalId: report.principalId ?? null,
    subject: report.presented?.subject ?? null,
    attempts: report.attempts,
    waitedSeconds: report.waitedSeconds,
    resources: report.resources.map((r) => ({
      resourceId: r.resourceId,
      granted: r.granted,
      diagnosis: r.diagnosis,
      missingDataActions: r.facts.missingDataActions ?? [],
      evidence: {
        permissions:
          r.evidence.kind === 'read'
            ? {
                status: 'read',
                entries: r.evidence.permissions.length,
                grantedBy: r.checks.filter((c) => c.granted).map((c) => ({ action: c.action, pattern: c.grantedBy })),
                conditional: r.checks.flatMap((c) => (c.onlyIf === undefined ? [] : [{ action: c.action, pattern: c.grantedBy, condition: c.onlyIf }])),
                excludedBy: r.facts.excludedBy ?? [],
              }
            : r.evidence.kind === 'refused'
              ? { status: 'refused', httpStatus: r.evidence.status, code: r.evidence.code ?? null }
              : { status: 'unusable', reason: r.evidence.reason },
        account:
          r.readiness === undefined
            ? null
            : r.readiness.kind === 'unknown'
              ? { status: 'unreadable', reason: r.readiness.reason }
              : {
                  status: 'read',
                  // Succeeded for an account that serves calls (or whose answer names no state); otherwise as decided.
                  provisioningState: r.readiness.provisioning.kind === 'succeeded' ? 'Succeeded' : r.readiness.provisioning.state,
                  customSubDomain: r.readiness.customSubDomain ?? null,
                  network: r.readiness.network,
                  keylessEnforced: r.readiness.keylessEnforced,
                },
        denyAssignments:
          r.denials === undefined
            ? null
            : r.denials.kind === 'unreadable'
              ? { status: 'unreadable', reason: r.denials.reason }
              : { status: 'read', blocking: r.denials.blocking },
        dataPlane:
          r.probe === undefined
            ? null
            : r.probe.kind === 'answered'
              ? { status: 'answered', httpStatus: r.probe.status, code: r.probe.code ?? null, endpoint: r.probe.endpoint }
              : r.probe.kind === 'token-failed'
                ? { status: r.probe.kind, reason: r.probe.answer.description, entraCode: r.probe.answer.entraCode ?? null }
                : { status: r.probe.kind, reason: r.probe.reason },
        assignments:
          r.assignments === undefined
            ? null
            : r.assignments.kind === 'unreadable'
              ? { status: 'unreadable', reason: r.assignments.reason }
              : {
                  status: 'read',
                  items: r.assignments.assignments.map((a) => ({
                    role: a.roleName,
                    roleDefinitionId: a.roleDefinitionId,
                    principalId: a.principalId,
                    principalType: a.principalType,
                    scope: a.scope,
                    createdOn: a.createdOn ?? null,
                  })),
                },
      },
    })),
  });
}
