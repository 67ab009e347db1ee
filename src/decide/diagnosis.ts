/**
 * The troubleshooting table, as data. Every message, annotation, job-summary section, `diagnosis` output and
 * docs/troubleshooting.md is rendered from these rows; a new case is one row here plus its tests.
 *
 * Facts come from Microsoft's Foundry keyless-authentication guide and Entra ID's documented error codes.
 */

import { suggestedRole } from './workloads.js';
import { KNOWN_ROLES } from './roles.js';
import { onItsWay } from './deployments.js';
import { RECENT_CHANGE_WINDOW_MS } from './provisioning.js';
import { accountIdOf } from '../lib/account-id.js';

export type DiagnosisCode =
  | 'ok'
  | 'role-missing'
  | 'control-plane-role-only'
  | 'openai-role-only'
  | 'partial-data-actions'
  | 'conditional-grant'
  | 'deny-assignment'
  | 'propagation-timeout'
  | 'data-plane-denied'
  | 'model-not-found'
  | 'deployment-not-served'
  | 'endpoint-unknown'
  | 'token-rejected'
  | 'id-token-unavailable'
  | 'federated-credential-mismatch'
  | 'service-principal-missing'
  | 'app-not-found'
  | 'tenant-not-found'
  | 'assertion-expired'
  | 'entra-error'
  | 'resource-not-found'
  | 'network-blocked'
  | 'custom-subdomain-missing'
  | 'account-not-ready'
  | 'not-signed-in'
  | 'cannot-verify'
  | 'throttled'
  | 'service-unavailable'
  | 'request-refused'
  | 'invalid-input';

export type Retry = 'transient' | 'propagation' | 'never';

/** granted: access proven; denied: the identity lacks access; error: the check could not reach a verdict. */
export type Outcome = 'granted' | 'denied' | 'error';

/**
 * The real values a message is filled with; a missing fact renders as a `<placeholder>`. The issuer, subject and
 * audience are what the workflow presented.
 */
export interface Facts extends Omit<Presented, 'workflowRef'> {
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly principalId?: string;
  /** ServicePrincipal for a workflow or managed identity, User for someone signed in with `az login`. */
  readonly principalType?: string;
  readonly resourceId?: string;
  readonly requiredDataActions?: readonly string[];
  readonly missingDataActions?: readonly string[];
  readonly excludedBy?: readonly string[];
  /** ABAC conditions under which alone the required data actions are granted. */
  readonly conditions?: readonly string[];
  /** Granting roles assigned elsewhere in the account (a project), which do not reach the resource checked. */
  readonly assignedElsewhere?: readonly string[];
  /** Deny assignments that block required data actions, each with its scope and what it blocks. */
  readonly denyAssignments?: readonly string[];
  readonly entraCode?: string;
  readonly traceId?: string;
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
  /**
   * The claim of the GitHub token no federated credential matched, when Entra says which; `none-configured` when
   * the app has no federated credential at all, so there was nothing to compare.
   */
  readonly mismatchedClaim?: 'issuer' | 'subject' | 'audience' | 'subject-case' | 'none-configured';
  /** The subject Entra says the federated credential must have (AADSTS7002137). */
  readonly expectedSubject?: string;
  /** Which service refused: the advice for a rejected token differs between ARM and the model endpoint. */
  readonly refusedBy?: 'arm' | 'data-plane';
  /** How long the service asked to wait (Retry-After), in seconds, when that was beyond the deadline. */
  readonly retryAfterSeconds?: number;
  /** What the model endpoint refused about the probe's request after authorizing it (a 400 about the body). */
  readonly modelNote?: string;
  /** The account's network restriction, in words (from its publicNetworkAccess and networkAcls). */
  readonly networkRestriction?: string;
  /** The account's deployment names as Azure Resource Manager lists them (capped), when the model was unknown. */
  readonly deploymentsListed?: readonly string[];
  /** How many more deployments the account has than `deploymentsListed` shows. */
  readonly deploymentsNotShown?: number;
  /** A listed deployment whose name differs from `model` only in upper and lower case. */
  readonly similarDeployment?: string;
  /** Why the account's deployments could not be read, when the model was unknown. */
  readonly deploymentsUnread?: string;
  /** The provisioning state of the deployment named `model`, as Azure Resource Manager lists it. */
  readonly deploymentState?: string;
  /** Minutes since that deployment last changed, when that is too long ago for waiting to help. */
  readonly deploymentAgeMinutes?: number;
  /** The account's `properties.provisioningState` when it is not `Succeeded` (an unlisted one with odd characters replaced). */
  readonly provisioningState?: string;
}

/** What the workflow presented to Entra ID, as far as its GitHub ID token says: what a federated credential must match. */
export interface Presented {
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: string;
  readonly workflowRef?: string;
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
  /** What is awaited, for the log of each attempt while a `transient` row is waited out (default: a fault). */
  readonly waiting?: (facts: Facts) => string;
}

const ph = (value: string | undefined, placeholder: string): string => value ?? `<${placeholder}>`;
const list = (values: readonly string[] | undefined, placeholder: string): string =>
  values && values.length > 0 ? values.map((v) => `\`${v}\``).join(', ') : `<${placeholder}>`;

/** A built-in role, named by the ID that no rename or display language changes, with its name for people. */
interface BuiltInRole {
  readonly name: string;
  readonly definitionId: string;
}

const ROLE_FOR_INFERENCE: BuiltInRole = { name: 'Cognitive Services User', definitionId: 'a97b65f3-24c7-4388-baec-2e87135dc908' };
const ROLE_TO_READ: BuiltInRole = { name: 'Reader', definitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' };

/** `az role assignment create` for a built-in role at the resource, by role definition ID, its name in a comment. */
function roleAssignmentCommand(f: Facts, role: BuiltInRole): string {
  return (
    `az role assignment create --assignee-object-id ${ph(f.principalId, 'principal-object-id')} ` +
    `--assignee-principal-type ${f.principalType ?? 'ServicePrincipal'} --role ${role.definitionId} --scope ${ph(f.resourceId, 'resource-id')}` +
    `  # ${role.name}`
  );
}

/** A built-in role by name, with its definition ID from the table of known roles. */
function builtInRole(name: string): BuiltInRole {
  const known = KNOWN_ROLES.find((role) => role.name === name);
  return known ? { name: known.name, definitionId: known.id } : ROLE_FOR_INFERENCE;
}

function assignRole(f: Facts): FixStep {
  const role = builtInRole(suggestedRole(f.requiredDataActions ?? []));
  return {
    text: `Assign ${role.name} to the workflow identity at the scope of the Foundry resource (it takes up to 5 minutes to take effect):`,
    command: roleAssignmentCommand(f, role),
  };
}

/** FNV-1a, 32 bits: a short, stable fingerprint of a text (not a security measure). */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/**
 * A federated credential's name for a subject: readable, unique per subject, and within Entra's rules (up to 120
 * characters: letters, digits, `-`, `_`; starting with a letter or digit). The readable part alone could collide
 * (`a-b/c` and `a/b-c`), so the subject's fingerprint is appended.
 */
export function federatedCredentialName(subject: string | undefined): string {
  if (subject === undefined) return 'github-<subject>';
  const readable = subject.replace(/^repo:/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  return `github-${readable.slice(0, 120 - 'github-'.length - 9).replace(/[-_]+$/, '')}-${fingerprint(subject)}`;
}

/** Single-quotes a text for a POSIX shell, so a subject with a quote in it (a branch may have one) stays one word. */
const shellWord = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function federatedCredential(f: Facts): FixStep[] {
  const name = federatedCredentialName(f.subject);
  const issuer = ph(f.issuer, 'issuer');
  const subject = ph(f.subject, 'subject');
  const audience = ph(f.audience, 'audience');
  const parameters = JSON.stringify({ name, issuer, subject, audiences: [audience] });
  return [
    {
      text: 'Add a federated credential that matches what this run presents exactly (the subject is case-sensitive). For an app registration:',
      command: `az ad app federated-credential create --id ${ph(f.clientId, 'client-id')} --parameters ${shellWord(parameters)}`,
    },
    {
      text: 'Or, when the client ID is a user-assigned managed identity\'s:',
      command:
        `az identity federated-credential create --name ${name} --identity-name <identity-name> --resource-group <identity-resource-group> ` +
        `--issuer ${shellWord(issuer)} --subject ${shellWord(subject)} --audiences ${shellWord(audience)}`,
    },
  ];
}

const CLAIM_TEXT: Record<Exclude<NonNullable<Facts['mismatchedClaim']>, 'none-configured'>, string> = {
  issuer: 'the issuer',
  audience: 'the audience',
  subject: 'the subject',
  'subject-case': 'the subject, which differs only in upper and lower case (Entra ID compares subjects case-sensitively)',
};

/** Which claim Entra ID says differs, and the subject it expected, when it said so. */
function mismatch(f: Facts): string {
  if (f.mismatchedClaim === 'none-configured') {
    return ' It has none at all: none was added yet, or it was added to another app or managed identity than the one `client-id` names.';
  }
  const claim = f.mismatchedClaim ? ` What differs is ${CLAIM_TEXT[f.mismatchedClaim]}.` : '';
  const expected = f.expectedSubject ? ` Entra ID expects the subject \`${f.expectedSubject}\`.` : '';
  return claim + expected;
}

/** The account name of a resource ID (the parent account of a project). */
const accountName = (resourceId: string | undefined): string | undefined => /\/accounts\/([^/]+)/i.exec(resourceId ?? '')?.[1];
const accountId = (resourceId: string | undefined): string | undefined => (resourceId === undefined ? undefined : accountIdOf(resourceId));

/** A role that would grant, assigned at a project (or another one), explains a denial people find surprising. */
const elsewhere = (f: Facts): string =>
  f.assignedElsewhere && f.assignedElsewhere.length > 0
    ? ` ${list(f.assignedElsewhere, 'assignments')} would grant it, but a role assigned at a Foundry project covers that project only, not its account or other projects.`
    : '';

const entraRef = (f: Facts): string =>
  [f.entraCode ? `AADSTS${f.entraCode}` : undefined, f.traceId ? `trace ID ${f.traceId}` : undefined]
    .filter((part) => part !== undefined)
    .join(', ');

/** A resource ID's resource group. */
const resourceGroupOf = (resourceId: string | undefined): string | undefined => /\/resourceGroups\/([^/]+)/i.exec(resourceId ?? '')?.[1];

/** What Azure Resource Manager said of the account's deployments, when the model call named the model unknown. */
function deploymentsSaid(f: Facts): string {
  if (f.deploymentsUnread !== undefined) return ` The account's deployments could not be read from Azure Resource Manager (${f.deploymentsUnread}), so whether one of that name is on its way is unknown.`;
  if (f.similarDeployment !== undefined) return ` Azure Resource Manager lists \`${f.similarDeployment}\`, which differs only in upper and lower case.`;
  if (f.deploymentsListed === undefined) return '';
  if (f.deploymentsListed.length === 0) return ' Azure Resource Manager lists no deployments on the account.';
  const more = f.deploymentsNotShown ? ` and ${f.deploymentsNotShown} more` : '';
  return ` The account's deployments, as Azure Resource Manager lists them: ${list(f.deploymentsListed, 'deployments')}${more}.`;
}

const subscriptionOf = (resourceId: string | undefined): string => /\/subscriptions\/([^/]+)/i.exec(resourceId ?? '')?.[1] ?? '<subscription-id>';

/** Whether the permissions read showed every required data action granted: the roles are not what stops the calls. */
const rolesGrant = (f: Facts): boolean => f.missingDataActions !== undefined && f.missingDataActions.length === 0;

/** Why an account that is not provisioned serves no calls, by its state. */
function notReadyCause(f: Facts): string {
  const account = ph(accountId(f.resourceId), 'resource-id');
  const state = f.provisioningState ?? '<provisioning-state>';
  switch (f.provisioningState) {
    case 'Failed':
      return `${account} is in provisioning state \`Failed\`: its last create or update did not complete, so it does not serve calls.`;
    case 'Canceled':
      return `${account} is in provisioning state \`Canceled\`: its last create or update was canceled before it completed, so it does not serve calls.`;
    case 'Deleting':
    case 'Deleted':
      return `${account} is being deleted (provisioning state \`${f.provisioningState}\`), so it will not serve calls again.`;
    case 'Disabled':
      return `${account} is in provisioning state \`Disabled\`, so it does not serve calls until it is enabled again.`;
    default:
      return (
        `${account} was still provisioning (state \`${state}\`) when the check ended` +
        `${f.waitTimeoutSeconds !== undefined ? `, after waiting up to ${f.waitTimeoutSeconds} seconds` : ''}: ` +
        'a new or changing account serves no calls until its state is `Succeeded`, whatever its roles grant.'
      );
  }
}

/** What to do about an account that is not provisioned: find out why, then wait, retry, recover or recreate it. */
function notReadyFix(f: Facts): FixStep[] {
  const ids = ph(accountId(f.resourceId), 'resource-id');
  const byName = `--name ${ph(accountName(f.resourceId), 'account')} --resource-group ${ph(resourceGroupOf(f.resourceId), 'resource-group')} --location <location>`;
  const show: FixStep = { text: 'See the state the account is in:', command: `az cognitiveservices account show --ids ${ids} --query properties.provisioningState -o tsv` };
  switch (f.provisioningState) {
    case 'Failed':
      return [
        show,
        { text: 'Find the operation that failed, and why, in the activity log:', command: `az monitor activity-log list --resource-id ${ids} --status Failed --offset 7d -o table` },
        {
          text: `Fix its cause and apply the account's template (or the \`az cognitiveservices account\` command that made it) again, or delete the account, purge it and create it again. ARM has been seen to end a creation as \`Failed\` that then completed, so the check waits on an account that changed less than ${RECENT_CHANGE_WINDOW_MS / 60_000} minutes before; if it changed just before that, run the check again first:`,
          command: `az cognitiveservices account delete --ids ${ids}\naz cognitiveservices account purge ${byName}`,
        },
      ];
    case 'Canceled':
    case 'Disabled':
      return [
        show,
        { text: 'Find the operation that left it so, and who ran it, in the activity log:', command: `az monitor activity-log list --resource-id ${ids} --offset 7d -o table` },
        { text: 'Apply the account\'s template (or the `az cognitiveservices account` command that made it) again, then run the check again.' },
      ];
    case 'Deleting':
    case 'Deleted':
      return [
        show,
        { text: 'If the deletion was not meant, wait for it to finish, then recover the soft-deleted account; otherwise point `resource-id` at another account:', command: `az cognitiveservices account recover ${byName}` },
      ];
    default:
      return [
        show,
        {
          text: 'Run the check after the step that provisions the account has finished: wait for the state to be `Succeeded` in the pipeline, or raise `wait-timeout` so the check waits for it. Re-run the job once it is `Succeeded`.',
          command: `az resource wait --ids ${ids} --custom "properties.provisioningState=='Succeeded'"`,
        },
      ];
  }
}

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
      `The identity ${ph(f.principalId, 'principal-object-id')} holds ${list(f.requiredDataActions, 'required-data-actions')} on ${ph(f.resourceId, 'resource-id')}.` +
      (f.modelNote ? ` The model endpoint authorized the call, then refused the probe's request itself: ${f.modelNote}. Access is proven; check the model's parameters in your application.` : ''),
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
      `${list(f.missingDataActions ?? f.requiredDataActions, 'required-data-actions')} on ${ph(f.resourceId, 'resource-id')}.${elsewhere(f)}`,
    fix: (f) => [
      assignRole(f),
      { text: `A custom role works too if its dataActions cover ${list(f.requiredDataActions, 'required-data-actions')}.` },
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
      'management roles (Owner, Contributor, Cognitive Services Contributor, Azure AI Account Owner, Reader) carry no data actions, and inference needs data actions.' +
      elsewhere(f),
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
    code: 'conditional-grant',
    outcome: 'denied',
    title: 'Granted only under a condition',
    retry: 'never',
    recognisedBy:
      'The permission entries that grant the required data actions carry an ABAC `condition` (role assignment conditions). ' +
      'Whether a condition holds depends on the request, so it is never reported as plain access; a model call that succeeds proves it for that call.',
    cause: (f) =>
      `On ${ph(f.resourceId, 'resource-id')} the identity holds ${list(f.requiredDataActions, 'required-data-actions')} only when ` +
      `${f.conditions && f.conditions.length > 0 ? f.conditions.map((c) => `\`${c.replace(/`/g, "'")}\``).join(' or ') : '<condition>'} holds.`,
    fix: (f) => [
      { text: 'If the condition is meant to hold for these calls, set `model` so the check calls the model and proves it from this runner.' },
      { text: 'Otherwise assign the role without a condition:', command: assignRole(f).command },
    ],
  },
  {
    code: 'deny-assignment',
    outcome: 'denied',
    title: 'A deny assignment blocks access',
    retry: 'never',
    recognisedBy:
      'A deny assignment at the resource or above it (`denyAssignments?$filter=atScope()`) names the identity, everyone, or a group, and its dataActions ' +
      'reach a required data action. Deny assignments win over every role assignment, and the permissions list does not show them.',
    cause: (f) =>
      `On ${ph(f.resourceId, 'resource-id')} ${list(f.denyAssignments, 'deny-assignment')} ` +
      `${(f.denyAssignments?.length ?? 0) > 1 ? 'deny' : 'denies'} the identity ${ph(f.principalId, 'principal-object-id')} what it needs, whatever its roles grant.`,
    fix: (f) => [
      {
        text: 'Deny assignments are made by Azure itself (managed applications, deployment stacks with deny settings, Azure Blueprints): change the deny settings or the exclusions of whatever created it, or exclude this identity there. A deny naming a group applies here unless the identity is not a member.',
      },
      { text: 'List them with:', command: `az rest --method get --url "${ph(f.resourceId, 'resource-id')}/providers/Microsoft.Authorization/denyAssignments?api-version=2022-04-01&\\$filter=atScope()"` },
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
    recognisedBy:
      'The model call answers 404, or names the model unknown (DeploymentNotFound, unknown_model, model_not_found), and Azure Resource Manager ' +
      'lists no deployment of exactly that name on the account (or its deployments could not be read). The deployments it does list are named.',
    cause: (f) => `${ph(f.endpoint, 'endpoint')} has no deployment named ${ph(f.model, 'model')} (${serviceDetail(f) || 'HTTP 404'}).${deploymentsSaid(f)}`,
    fix: (f) => [
      ...(f.similarDeployment ? [{ text: `Set \`model\` to \`${f.similarDeployment}\`: deployment names must match exactly.` }] : []),
      { text: 'Set `model` to a deployment name of the resource:', command: `az cognitiveservices account deployment list --ids ${ph(accountId(f.resourceId), 'resource-id')} --query "[].name" -o tsv` },
    ],
  },
  {
    code: 'deployment-not-served',
    outcome: 'error',
    title: 'The deployment exists but the endpoint does not serve it',
    retry: 'transient',
    recognisedBy:
      'The model call names the model unknown (DeploymentNotFound, unknown_model, model_not_found), yet Azure Resource Manager lists a deployment of exactly that name on the account. ' +
      `A deployment that is Accepted, Creating, Updating, Moving, ResolvingDNS or Succeeded (or in a state not listed, or none), and changed less than ${RECENT_CHANGE_WINDOW_MS / 60_000} minutes ago (or at a time ARM does not state), is waited for until \`wait-timeout\`: ` +
      'the endpoint serves a new deployment minutes after ARM has it. One that ended (Failed, Canceled, Deleting, Deleted, Disabled), or that changed longer ago, is reported at once.',
    cause: (f) => {
      const named = `Azure Resource Manager lists the deployment ${ph(f.model, 'model')} on ${ph(accountId(f.resourceId), 'resource-id')} (provisioning state ${ph(f.deploymentState, 'state')})`;
      const said = serviceDetail(f) || 'HTTP 404';
      if (f.deploymentState !== undefined && !onItsWay(f.deploymentState)) return `${named}, so ${ph(f.endpoint, 'endpoint')} does not serve it (${said}).`;
      if (f.deploymentAgeMinutes !== undefined) {
        return `${named}, last changed ${f.deploymentAgeMinutes} minutes ago, yet ${ph(f.endpoint, 'endpoint')} answers that it does not know it (${said}). A new deployment is served within minutes, so waiting longer will not help.`;
      }
      return `${named}, but ${ph(f.endpoint, 'endpoint')} did not serve it yet within ${f.waitTimeoutSeconds ?? '<wait-timeout>'} seconds (${said}). The endpoint picks up a new deployment a few minutes after Azure Resource Manager has it.`;
    },
    fix: (f) => {
      if (f.deploymentState !== undefined && !onItsWay(f.deploymentState)) {
        return [
          {
            text: 'See why the deployment is in this state, then create it again (or pick another deployment for `model`):',
            command: `az cognitiveservices account deployment show --name ${ph(accountName(f.resourceId), 'account')} --resource-group ${ph(resourceGroupOf(f.resourceId), 'resource-group')} --deployment-name ${ph(f.model, 'model')}`,
          },
        ];
      }
      if (f.deploymentAgeMinutes !== undefined) {
        return [{ text: 'Check that `endpoint` is this account\'s and that the deployment\'s model offers chat completions on the Foundry Models endpoint; if the deployment was just changed, run again in a few minutes.' }];
      }
      return [{ text: 'Raise `wait-timeout` (for example to 600), or create the deployment earlier in the pipeline.' }];
    },
    waiting: (f) => `Azure lists the deployment ${ph(f.model, 'model')} (${ph(f.deploymentState, 'state')}), which the endpoint does not serve yet`,
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
    recognisedBy: 'A service answered 401 for the token itself (missing, invalid, wrong audience or tenant, or expired), not for missing permissions.',
    cause: (f) =>
      f.refusedBy === 'arm'
        ? `Azure Resource Manager refused the token itself (${serviceDetail(f) || 'HTTP 401'}). The token was issued by tenant ${ph(f.tenantId, 'tenant-id')}.`
        : `${f.endpoint ?? 'The service'} refused the token itself (${serviceDetail(f) || 'HTTP 401'}). The token's audience was ${ph(f.audience, 'token-audience')}; ` +
          `it was requested for ${ph(f.tokenScope, 'token-scope')}.`,
    fix: (f) =>
      f.refusedBy === 'arm'
        ? [
            {
              text: "Set `tenant-id` to the tenant of the resource's subscription (`InvalidAuthenticationTokenTenant` means they differ), and check that `cloud` is the resource's cloud:",
              command: `az account show --subscription ${subscriptionOf(f.resourceId)} --query tenantId -o tsv`,
            },
            { text: 'An expired token (`ExpiredAuthenticationToken`) means the run took longer than the token lived, or the runner\'s clock is off: re-run the job; on a self-hosted runner, synchronise its clock.' },
          ]
        : [
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
    recognisedBy:
      'Entra ID answers AADSTS70021 (no match), 700211 (issuer), 700212 (audience), 700213 or 7002137 (subject), 7002138 (the subject differs only in case) or 70025 (the app has no federated credential at all) to the token exchange.',
    entraCodes: [70021, 700211, 700212, 700213, 7002137, 7002138, 70025],
    cause: (f) =>
      `The app ${ph(f.clientId, 'client-id')} has no federated credential for issuer ${ph(f.issuer, 'issuer')}, ` +
      `subject ${ph(f.subject, 'subject')} and audience ${ph(f.audience, 'audience')} (${entraRef(f) || 'AADSTS700213'}).` +
      mismatch(f),
    fix: (f) => federatedCredential(f),
  },
  {
    code: 'service-principal-missing',
    outcome: 'error',
    title: 'The application has no service principal in this tenant',
    retry: 'never',
    recognisedBy: 'Entra ID answers AADSTS7000229: the app registration exists, but no service principal (enterprise application) for it does.',
    entraCodes: [7000229],
    cause: (f) =>
      `The app ${ph(f.clientId, 'client-id')} has no service principal in tenant ${ph(f.tenantId, 'tenant-id')}, so Entra ID issues it no tokens (${entraRef(f) || 'AADSTS7000229'}).`,
    fix: (f) => [
      { text: 'Create the service principal of the app, then assign its roles to that principal:', command: `az ad sp create --id ${ph(f.clientId, 'client-id')}` },
    ],
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
    recognisedBy: "Entra ID answers AADSTS90002, at the token endpoint or, in a custom cloud, at the authority's metadata document.",
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
    code: 'network-blocked',
    outcome: 'error',
    title: "The resource's network rules refuse this runner",
    retry: 'never',
    recognisedBy:
      'The model endpoint (or Azure Resource Manager) answers 403 because of network rules: a firewall or virtual-network rule, a private endpoint, or public network access disabled. ' +
      'Or the account resource says so (`publicNetworkAccess: Disabled`, or `networkAcls.defaultAction: Deny`) while the roles grant and no model call proved that this runner gets through.',
    cause: (f) =>
      (f.httpStatus === 403
        ? `${f.endpoint ?? ph(f.resourceId, 'resource-id')} refused the call because of its network rules (${serviceDetail(f) || 'HTTP 403'}). ` +
          (f.networkRestriction ? `It accepts calls only from ${f.networkRestriction}. ` : '')
        : `${ph(accountId(f.resourceId), 'resource-id')} accepts calls only from ${f.networkRestriction ?? '<allowed networks>'}, and no model call proved that this runner is among them. `) +
      'Roles are not the problem: the request never gets as far as authorization. GitHub-hosted runners call from outside your networks.',
    fix: (f) => [
      { text: 'Run the check on a self-hosted runner inside the allowed virtual network, or one that reaches the resource through its private endpoint (with the private DNS zone), and set `model` so the model call proves it gets through; or' },
      { text: 'create a private endpoint for the account in the runner\'s network (`az network private-endpoint create … --group-id account`); or' },
      {
        text: "allow the runner's public IP address in the resource's firewall, with public access enabled for selected networks (GitHub-hosted runners' addresses change; a larger runner with a static IP range fits better):",
        command: `az cognitiveservices account network-rule add --ids ${ph(accountId(f.resourceId), 'resource-id')} --ip-address <runner-public-ip>`,
      },
    ],
  },
  {
    code: 'custom-subdomain-missing',
    outcome: 'error',
    title: 'The endpoint cannot take Entra ID tokens',
    retry: 'never',
    recognisedBy:
      'The account resource has no `properties.customSubDomainName` (while the roles grant), or the model endpoint asks for a key although a token was sent ("Please provide an authentication key"): ' +
      'a regional endpoint of an account without a custom subdomain, where Entra ID authentication is not available.',
    cause: (f) =>
      f.endpoint !== undefined && f.httpStatus !== undefined
        ? `${f.endpoint} does not accept Entra ID tokens (${serviceDetail(f)}): Entra ID authentication needs the account's custom subdomain endpoint.`
        : `${ph(accountId(f.resourceId), 'resource-id')} has no custom subdomain, so it has only a regional endpoint, and regional endpoints take keys, not Entra ID tokens.`,
    fix: (f) => [
      {
        text: 'Give the account a custom subdomain (its name is a good choice). This cannot be undone; the endpoint becomes `https://<subdomain>.services.ai.azure.com/`, so update clients of the regional endpoint:',
        command: `az cognitiveservices account update --ids ${ph(accountId(f.resourceId), 'resource-id')} --custom-domain ${ph(accountName(f.resourceId)?.toLowerCase(), 'subdomain')}`,
      },
    ],
  },
  {
    code: 'account-not-ready',
    outcome: 'error',
    title: 'The account is not provisioned',
    retry: 'transient',
    waiting: (f) =>
      f.provisioningState === 'Failed'
        ? 'the account, changed just now, is in state Failed, which ARM has been seen to turn into Succeeded'
        : `the account is still provisioning, state ${f.provisioningState ?? 'unknown'}`,
    recognisedBy:
      "The account resource's `properties.provisioningState` is not `Succeeded` (nor absent or null) while the roles grant: `Accepted`, `Creating`, `Updating`, `ResolvingDNS` or `Moving` " +
      '(still provisioning: waited out up to `wait-timeout`, then reported); `Failed`, `Canceled`, `Deleting`, `Deleted` or `Disabled` (reported at once: waiting will not help), ' +
      `except \`Failed\` on an account created or modified (\`systemData\`) less than ${RECENT_CHANGE_WINDOW_MS / 60_000} minutes before, which ARM has been seen to turn into \`Succeeded\` and is waited out; ` +
      'or a blank state, one the REST spec does not list, or a value that is not a short string (waited out like a transitional one, and shown with odd characters replaced).',
    cause: (f) =>
      notReadyCause(f) +
      (rolesGrant(f)
        ? ` The roles are not the problem: ${ph(f.principalId, 'principal-object-id')} holds ${list(f.requiredDataActions, 'required-data-actions')} on ${ph(f.resourceId, 'resource-id')}.`
        : ''),
    fix: (f) => notReadyFix(f),
  },
  {
    code: 'not-signed-in',
    outcome: 'error',
    title: 'Not signed in to Azure',
    retry: 'never',
    recognisedBy: 'With `auth: default`, no credential of the default chain is available: no environment credential, managed identity or Azure CLI sign-in.',
    cause: (f) => `No credential was found to sign in with${f.serviceMessage ? ` (${f.serviceMessage})` : ''}.`,
    fix: (f) => [
      { text: 'Sign in with the Azure CLI, then run the check again:', command: f.tenantId ? `az login --tenant ${f.tenantId}` : 'az login' },
      { text: 'In a workflow, use `auth: oidc` with `client-id` and `tenant-id` instead.' },
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
        text: `Let the identity read its own permissions by also assigning ${ROLE_TO_READ.name} at the resource scope:`,
        command: roleAssignmentCommand(f, ROLE_TO_READ),
      },
    ],
  },
  {
    code: 'throttled',
    outcome: 'error',
    title: 'Azure kept throttling the check',
    retry: 'transient',
    recognisedBy: 'HTTP 429 answers lasted until the deadline, or asked (Retry-After) for a wait longer than what was left of `wait-timeout`.',
    cause: (f) =>
      f.retryAfterSeconds !== undefined
        ? `Azure answered 429 Too Many Requests (${serviceDetail(f) || 'HTTP 429'}) and asked to wait ${f.retryAfterSeconds} s, longer than what was left of \`wait-timeout\`, so the check stopped at once.`
        : `Azure answered 429 Too Many Requests until the deadline (${serviceDetail(f) || 'HTTP 429'}).`,
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
      {
        text:
          "Re-run the job. On a self-hosted runner, check that it reaches GitHub's token service, Entra ID and Azure Resource Manager: " +
          'a name that does not resolve is its DNS, an HTTP 407 is a proxy that wants credentials (HTTPS_PROXY, NO_PROXY).',
      },
    ],
  },
  {
    code: 'request-refused',
    outcome: 'error',
    title: 'Azure refused the request itself',
    retry: 'never',
    recognisedBy:
      'Azure Resource Manager answered a 4xx other than 401, 403, 404, 408 and 429 (400 InvalidApiVersionParameter, NoRegisteredProviderFound, 405, 409): the request was refused, not the identity, and it is refused alike on every attempt.',
    cause: (f) => `Azure Resource Manager refused the check's request (${serviceDetail(f) || 'HTTP 4xx'}), so access can be neither proven nor ruled out.`,
    fix: () => [
      {
        text:
          'With `cloud: Custom`, check that `resource-manager-endpoint` is that cloud\'s Resource Manager and offers the API versions the check uses (its message lists the ones it supports). Otherwise report it to this action\'s maintainers with the code and message above.',
      },
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

/** Something a person should know that does not change the verdict: shown with the resource, never as its diagnosis. */
export type NoteCode = 'keys-enabled';

export interface NoteRow {
  readonly code: NoteCode;
  readonly title: string;
  readonly recognisedBy: string;
  readonly text: (facts: Facts) => string;
  readonly fix: (facts: Facts) => readonly FixStep[];
}

export const NOTES: readonly NoteRow[] = [
  {
    code: 'keys-enabled',
    title: 'Keyless is not enforced',
    recognisedBy: 'The account resource has `disableLocalAuth` false or absent: it still accepts API keys. This does not fail the check.',
    text: (f) =>
      `${ph(accountId(f.resourceId), 'resource-id')} still accepts API keys, so keyless access works but is not enforced: anyone holding a key can call it without Entra ID.`,
    fix: (f) => [
      {
        text: 'Once every client signs in with Entra ID, turn keys off:',
        command: `az resource update --ids ${ph(accountId(f.resourceId), 'resource-id')} --set properties.disableLocalAuth=true`,
      },
    ],
  },
];

export function noteFor(code: NoteCode): NoteRow {
  const note = NOTES.find((row) => row.code === code);
  if (!note) throw new Error(`no note for ${code}`);
  return note;
}

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

/** How a renderer writes fix steps: a step's text (with its place in the list), and a command's lines. */
export interface FixFormat {
  step(text: string, index: number): string;
  command(command: string): readonly string[];
}

/** The one walk over fix steps; the log, Markdown, the terminal and the docs differ only in their format. */
export function fixLines(steps: readonly FixStep[], format: FixFormat): string[] {
  return steps.flatMap((step, index) => [format.step(step.text, index), ...(step.command ? format.command(step.command) : [])]);
}

/** `Fix:` lines with the commands indented under them: the log and the annotations. */
const PLAIN_FIX: FixFormat = { step: (text) => `Fix: ${text}`, command: (command) => command.split('\n').map((line) => `  ${line}`) };

/** One line per fix step, commands indented: the plain-text form used in logs and annotations. */
export function plainText(rendered: RenderedDiagnosis): string {
  return [`${rendered.title}: ${rendered.cause}`, ...fixLines(rendered.fix, PLAIN_FIX)].join('\n');
}
