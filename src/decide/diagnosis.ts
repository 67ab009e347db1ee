/**
 * The troubleshooting table, as data. Every message, annotation, job-summary section, `diagnosis` output and
 * docs/troubleshooting.md is rendered from these rows; a new case is one row here plus its tests.
 *
 * Facts come from Microsoft's Foundry keyless-authentication guide and Entra ID's documented error codes.
 */

export type DiagnosisCode =
  | 'ok'
  | 'role-missing'
  | 'control-plane-role-only'
  | 'openai-role-only'
  | 'partial-data-actions'
  | 'propagation-timeout'
  | 'data-plane-denied'
  | 'model-not-found'
  | 'endpoint-unknown'
  | 'token-rejected'
  | 'id-token-unavailable'
  | 'federated-credential-mismatch'
  | 'app-not-found'
  | 'tenant-not-found'
  | 'assertion-expired'
  | 'entra-error'
  | 'resource-not-found'
  | 'cannot-verify'
  | 'throttled'
  | 'service-unavailable'
  | 'invalid-input';

export type Retry = 'transient' | 'propagation' | 'never';

/** granted: access proven; denied: the identity lacks access; error: the check could not reach a verdict. */
export type Outcome = 'granted' | 'denied' | 'error';

/** The real values a message is filled with; a missing fact renders as a `<placeholder>`. */
export interface Facts {
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly principalId?: string;
  /** ServicePrincipal for a workflow or managed identity, User for someone signed in with `az login`. */
  readonly principalType?: string;
  readonly resourceId?: string;
  readonly requiredDataActions?: readonly string[];
  readonly missingDataActions?: readonly string[];
  readonly excludedBy?: readonly string[];
  readonly grantedBy?: readonly string[];
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: string;
  readonly entraCode?: string;
  readonly traceId?: string;
  readonly correlationId?: string;
  readonly httpStatus?: number;
  readonly serviceCode?: string;
  readonly serviceMessage?: string;
  readonly eventName?: string;
  readonly actor?: string;
  readonly inputProblems?: readonly { input: string; reason: string }[];
  readonly waitTimeoutSeconds?: number;
  readonly endpoint?: string;
  readonly model?: string;
  readonly tokenScope?: string;
}

export interface FixStep {
  readonly text: string;
  /** A command that can be run as it stands once the facts are real (shell, Azure CLI). */
  readonly command?: string;
}

export interface DiagnosisRow {
  readonly code: DiagnosisCode;
  readonly outcome: Outcome;
  readonly title: string;
  /**
   * Whether time can cure it: `transient` faults pass by themselves; `propagation` cases are cured when a role
   * assignment on its way takes effect; `never` cases need a person to change something, so they are not retried.
   */
  readonly retry: Retry;
  /** How the action recognises the case, for the docs. */
  readonly recognisedBy: string;
  /** Entra ID error codes (AADSTS…) that mean this row. */
  readonly entraCodes?: readonly number[];
  readonly cause: (facts: Facts) => string;
  readonly fix: (facts: Facts) => readonly FixStep[];
}

const ph = (value: string | undefined, placeholder: string): string => value ?? `<${placeholder}>`;
const list = (values: readonly string[] | undefined, placeholder: string): string =>
  values && values.length > 0 ? values.map((v) => `\`${v}\``).join(', ') : `<${placeholder}>`;

const ROLE_FOR_INFERENCE = 'Cognitive Services User';

function assignRole(f: Facts): FixStep {
  return {
    text: `Assign ${ROLE_FOR_INFERENCE} to the workflow identity at the scope of the Foundry resource (it takes up to 5 minutes to take effect):`,
    command:
      `az role assignment create --assignee-object-id ${ph(f.principalId, 'principal-object-id')} ` +
      `--assignee-principal-type ${f.principalType ?? 'ServicePrincipal'} --role "${ROLE_FOR_INFERENCE}" --scope ${ph(f.resourceId, 'resource-id')}`,
  };
}

function federatedCredential(f: Facts): FixStep {
  const parameters = JSON.stringify({
    name: 'github-actions',
    issuer: ph(f.issuer, 'issuer'),
    subject: ph(f.subject, 'subject'),
    audiences: [ph(f.audience, 'audience')],
  });
  return {
    text: 'Add a federated credential that matches what this run presents exactly (the subject is case-sensitive):',
    command: `az ad app federated-credential create --id ${ph(f.clientId, 'client-id')} --parameters '${parameters}'`,
  };
}

const entraRef = (f: Facts): string =>
  [f.entraCode ? `AADSTS${f.entraCode}` : undefined, f.traceId ? `trace ID ${f.traceId}` : undefined]
    .filter((part) => part !== undefined)
    .join(', ');

const serviceDetail = (f: Facts): string =>
  [f.httpStatus ? `HTTP ${f.httpStatus}` : undefined, f.serviceCode, f.serviceMessage]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');

export const TABLE: readonly DiagnosisRow[] = [
  {
    code: 'ok',
    outcome: 'granted',
    title: 'Access verified',
    retry: 'never',
    recognisedBy: 'Every required data action is covered by a data action of one permission entry that excludes none of it.',
    cause: (f) =>
      `The identity ${ph(f.principalId, 'principal-object-id')} holds ${list(f.requiredDataActions, 'required-data-actions')} on ${ph(f.resourceId, 'resource-id')}.`,
    fix: () => [],
  },
  {
    code: 'role-missing',
    outcome: 'denied',
    title: 'No role grants the required data actions',
    retry: 'propagation',
    recognisedBy:
      'The permissions read from Azure hold none of the required data actions, and no management-only or OpenAI-only role explains it. ' +
      'A model call would fail with 401 PermissionDenied ("Principal does not have access to API/Operation").',
    cause: (f) =>
      `The identity ${ph(f.principalId, 'principal-object-id')} signs in correctly, but nothing assigned to it grants ` +
      `${list(f.missingDataActions ?? f.requiredDataActions, 'required-data-actions')} on ${ph(f.resourceId, 'resource-id')}.`,
    fix: (f) => [
      assignRole(f),
      { text: 'A custom role works too if its dataActions include `Microsoft.CognitiveServices/accounts/MaaS/*`.' },
    ],
  },
  {
    code: 'control-plane-role-only',
    outcome: 'denied',
    title: 'Only management roles are assigned',
    retry: 'propagation',
    recognisedBy:
      'The identity has permission entries with actions but no data actions: Owner, Contributor, Reader, Cognitive Services Contributor or Azure AI Account Owner.',
    cause: (f) =>
      `The identity ${ph(f.principalId, 'principal-object-id')} can manage ${ph(f.resourceId, 'resource-id')} but not call its models: ` +
      'management roles (Owner, Contributor, Cognitive Services Contributor, Azure AI Account Owner, Reader) carry no data actions, and inference needs data actions.',
    fix: (f) => [assignRole(f)],
  },
  {
    code: 'openai-role-only',
    outcome: 'denied',
    title: 'Only OpenAI roles are assigned',
    retry: 'propagation',
    recognisedBy: 'The only data actions the identity holds are under `Microsoft.CognitiveServices/accounts/OpenAI/*`.',
    cause: (f) =>
      `The identity ${ph(f.principalId, 'principal-object-id')} holds OpenAI data actions only (Cognitive Services OpenAI User or Contributor, Azure AI Developer). ` +
      `They cover Azure OpenAI models, not Foundry Models, which need ${list(f.missingDataActions ?? f.requiredDataActions, 'required-data-actions')}.`,
    fix: (f) => [assignRole(f)],
  },
  {
    code: 'partial-data-actions',
    outcome: 'denied',
    title: 'Some required data actions are missing or excluded',
    retry: 'propagation',
    recognisedBy:
      'Some required data actions are granted and others are not, or a `notDataActions` entry of the granting role carves part of one out (typical of custom roles).',
    cause: (f) => {
      const excluded = f.excludedBy && f.excludedBy.length > 0 ? ` Excluded by notDataActions: ${list(f.excludedBy, 'patterns')}.` : '';
      return `On ${ph(f.resourceId, 'resource-id')} the identity lacks ${list(f.missingDataActions, 'missing-data-actions')}.${excluded}`;
    },
    fix: (f) => [
      {
        text: `Edit the custom role so its dataActions cover ${list(f.missingDataActions, 'missing-data-actions')} and its notDataActions exclude none of it, or:`,
      },
      assignRole(f),
    ],
  },
  {
    code: 'propagation-timeout',
    outcome: 'denied',
    title: 'A role assignment exists but was not effective in time',
    retry: 'never',
    recognisedBy: 'A granting assignment is listed for the identity, yet its permissions were still missing when wait-timeout ran out.',
    cause: (f) =>
      `A role assignment that grants access exists, but it had not taken effect on ${ph(f.resourceId, 'resource-id')} after ` +
      `${f.waitTimeoutSeconds ?? '<wait-timeout>'} seconds. Assignments usually take effect within 5 minutes, longer at management-group scope.`,
    fix: () => [{ text: 'Raise `wait-timeout` (for example to 600), or assign the role earlier in the pipeline.' }],
  },
  {
    code: 'data-plane-denied',
    outcome: 'denied',
    title: 'The model endpoint still refuses the identity',
    retry: 'propagation',
    recognisedBy:
      'Azure Resource Manager lists a grant, but the model call answers 401 PermissionDenied ("Principal does not have access to API/Operation", or "lacks the required data action").',
    cause: (f) =>
      `Azure grants ${list(f.requiredDataActions, 'required-data-actions')} on ${ph(f.resourceId, 'resource-id')}, but ${ph(f.endpoint, 'endpoint')} refused the call ` +
      `(${serviceDetail(f) || 'HTTP 401 PermissionDenied'}). The data plane picks up new role assignments later than Azure Resource Manager does.`,
    fix: () => [{ text: 'Wait a few minutes (raise `wait-timeout`) and run again. If it persists, look for a deny assignment or a condition on the role assignment.' }],
  },
  {
    code: 'model-not-found',
    outcome: 'error',
    title: 'The model deployment does not exist',
    retry: 'never',
    recognisedBy: 'The model call answers 404: no deployment of that name on the endpoint.',
    cause: (f) => `${ph(f.endpoint, 'endpoint')} has no deployment named ${ph(f.model, 'model')} (${serviceDetail(f) || 'HTTP 404'}).`,
    fix: (f) => [
      { text: 'Set `model` to a deployment name of the resource:', command: `az cognitiveservices account deployment list --ids ${ph(f.resourceId, 'resource-id')} --query "[].name" -o tsv` },
    ],
  },
  {
    code: 'endpoint-unknown',
    outcome: 'error',
    title: 'No endpoint to call the model on',
    retry: 'never',
    recognisedBy: 'The account\'s endpoints could not be read, or none is on a Foundry host of the selected cloud, so no data-plane token is requested.',
    cause: (f) => `The model of ${ph(f.resourceId, 'resource-id')} cannot be called: ${f.serviceMessage ?? '<reason>'}.`,
    fix: () => [{ text: 'Set the `endpoint` input to the resource\'s endpoint, for example `https://<account>.services.ai.azure.com/`.' }],
  },
  {
    code: 'token-rejected',
    outcome: 'error',
    title: 'The access token was rejected',
    retry: 'never',
    recognisedBy: 'A service answered 401 for the token itself (missing, invalid, wrong audience or expired), not for missing permissions.',
    cause: (f) =>
      `${f.endpoint ?? 'The service'} refused the token itself (${serviceDetail(f) || 'HTTP 401'}). The token's audience was ${ph(f.audience, 'token-audience')}; ` +
      `it was requested for ${ph(f.tokenScope, 'token-scope')}.`,
    fix: () => [
      { text: 'Foundry Models take tokens for `https://ai.azure.com/.default` (some endpoints `https://cognitiveservices.azure.com/.default`): set `token-scope` to match, and check that `cloud` and `endpoint` belong to the resource.' },
    ],
  },
  {
    code: 'id-token-unavailable',
    outcome: 'error',
    title: 'No GitHub OIDC token for this run',
    retry: 'never',
    recognisedBy: 'ACTIONS_ID_TOKEN_REQUEST_URL or ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set, or the runner refused the token request.',
    cause: (f) => {
      const who = f.actor?.startsWith('dependabot') ? ' Dependabot runs get no OIDC token.' : '';
      const fork = f.eventName === 'pull_request' ? ' Pull requests from forks get no OIDC token.' : '';
      return `GitHub did not offer this job an OIDC token.${who}${fork}`;
    },
    fix: () => [
      { text: 'Grant the job the permission to request one:', command: 'permissions:\n  id-token: write\n  contents: read' },
      {
        text: 'For pull requests from forks, run the check after review in a trusted context (a `workflow_run` or `merge_group` workflow, or an environment with required reviewers); never check out untrusted code under `pull_request_target`.',
      },
    ],
  },
  {
    code: 'federated-credential-mismatch',
    outcome: 'error',
    title: 'No federated credential matches this run',
    retry: 'never',
    recognisedBy: 'Entra ID answers AADSTS70021 or AADSTS700213 to the token exchange.',
    entraCodes: [70021, 700213],
    cause: (f) =>
      `The app ${ph(f.clientId, 'client-id')} has no federated credential for issuer ${ph(f.issuer, 'issuer')}, ` +
      `subject ${ph(f.subject, 'subject')} and audience ${ph(f.audience, 'audience')} (${entraRef(f) || 'AADSTS700213'}).`,
    fix: (f) => [federatedCredential(f)],
  },
  {
    code: 'app-not-found',
    outcome: 'error',
    title: 'The application is not in this tenant',
    retry: 'never',
    recognisedBy: 'Entra ID answers AADSTS700016.',
    entraCodes: [700016],
    cause: (f) => `No application with client ID ${ph(f.clientId, 'client-id')} exists in tenant ${ph(f.tenantId, 'tenant-id')} (${entraRef(f) || 'AADSTS700016'}).`,
    fix: (f) => [
      { text: 'Check that `client-id` is the application (client) ID, not the object ID, and that the app lives in this tenant:', command: `az ad app show --id ${ph(f.clientId, 'client-id')}` },
    ],
  },
  {
    code: 'tenant-not-found',
    outcome: 'error',
    title: 'The tenant does not exist',
    retry: 'never',
    recognisedBy: 'Entra ID answers AADSTS90002.',
    entraCodes: [90002],
    cause: (f) => `Entra ID knows no tenant ${ph(f.tenantId, 'tenant-id')} (${entraRef(f) || 'AADSTS90002'}).`,
    fix: () => [{ text: 'Set `tenant-id` to the directory (tenant) ID:', command: 'az account show --query tenantId -o tsv' }],
  },
  {
    code: 'assertion-expired',
    outcome: 'error',
    title: 'The GitHub token had expired',
    retry: 'never',
    recognisedBy: 'Entra ID answers AADSTS700024: the client assertion is outside its validity window.',
    entraCodes: [700024],
    cause: (f) => `Entra ID refused the GitHub OIDC token as expired or not yet valid (${entraRef(f) || 'AADSTS700024'}). The runner's clock may be off.`,
    fix: () => [{ text: 'Re-run the job; on a self-hosted runner, synchronise its clock (NTP).' }],
  },
  {
    code: 'entra-error',
    outcome: 'error',
    title: 'Entra ID refused the sign-in',
    retry: 'never',
    recognisedBy: 'Any other Entra ID error during the token exchange; the AADSTS code and trace ID are reported.',
    cause: (f) => `Entra ID refused the token exchange (${entraRef(f) || 'no AADSTS code'})${f.serviceMessage ? `: ${f.serviceMessage}` : '.'}`,
    fix: (f) => [
      { text: `Look up ${f.entraCode ? `AADSTS${f.entraCode}` : 'the code'} in the Entra ID error reference, and quote the trace ID when you ask for support.` },
    ],
  },
  {
    code: 'resource-not-found',
    outcome: 'error',
    title: 'The resource does not exist',
    retry: 'never',
    recognisedBy: 'Azure Resource Manager answers 404 (ResourceNotFound, ResourceGroupNotFound, SubscriptionNotFound) or 400 InvalidResourceId.',
    cause: (f) => `Azure Resource Manager does not know ${ph(f.resourceId, 'resource-id')} (${serviceDetail(f) || 'HTTP 404'}).`,
    fix: () => [
      { text: 'Copy the ID from the resource\'s JSON view in the portal, or:', command: 'az cognitiveservices account show --name <account> --resource-group <group> --query id -o tsv' },
    ],
  },
  {
    code: 'cannot-verify',
    outcome: 'error',
    title: 'The permissions could not be read',
    retry: 'never',
    recognisedBy: 'Reading the identity\'s permissions on the resource was refused (403), so there is no evidence either way.',
    cause: (f) =>
      `Azure refused to list the permissions of ${ph(f.principalId, 'principal-object-id')} on ${ph(f.resourceId, 'resource-id')} (${serviceDetail(f) || 'HTTP 403'}), so access can be neither proven nor ruled out.`,
    fix: (f) => [
      {
        text: 'Let the identity read its own permissions by also assigning Reader at the resource scope:',
        command:
          `az role assignment create --assignee-object-id ${ph(f.principalId, 'principal-object-id')} ` +
          `--assignee-principal-type ${f.principalType ?? 'ServicePrincipal'} --role "Reader" --scope ${ph(f.resourceId, 'resource-id')}`,
      },
    ],
  },
  {
    code: 'throttled',
    outcome: 'error',
    title: 'Azure kept throttling the check',
    retry: 'transient',
    recognisedBy: 'HTTP 429 answers lasted until the deadline.',
    cause: (f) => `Azure answered 429 Too Many Requests until the deadline (${serviceDetail(f) || 'HTTP 429'}).`,
    fix: () => [{ text: 'Re-run later, or spread checks that share a subscription over time; raising `wait-timeout` gives the check more room.' }],
  },
  {
    code: 'service-unavailable',
    outcome: 'error',
    title: 'Azure could not be reached',
    retry: 'transient',
    recognisedBy: 'Server errors (5xx), timeouts, connection resets or unreadable answers lasted until the deadline.',
    cause: (f) => `The service did not give a usable answer (${serviceDetail(f) || 'no response'}).`,
    fix: () => [
      { text: 'Re-run the job. On a self-hosted runner, check that it can reach the Entra ID and Azure Resource Manager endpoints through its proxy.' },
    ],
  },
  {
    code: 'invalid-input',
    outcome: 'error',
    title: 'An input is not valid',
    retry: 'never',
    recognisedBy: 'An input fails validation; nothing is sent anywhere.',
    cause: (f) =>
      f.inputProblems && f.inputProblems.length > 0
        ? f.inputProblems.map((p) => `\`${p.input}\` ${p.reason}`).join('; ') + '.'
        : 'An input is not valid.',
    fix: () => [{ text: 'Correct the inputs named above in the workflow file.' }],
  },
];

const BY_CODE = new Map(TABLE.map((row) => [row.code, row]));

export function rowFor(code: DiagnosisCode): DiagnosisRow {
  const row = BY_CODE.get(code);
  if (!row) throw new Error(`no troubleshooting row for ${code}`);
  return row;
}

/** Guidance for the user's own application, shown with every verdict: the first row of Microsoft's table. */
export const SDK_GUIDANCE =
  'If your application still gets 401 from an SDK after this check passes, update the SDK and Azure Identity packages first: authentication bugs are often fixed in newer releases.';

export interface Diagnosis {
  readonly code: DiagnosisCode;
  readonly facts: Facts;
}

export interface RenderedDiagnosis {
  readonly code: DiagnosisCode;
  readonly outcome: Outcome;
  readonly title: string;
  readonly cause: string;
  readonly fix: readonly FixStep[];
}

export function render(diagnosis: Diagnosis): RenderedDiagnosis {
  const row = rowFor(diagnosis.code);
  return { code: row.code, outcome: row.outcome, title: row.title, cause: row.cause(diagnosis.facts), fix: row.fix(diagnosis.facts) };
}

/** One line per fix step, commands indented: the plain-text form used in logs and annotations. */
export function plainText(rendered: RenderedDiagnosis): string {
  const lines = [`${rendered.title}: ${rendered.cause}`];
  for (const step of rendered.fix) {
    lines.push(`Fix: ${step.text}`);
    if (step.command) lines.push(...step.command.split('\n').map((line) => `  ${line}`));
  }
  return lines.join('\n');
}

/** The row for an Entra ID error code, if the table names it; other codes are `entra-error`. */
export function codeForEntraError(entraCode: number | undefined): DiagnosisCode {
  if (entraCode === undefined) return 'entra-error';
  return TABLE.find((row) => row.entraCodes?.includes(entraCode))?.code ?? 'entra-error';
}
