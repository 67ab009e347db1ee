import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseScope, resourceName } from './arm-scope.js';
import { BUILTIN_ROLES } from './builtin-roles.js';
import { JsonReader } from './json-reader.js';
import { ROUTE_NAMES, ROUTES, type RouteName } from './routes.js';

/** The issuer GitHub Actions puts in its OIDC tokens; the emulator signs tokens as this issuer. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** The audience Entra expects in a GitHub token exchanged in the public cloud. */
export const AZURE_FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

// ---------------------------------------------------------------------------------------------
// What a scenario file may contain. Every optional field has the default named in its comment.
// ---------------------------------------------------------------------------------------------

/** A scenario as written in a JSON file or passed to `startEmulator`. */
export interface ScenarioInput {
  /** Short label shown by `npm run emulator`. Default: the file name, if loaded from a file. */
  name?: string;
  /** One or two sentences on what the scenario demonstrates and the expected outcome. */
  description?: string;
  /** The Entra tenant (directory) ID. Default: `00000000-0000-4000-8000-000000000001`. */
  tenantId?: string;
  /** App registrations in the tenant, each with its service principal. Default: none. */
  apps?: AppInput[];
  /** The workflow run whose OIDC token the emulated GitHub issues. */
  github?: GitHubRunInput;
  /** Entra ID token endpoint settings. */
  entra?: { /** Lifetime of issued access tokens. Default 3599. */ accessTokenLifetimeSeconds?: number };
  /** Security groups, for assignments that reach a principal through membership. Default: none. */
  groups?: GroupInput[];
  /** Foundry (Cognitive Services) accounts. Default: none. */
  resources?: ResourceInput[];
  /** Custom role definitions. The built-in roles in builtin-roles.ts are always present as well. */
  roleDefinitions?: RoleDefinitionInput[];
  /** Role assignments. Default: none. */
  roleAssignments?: RoleAssignmentInput[];
  /** Deny assignments (made by Azure for managed applications, deployment stacks…). Default: none. */
  denyAssignments?: DenyAssignmentInput[];
  /** ARM behaviour switches. */
  arm?: ArmSettingsInput;
  /** Foundry data-plane behaviour switches. */
  data?: DataPlaneSettingsInput;
  /** Failures to inject, and recorded answers to replay, before normal handling. Default: none. */
  faults?: FaultInput[];
}

export interface AppInput {
  /** The application (client) ID the action is configured with. */
  clientId: string;
  /** Object ID of the app's service principal: the `oid` of its access tokens and the principal in role assignments. */
  objectId: string;
  /** Display name, used in error messages. Default: the client ID. */
  displayName?: string;
  /** A disabled service principal cannot sign in (AADSTS7000112). Default false. */
  disabled?: boolean;
  /** An app registration without a service principal in the tenant gets no tokens (AADSTS7000229). Default true. */
  servicePrincipal?: boolean;
  /** Federated identity credentials trusted for client assertions. Default: none. */
  federatedCredentials?: FederatedCredentialInput[];
}

export interface FederatedCredentialInput {
  /** Credential name. Default `fic-<index>`. */
  name?: string;
  /** Trusted issuer; compared exactly. Default: the GitHub Actions issuer. */
  issuer?: string;
  /** Trusted subject; compared exactly and case-sensitively, as Entra does. */
  subject: string;
  /** Accepted audiences. Default `['api://AzureADTokenExchange']`. */
  audiences?: string[];
}

/** The workflow run whose OIDC token the emulated GitHub hands out. */
export interface GitHubRunInput {
  /** Claims of the token. Those left out are derived the way GitHub composes them. */
  claims?: GitHubClaimsInput;
  /** `exp - iat` of issued tokens. Default 300, as GitHub. */
  tokenLifetimeSeconds?: number;
  /** The REST API the workflow token reaches (pull-request comments). */
  rest?: { /** The workflow's GITHUB_TOKEN. Default `ghs_emulator_workflow_token`. */ token?: string; /** Default `write`. */ pullRequestsPermission?: 'write' | 'read' };
  /** The pull request the run is for, with `event_name: pull_request`. Default 7. */
  pullRequestNumber?: number;
  /**
   * Hand out tokens already this many seconds old (`iat` in the past), as a cache or a skewed clock would;
   * above `tokenLifetimeSeconds` they arrive expired. Default 0.
   */
  tokenAgeSeconds?: number;
  /** Emulate a run without `id-token: write`: `runnerEnv()` then omits the ACTIONS_ID_TOKEN_* variables. Default false. */
  idTokenUnavailable?: boolean;
}

/**
 * OIDC claims of the run, put in the token verbatim. Any claim not named here (e.g. `repository_id`)
 * may be added too; GitHub's claims are strings. `iss`, `aud`, `iat`, `nbf`, `exp` and `jti` are set per token.
 */
export interface GitHubClaimsInput {
  /** Default `contoso/foundry-app`. */
  repository?: string;
  /** Default: the owner part of `repository`. */
  repository_owner?: string;
  /** Default `refs/heads/main`. */
  ref?: string;
  /** Default `tag` for `refs/tags/…`, else `branch`. */
  ref_type?: string;
  /** Default `push`. */
  event_name?: string;
  /** Deployment environment of the job, if any; it changes the default `sub`. */
  environment?: string;
  /** Default `repo:<repository>:environment:<environment>`, else `repo:<repository>:pull_request` for pull_request events, else `repo:<repository>:ref:<ref>`. */
  sub?: string;
  /** Default `<repository>/.github/workflows/foundry-check.yml@<ref>`. */
  workflow_ref?: string;
  /** Default: `workflow_ref`. */
  job_workflow_ref?: string;
  /** Default `4242424242`. */
  run_id?: string;
  /** Default `7`. */
  run_number?: string;
  /** Default `1`. */
  run_attempt?: string;
  /** Default: the repository owner. */
  actor?: string;
  [claim: string]: string | number | boolean | undefined;
}

export interface GroupInput {
  objectId: string;
  /** Default: the object ID. */
  displayName?: string;
  /** Object IDs of member principals or groups (groups may nest). Default: none. */
  members?: string[];
}

export interface ResourceInput {
  /** Full ARM ID: `/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>`. */
  id: string;
  /** Account kind. Default `AIServices`. */
  kind?: string;
  /** Azure region. Default `eastus`. */
  location?: string;
  /**
   * Model deployments the data plane serves, and ARM lists (`{id}/deployments`, Succeeded, created long ago).
   * Default `['gpt-4o-mini']`.
   */
  deployments?: string[];
  /**
   * Deployments made as the run starts. ARM lists each at once, `Creating` until `servedAfterSeconds` have passed
   * and `provisioningState` after, with `systemData` stamped at the start; the data plane serves it only once it is
   * `Succeeded` and that time has passed, and until then answers 404 `unknown_model` like for any unknown name.
   * Default: none.
   */
  newDeployments?: NewDeploymentInput[];
  /**
   * `properties.endpoint` of the account. Default `{data}/<accountName>/`. `{data}` stands for the data-plane
   * URL, because every account shares the one data-plane port and is told apart by its path prefix.
   */
  endpoint?: string;
  /** `properties.endpoints` of the account (same `{data}` placeholder). Default: the inference APIs, all at `endpoint`. */
  endpoints?: Record<string, string>;
  /**
   * `properties.customSubDomainName`. Default: the account name. `null` leaves it out, as on an account with only a
   * regional endpoint; the data plane then refuses bearer tokens (401), as regional endpoints accept keys only.
   */
  customSubDomainName?: string | null;
  /** `properties.publicNetworkAccess`. Default `Enabled`. With `Disabled` the data plane answers 403 to every caller. */
  publicNetworkAccess?: 'Enabled' | 'Disabled';
  /**
   * `properties.networkAcls`. Default: none (every network allowed). With `defaultAction: Deny` the data plane answers
   * 403 unless `ipRules` lists `127.0.0.1` (the emulator's callers all come from there).
   */
  networkAcls?: NetworkAclsInput | null;
  /** `properties.disableLocalAuth`. Default true. `null` leaves it out (keys accepted). */
  disableLocalAuth?: boolean | null;
  /**
   * `properties.provisioningState`. Default `Succeeded`. Any string, so a test can send a state the REST spec does not
   * list; `null` leaves it out. The data plane is unaffected (what a real one answers meanwhile is not recorded).
   */
  provisioningState?: string | null;
  /** Seconds after emulator start when `provisioningState` turns `Succeeded`, as a new account finishes. Default: never. */
  succeededAfterSeconds?: number | null;
  /**
   * `systemData.lastModifiedAt` of the account, this many seconds before the emulator's start (0: as it starts), as
   * an account just created or changed shows. Default: `createdAt`, a fixed day long ago (2025-01-06).
   */
  modifiedSecondsAgo?: number | null;
  /**
   * Foundry projects under the account, by name: `GET {id}/projects/{name}` answers, and role assignments may be
   * made at `{id}/projects/{name}` (they reach that project only). Default: none.
   */
  projects?: string[];
}

/** A deployment on its way: see `ResourceInput.newDeployments`. */
export interface NewDeploymentInput {
  name: string;
  /** Seconds after the emulator's start when it is done. Default 0. */
  servedAfterSeconds?: number;
  /** Its provisioning state once done. Default `Succeeded`; any other state is never served. */
  provisioningState?: string;
}

/** The account's firewall, as ARM shows it (`NetworkRuleSet` in the Cognitive Services REST spec). */
export interface NetworkAclsInput {
  defaultAction: 'Allow' | 'Deny';
  /** Addresses or CIDR ranges let through. Default: none. */
  ipRules?: string[];
  /** Subnet IDs let through. Default: none. */
  virtualNetworkRules?: string[];
}

export interface PermissionInput {
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

export interface RoleDefinitionInput {
  /** The role's GUID. */
  id: string;
  roleName: string;
  /** Default: empty. */
  description?: string;
  /** Permission blocks; a notAction only subtracts from its own block. */
  permissions: PermissionInput[];
  /** Default `['/']`. */
  assignableScopes?: string[];
}

export interface RoleAssignmentInput {
  /** The assignment's name (a GUID). Default: derived from principal, role and scope, so it is stable. */
  id?: string;
  principalId: string;
  principalType: PrincipalType;
  /** Role definition GUID, or a full `…/providers/Microsoft.Authorization/roleDefinitions/<guid>` ID. */
  roleDefinitionId: string;
  /** `/`, a subscription, a resource group or a resource. */
  scope: string;
  /** ISO timestamp. Default: when the emulator started. */
  createdOn?: string;
  /**
   * Seconds after emulator start before the assignment authorizes anything (permissions list, data plane).
   * It is listed by the roleAssignments API at once, as ARM does. Default 0.
   */
  effectiveAfterSeconds?: number;
  /**
   * An ABAC condition on the assignment (`condition`, with `conditionVersion` 2.0). ARM lists it with the assignment
   * and on each permission entry it yields. The emulator cannot evaluate conditions: `conditionHolds` says whether
   * the data plane treats it as met for model calls. Default: none.
   */
  condition?: string | null;
  /** Whether `condition` holds for model calls. Default false. */
  conditionHolds?: boolean;
}

/**
 * A deny assignment, in the shape of Microsoft.Authorization DenyAssignment: it blocks its actions for its
 * principals (a principal ID, a group, or everyone: `00000000-0000-0000-0000-000000000000`, type `SystemDefined`)
 * at its scope and below, whatever role assignments grant. ARM's permissions list does not show it; the data plane
 * honours it.
 */
export interface DenyAssignmentInput {
  /** The deny assignment's name (a GUID). Default: derived from name and scope. */
  id?: string;
  /** `denyAssignmentName`. */
  name: string;
  scope: string;
  principals: { id: string; type: string }[];
  /** Default: none. */
  excludePrincipals?: { id: string; type: string }[];
  /** Default: none. */
  actions?: string[];
  /** Default: none. */
  dataActions?: string[];
  /** Default: none. */
  notDataActions?: string[];
  /** Default false. */
  doNotApplyToChildScopes?: boolean;
}

export type DenyAssignment = Required<DenyAssignmentInput>;

export interface ArmSettingsInput {
  /**
   * When true, listing your own permissions needs an action covering `Microsoft.Authorization/permissions/read`
   * (Reader's `*\/read` does) and otherwise answers 403 AuthorizationFailed. Default false: any authenticated caller.
   */
  permissionsReadRequiresAction?: boolean;
  /** Maximum entries per page of the list APIs before a `nextLink`. Default 100. */
  pageSize?: number;
}

export interface DataPlaneSettingsInput {
  /** Answer the older "Principal does not have access to API/Operation." denial message. Default false. */
  legacyDenyMessage?: boolean;
  /**
   * Seconds the data plane lags behind ARM in honouring an assignment (it caches role assignments longer):
   * an assignment authorizes model calls only `effectiveAfterSeconds + lagSeconds` after start. Default 0.
   */
  lagSeconds?: number;
}

export type ServiceName = 'github' | 'entra' | 'arm' | 'data';
export type PrincipalType = 'ServicePrincipal' | 'Group' | 'User';
export type FaultKind = 'status' | 'reset' | 'stall' | 'malformed-json' | 'truncated' | 'replay' | 'huge' | 'slow';

/** One recorded HTTP answer: status, headers and body exactly as recorded. */
export interface RecordedAnswer {
  status: number;
  /** Sent as given (names lower-cased); `content-length` is always recomputed. */
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

/** A fault as a scenario states it: `route` may stand in for `service`, `method` and `pathPattern`. */
export type FaultInput = Omit<Fault, 'service'> & { service?: ServiceName };

/** A failure injected into one service before its normal handling, or a recorded answer replayed. */
export interface Fault {
  service: ServiceName;
  /**
   * One of the action's requests by name (routes.ts): its service, method, path and, for the token endpoint,
   * the scope asked for (`entra-token` is the ARM token, `entra-token-data-plane` the data-plane one).
   */
  route?: RouteName;
  /** HTTP method to match, case-insensitive. Default: any. */
  method?: string;
  /** Regular expression (source, case-insensitive) tested against the request path without its query. Default: any. */
  pathPattern?: string;
  /**
   * `status`: answer `status` with `body`. `reset`: destroy the connection without answering. `stall`: never
   * answer. `malformed-json`: 200 with a body that is not JSON. `truncated`: 200 whose body stops short of its
   * Content-Length, then the connection closes. `replay`: answer `status`, `headers` and `body` exactly, then
   * `pages` in turn for the requests after it (the next pages of a list), starting over after the last.
   * Hostile answers: `huge`: 200 with a JSON-looking body of `bytes` bytes, streamed without a Content-Length.
   * `slow`: 200 whose body arrives one byte a second, never ending.
   */
  kind: FaultKind;
  /**
   * For `replay`: headers as recorded. For `status`: headers to send, e.g. `location` for a redirect, `link` for a
   * next page, `content-type` for an HTML page; in `body` and header values, `{{bearer}}` stands for the bearer
   * token the request carried (a service that echoes the token back).
   */
  headers?: Record<string, string>;
  /** For `replay`: the answers to the following matching requests, for paged lists. */
  pages?: RecordedAnswer[];
  /** For `huge`: the body's size. Default 600 MB. */
  bytes?: number;
  /** For `status`. Default 503. */
  status?: number;
  /** For `status`: a string is sent as is, anything else as JSON. Default: an error body in the service's own format. */
  body?: unknown;
  /** Sets `Retry-After` (seconds). */
  retryAfter?: number;
  /** Apply to the first N matching requests only (after `after`). Default: every matching request. */
  times?: number;
  /** Let this many matching requests through before the fault applies: a fault on the second page of a list. Default 0. */
  after?: number;
}

// ---------------------------------------------------------------------------------------------
// The resolved scenario: every default filled in.
// ---------------------------------------------------------------------------------------------

export interface Scenario {
  name?: string;
  description?: string;
  tenantId: string;
  apps: App[];
  github: GitHubRun;
  entra: { accessTokenLifetimeSeconds: number };
  groups: Group[];
  resources: FoundryResource[];
  /** The built-in roles followed by the scenario's custom roles. */
  roleDefinitions: RoleDefinition[];
  roleAssignments: RoleAssignment[];
  denyAssignments: DenyAssignment[];
  arm: Required<ArmSettingsInput>;
  data: Required<DataPlaneSettingsInput>;
  faults: Fault[];
}

export type FederatedCredential = Required<FederatedCredentialInput>;

export interface App extends Required<Omit<AppInput, 'federatedCredentials'>> {
  federatedCredentials: FederatedCredential[];
}

export interface GitHubRun {
  claims: GitHubClaims;
  tokenLifetimeSeconds: number;
  tokenAgeSeconds: number;
  idTokenUnavailable: boolean;
  rest: { token: string; pullRequestsPermission: 'write' | 'read' };
  pullRequestNumber: number;
}

export interface GitHubClaims extends GitHubClaimsInput {
  sub: string;
  repository: string;
  repository_owner: string;
  ref: string;
  ref_type: string;
  event_name: string;
  workflow_ref: string;
  job_workflow_ref: string;
  run_id: string;
  run_number: string;
  run_attempt: string;
  actor: string;
}

export type Group = Required<GroupInput>;

export interface FoundryResource extends Required<Omit<ResourceInput, 'endpoints' | 'networkAcls' | 'newDeployments'>> {
  newDeployments: Required<NewDeploymentInput>[];
  /** The account name: the last segment of `id`, and the resource's path prefix on the data plane. */
  name: string;
  endpoints: Record<string, string>;
  networkAcls: Required<NetworkAclsInput> | null;
}

export type Permission = Required<PermissionInput>;

export interface RoleDefinition extends Required<Omit<RoleDefinitionInput, 'permissions'>> {
  type: 'BuiltInRole' | 'CustomRole';
  permissions: Permission[];
}

export interface RoleAssignment extends Required<Omit<RoleAssignmentInput, 'roleDefinitionId' | 'condition'>> {
  /** The role definition's GUID, lower-case. */
  roleDefinitionId: string;
  condition: string | null;
}

/** A scenario that cannot be used; the message lists every problem found, each with its JSON path. */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid scenario ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** Reads, validates and resolves a JSON scenario file. */
export function loadScenario(path: string, options: { now?: number } = {}): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  const fileName = path.split(/[\\/]/).pop()?.replace(/\.json$/i, '');
  const scenario = resolveScenario(json as ScenarioInput, { ...options, source: path });
  if (scenario.name === undefined && fileName) scenario.name = fileName;
  return scenario;
}

/**
 * Validates a scenario and fills in its defaults. Resolving a resolved scenario again gives the same result.
 * @param options.now epoch milliseconds used for default `createdOn` timestamps (default: now)
 */
export function resolveScenario(input: ScenarioInput, options: { now?: number; source?: string } = {}): Scenario {
  const r = new JsonReader();
  const root = r.object(input, '$');
  r.onlyKnown(root, '$', [
    'name', 'description', 'tenantId', 'apps', 'github', 'entra', 'groups', 'resources',
    'roleDefinitions', 'roleAssignments', 'denyAssignments', 'arm', 'data', 'faults',
  ]);
  const createdOn = new Date(options.now ?? Date.now()).toISOString();

  const customRoles = r.list(root, 'roleDefinitions', '$').flatMap((item, i) => resolveRoleDefinition(r, item, `$.roleDefinitions[${i}]`));
  const roleDefinitions = [...BUILTIN_ROLES.map(cloneRole), ...customRoles];
  const knownRoles = new Set(roleDefinitions.map((d) => d.id));

  const entra = r.object(root.entra ?? {}, '$.entra');
  r.onlyKnown(entra, '$.entra', ['accessTokenLifetimeSeconds']);
  const arm = r.object(root.arm ?? {}, '$.arm');
  r.onlyKnown(arm, '$.arm', ['permissionsReadRequiresAction', 'pageSize']);
  const data = r.object(root.data ?? {}, '$.data');
  r.onlyKnown(data, '$.data', ['legacyDenyMessage', 'lagSeconds']);

  const scenario: Scenario = {
    ...(root.name !== undefined ? { name: r.string(root, 'name', '$') } : {}),
    ...(root.description !== undefined ? { description: r.string(root, 'description', '$') } : {}),
    tenantId: r.guid(root, 'tenantId', '$', '00000000-0000-4000-8000-000000000001'),
    apps: r.list(root, 'apps', '$').map((item, i) => resolveApp(r, item, `$.apps[${i}]`)),
    github: resolveGitHubRun(r, root.github ?? {}, '$.github'),
    entra: { accessTokenLifetimeSeconds: r.number(entra, 'accessTokenLifetimeSeconds', '$.entra', 3599, 1) },
    groups: r.list(root, 'groups', '$').map((item, i) => resolveGroup(r, item, `$.groups[${i}]`)),
    resources: r.list(root, 'resources', '$').map((item, i) => resolveResource(r, item, `$.resources[${i}]`)),
    roleDefinitions,
    roleAssignments: r
      .list(root, 'roleAssignments', '$')
      .map((item, i) => resolveAssignment(r, item, `$.roleAssignments[${i}]`, knownRoles, createdOn)),
    denyAssignments: r.list(root, 'denyAssignments', '$').map((item, i) => resolveDenyAssignment(r, item, `$.denyAssignments[${i}]`)),
    arm: {
      permissionsReadRequiresAction: r.boolean(arm, 'permissionsReadRequiresAction', '$.arm', false),
      pageSize: r.number(arm, 'pageSize', '$.arm', 100, 1),
    },
    data: { legacyDenyMessage: r.boolean(data, 'legacyDenyMessage', '$.data', false), lagSeconds: r.number(data, 'lagSeconds', '$.data', 0, 0) },
    faults: r.list(root, 'faults', '$').map((item, i) => resolveFault(r, item, `$.faults[${i}]`)),
  };

  r.unique(scenario.apps.map((a) => a.clientId.toLowerCase()), '$.apps', 'clientId');
  r.unique(scenario.resources.map((res) => res.name.toLowerCase()), '$.resources', 'account name');
  r.unique(scenario.roleDefinitions.map((d) => d.id), '$.roleDefinitions', 'id (custom roles must not reuse a built-in GUID)');
  if (r.problems.length > 0) throw new ScenarioError(options.source ?? '(object)', r.problems);
  return scenario;
}

function resolveApp(r: JsonReader, value: unknown, path: string): App {
  const o = r.object(value, path);
  r.onlyKnown(o, path, ['clientId', 'objectId', 'displayName', 'disabled', 'servicePrincipal', 'federatedCredentials']);
  const clientId = r.guid(o, 'clientId', path);
  return {
    clientId,
    objectId: r.guid(o, 'objectId', path),
    displayName: r.string(o, 'displayName', path, clientId),
    disabled: r.boolean(o, 'disabled', path, false),
    servicePrincipal: r.boolean(o, 'servicePrincipal', path, true),
    federatedCredentials: r.list(o, 'federatedCredentials', path).map((item, i) => {
      const p = `${path}.federatedCredentials[${i}]`;
      const fc = r.object(item, p);
      r.onlyKnown(fc, p, ['name', 'issuer', 'subject', 'audiences']);
      return {
        name: r.string(fc, 'name', p, `fic-${i}`),
        issuer: r.string(fc, 'issuer', p, GITHUB_ISSUER),
        subject: r.string(fc, 'subject', p),
        audiences: r.strings(fc, 'audiences', p, [AZURE_FEDERATION_AUDIENCE]),
      };
    }),
  };
}

function resolveGitHubRun(r: JsonReader, value: unknown, path: string): GitHubRun {
  const o = r.object(value, path);
  r.onlyKnown(o, path, ['claims', 'tokenLifetimeSeconds', 'tokenAgeSeconds', 'idTokenUnavailable', 'rest', 'pullRequestNumber']);
  const rest = (o.rest ?? {}) as { token?: unknown; pullRequestsPermission?: unknown };
  const claimsPath = `${path}.claims`;
  const c = r.object(o.claims ?? {}, claimsPath);
  const repository = r.string(c, 'repository', claimsPath, 'contoso/foundry-app');
  const owner = repository.split('/')[0] ?? repository;
  const ref = r.string(c, 'ref', claimsPath, 'refs/heads/main');
  const eventName = r.string(c, 'event_name', claimsPath, 'push');
  const environment = c.environment === undefined ? undefined : r.string(c, 'environment', claimsPath);
  // GitHub builds the default subject from the environment first, then pull_request, then the ref.
  const defaultSub =
    environment !== undefined
      ? `repo:${repository}:environment:${environment}`
      : eventName === 'pull_request'
        ? `repo:${repository}:pull_request`
        : `repo:${repository}:ref:${ref}`;
  const workflowRef = r.string(c, 'workflow_ref', claimsPath, `${repository}/.github/workflows/foundry-check.yml@${ref}`);
  const extra: Record<string, string | number | boolean> = {};
  for (const [key, claim] of Object.entries(c)) {
    if (typeof claim === 'string' || typeof claim === 'number' || typeof claim === 'boolean') extra[key] = claim;
    else r.problem(`${claimsPath}.${key}`, 'must be a string, number or boolean');
  }
  if (['iss', 'aud', 'iat', 'nbf', 'exp', 'jti'].some((k) => k in extra)) {
    r.problem(claimsPath, 'iss, aud, iat, nbf, exp and jti are set per token and cannot be configured');
  }
  return {
    claims: {
      ...extra,
      sub: r.string(c, 'sub', claimsPath, defaultSub),
      repository,
      repository_owner: r.string(c, 'repository_owner', claimsPath, owner),
      ref,
      ref_type: r.string(c, 'ref_type', claimsPath, ref.startsWith('refs/tags/') ? 'tag' : 'branch'),
      event_name: eventName,
      ...(environment !== undefined ? { environment } : {}),
      workflow_ref: workflowRef,
      job_workflow_ref: r.string(c, 'job_workflow_ref', claimsPath, workflowRef),
      run_id: r.string(c, 'run_id', claimsPath, '4242424242'),
      run_number: r.string(c, 'run_number', claimsPath, '7'),
      run_attempt: r.string(c, 'run_attempt', claimsPath, '1'),
      actor: r.string(c, 'actor', claimsPath, owner),
    },
    tokenLifetimeSeconds: r.number(o, 'tokenLifetimeSeconds', path, 300, 1),
    tokenAgeSeconds: r.number(o, 'tokenAgeSeconds', path, 0, 0),
    rest: {
      token: typeof rest.token === 'string' ? rest.token : 'ghs_emulator_workflow_token',
      pullRequestsPermission: rest.pullRequestsPermission === 'read' ? 'read' : 'write',
    },
    pullRequestNumber: r.number(o, 'pullRequestNumber', path, 7, 1),
    idTokenUnavailable: r.boolean(o, 'idTokenUnavailable', path, false),
  };
}

function resolveGroup(r: JsonReader, value: unknown, path: string): Group {
  const o = r.object(value, path);
  r.onlyKnown(o, path, ['objectId', 'displayName', 'members']);
  const objectId = r.guid(o, 'objectId', path);
  return {
    objectId,
    displayName: r.string(o, 'displayName', path, objectId),
    members: r.strings(o, 'members', path, []),
  };
}

function resolveResource(r: JsonReader, value: unknown, path: string): FoundryResource {
  const o = r.object(value, path);
  r.onlyKnown(o, path, [
    'id', 'name', 'kind', 'location', 'deployments', 'newDeployments', 'endpoint', 'endpoints', 'customSubDomainName', 'publicNetworkAccess', 'networkAcls', 'disableLocalAuth', 'projects',
    'provisioningState', 'succeededAfterSeconds', 'modifiedSecondsAgo',
  ]);
  const id = r.string(o, 'id', path);
  const parsed = parseScope(id);
  let name = '';
  if (!parsed.ok || parsed.scope.level !== 'resource') {
    r.problem(`${path}.id`, parsed.ok ? `'${id}' is not a resource ID` : parsed.reason);
  } else {
    name = resourceName(parsed.scope) ?? '';
  }
  // `name` only appears when a resolved scenario is resolved again; it must agree with the ID.
  if (o.name !== undefined && o.name !== name) r.problem(`${path}.name`, `is derived from the id ('${name}'); leave it out`);
  const endpoint = r.string(o, 'endpoint', path, `{data}/${name}/`);
  const endpointsObject = r.object(
    o.endpoints ?? {
      'AI Foundry API': endpoint,
      'Azure AI Model Inference API': endpoint,
      'OpenAI Language Model Instance API': endpoint,
    },
    `${path}.endpoints`,
  );
  const endpoints: Record<string, string> = {};
  for (const key of Object.keys(endpointsObject)) endpoints[key] = r.string(endpointsObject, key, `${path}.endpoints`);
  return {
    id,
    name,
    kind: r.string(o, 'kind', path, 'AIServices'),
    location: r.string(o, 'location', path, 'eastus'),
    deployments: r.strings(o, 'deployments', path, ['gpt-4o-mini']),
    newDeployments: r.list(o, 'newDeployments', path).map((item, i) => resolveNewDeployment(r, item, `${path}.newDeployments[${i}]`)),
    endpoint,
    endpoints,
    customSubDomainName: o.customSubDomainName === null ? null : r.string(o, 'customSubDomainName', path, name),
    publicNetworkAccess: r.oneOf(o, 'publicNetworkAccess', path, ['Enabled', 'Disabled'] as const, 'Enabled'),
    networkAcls: o.networkAcls === undefined || o.networkAcls === null ? null : resolveNetworkAcls(r, o.networkAcls, `${path}.networkAcls`),
    disableLocalAuth: o.disableLocalAuth === null ? null : r.boolean(o, 'disableLocalAuth', path, true),
    projects: r.strings(o, 'projects', path, []),
    provisioningState: o.provisioningState === null ? null : r.string(o, 'provisioningState', path, 'Succeeded'),
    succeededAfterSeconds: o.succeededAfterSeconds === undefined || o.succeededAfterSeconds === null ? null : r.number(o, 'succeededAfterSeconds', path, 0, 0),
    modifiedSecondsAgo: o.modifiedSecondsAgo === undefined || o.modifiedSecondsAgo === null ? null : r.number(o, 'modifiedSecondsAgo', path, 0, 0),
  };
}

function resolveNewDeployment(r: JsonReader, value: unknown, path: string): Required<NewDeploymentInput> {
  const o = r.object(value, path);
  r.onlyKnown(o, path, ['name', 'servedAfterSeconds', 'provisioningState']);
  return {
    name: r.string(o, 'name', path),
    servedAfterSeconds: r.number(o, 'servedAfterSeconds', path, 0, 0),
    provisioningState: r.string(o, 'provisioningState', path, 'Succeeded'),
  };
}

function resolveNetworkAcls(r: JsonReader, value: unknown, path: string): Required<NetworkAclsInput> {
  const o = r.object(value, path);
  r.onlyKnown(o, path, ['defaultAction', 'ipRules', 'virtualNetworkRules']);
  return {
    defaultAction: r.oneOf(o, 'defaultAction', path, ['Allow', 'Deny'] as const),
    ipRules: r.strings(o, 'ipRules', path, []),
    virtualNetworkRules: r.strings(o, 'virtualNetworkRules', path, []),
  };
}

function resolveRoleDefinition(r: JsonReader, value: unknown, path: string): RoleDefinition[] {
  const o = r.object(value, path);
  r.onlyKnown(o, path, ['id', 'roleName', 'description', 'type', 'permissions', 'assignableScopes']);
  // A resolved scenario lists the built-ins too; they are re-added from source, not copied.
  if (o.type === 'BuiltInRole') return [];
  const permissions = r.list(o, 'permissions', path).map((item, i): Permission => {
    const p = `${path}.permissions[${i}]`;
    const block = r.object(item, p);
    r.onlyKnown(block, p, ['actions', 'notActions', 'dataActions', 'notDataActions']);
    return {
      actions: r.strings(block, 'actions', p, []),
      notActions: r.strings(block, 'notActions', p, []),
      dataActions: r.strings(block, 'dataActions', p, []),
      notDataActions: r.strings(block, 'notDataActions', p, []),
    };
  });
  if (permissions.length === 0) r.problem(`${path}.permissions`, 'a role needs at least one permission block');
  return [
    {
      id: r.guid(o, 'id', path).toLowerCase(),
      roleName: r.string(o, 'roleName', path),
      description: r.string(o, 'description', path, ''),
      type: 'CustomRole',
      permissions,
      assignableScopes: r.strings(o, 'assignableScopes', path, ['/']),
    },
  ];
}

const ROLE_DEFINITION_ID = /^(?:.*\/providers\/Microsoft\.Authorization\/roleDefinitions\/)?([0-9a-f-]{36})$/i;

function resolveAssignment(r: JsonReader, value: unknown, path: string, knownRoles: Set<string>, createdOn: string): RoleAssignment {
  const o = r.object(value, path);
  r.onlyKnown(o, path, ['id', 'principalId', 'principalType', 'roleDefinitionId', 'scope', 'createdOn', 'effectiveAfterSeconds', 'condition', 'conditionHolds']);
  const principalId = r.guid(o, 'principalId', path);
  const principalType = r.oneOf(o, 'principalType', path, ['ServicePrincipal', 'Group', 'User'] as const);
  const roleText = r.string(o, 'roleDefinitionId', path);
  const roleDefinitionId = ROLE_DEFINITION_ID.exec(roleText)?.[1]?.toLowerCase() ?? '';
  if (roleText && !knownRoles.has(roleDefinitionId)) {
    r.problem(`${path}.roleDefinitionId`, `'${roleText}' is neither a built-in role GUID nor the id of a custom role in roleDefinitions`);
  }
  const scope = r.string(o, 'scope', path);
  const parsed = parseScope(scope);
  if (!parsed.ok) r.problem(`${path}.scope`, parsed.reason);
  const normalizedScope = parsed.ok ? parsed.scope.path : scope;
  const createdOnValue = r.string(o, 'createdOn', path, createdOn);
  if (Number.isNaN(Date.parse(createdOnValue))) r.problem(`${path}.createdOn`, `'${createdOnValue}' is not an ISO timestamp`);
  return {
    id: o.id === undefined ? stableGuid(`${principalId}|${roleDefinitionId}|${normalizedScope.toLowerCase()}`) : r.guid(o, 'id', path),
    principalId,
    principalType,
    roleDefinitionId,
    scope: normalizedScope,
    createdOn: createdOnValue,
    effectiveAfterSeconds: r.number(o, 'effectiveAfterSeconds', path, 0, 0),
    condition: o.condition === undefined || o.condition === null ? null : r.string(o, 'condition', path),
    conditionHolds: r.boolean(o, 'conditionHolds', path, false),
  };
}

function resolveDenyAssignment(r: JsonReader, value: unknown, path: string): DenyAssignment {
  const o = r.object(value, path);
  r.onlyKnown(o, path, ['id', 'name', 'scope', 'principals', 'excludePrincipals', 'actions', 'dataActions', 'notDataActions', 'doNotApplyToChildScopes']);
  const principals = (key: string): { id: string; type: string }[] =>
    r.list(o, key, path).map((item, i) => {
      const p = r.object(item, `${path}.${key}[${i}]`);
      r.onlyKnown(p, `${path}.${key}[${i}]`, ['id', 'type']);
      return { id: r.string(p, 'id', `${path}.${key}[${i}]`), type: r.string(p, 'type', `${path}.${key}[${i}]`) };
    });
  const name = r.string(o, 'name', path);
  const scope = r.string(o, 'scope', path);
  const parsed = parseScope(scope);
  if (!parsed.ok) r.problem(`${path}.scope`, parsed.reason);
  return {
    id: o.id === undefined ? stableGuid(`deny|${name}|${scope.toLowerCase()}`) : r.guid(o, 'id', path),
    name,
    scope: parsed.ok ? parsed.scope.path : scope,
    principals: principals('principals'),
    excludePrincipals: principals('excludePrincipals'),
    actions: r.strings(o, 'actions', path, []),
    dataActions: r.strings(o, 'dataActions', path, []),
    notDataActions: r.strings(o, 'notDataActions', path, []),
    doNotApplyToChildScopes: r.boolean(o, 'doNotApplyToChildScopes', path, false),
  };
}

const SERVICES: readonly ServiceName[] = ['github', 'entra', 'arm', 'data'];
const FAULT_KINDS: readonly FaultKind[] = ['status', 'reset', 'stall', 'malformed-json', 'truncated', 'replay', 'huge', 'slow'];

function resolveFault(r: JsonReader, value: unknown, path: string): Fault {
  const o = r.object(value, path);
  r.onlyKnown(o, path, ['service', 'route', 'method', 'pathPattern', 'kind', 'status', 'headers', 'body', 'pages', 'bytes', 'retryAfter', 'times', 'after']);
  const kind = r.oneOf(o, 'kind', path, FAULT_KINDS);
  const route = o.route === undefined ? undefined : r.oneOf(o, 'route', path, ROUTE_NAMES);
  const service = o.service === undefined && route !== undefined ? ROUTES[route].service : r.oneOf(o, 'service', path, SERVICES);
  if (route !== undefined && service !== ROUTES[route].service) r.problem(`${path}.service`, `route ${route} is on ${ROUTES[route].service}`);
  const fault: Fault = { service, kind };
  if (route !== undefined) fault.route = route;
  if (o.method !== undefined) fault.method = r.string(o, 'method', path).toUpperCase();
  if (o.pathPattern !== undefined) {
    fault.pathPattern = r.string(o, 'pathPattern', path);
    try {
      new RegExp(fault.pathPattern, 'i');
    } catch (error) {
      r.problem(`${path}.pathPattern`, `not a valid regular expression: ${(error as Error).message}`);
    }
  }
  if (kind === 'status' || kind === 'replay' || o.status !== undefined) fault.status = r.number(o, 'status', path, 503, 100, 599);
  if (o.headers !== undefined) fault.headers = resolveHeaders(r, o.headers, `${path}.headers`);
  if (o.body !== undefined) fault.body = o.body;
  if (o.pages !== undefined) {
    fault.pages = r.list(o, 'pages', path).map((item, i) => {
      const p = `${path}.pages[${i}]`;
      const page = r.object(item, p);
      r.onlyKnown(page, p, ['status', 'headers', 'body']);
      return {
        status: r.number(page, 'status', p, 200, 100, 599),
        ...(page.headers !== undefined ? { headers: resolveHeaders(r, page.headers, `${p}.headers`) } : {}),
        ...(page.body !== undefined ? { body: page.body } : {}),
      };
    });
  }
  if (o.bytes !== undefined) fault.bytes = r.number(o, 'bytes', path, 0, 0);
  if (o.retryAfter !== undefined) fault.retryAfter = r.number(o, 'retryAfter', path, 0, 0);
  if (o.times !== undefined) fault.times = r.number(o, 'times', path, 1, 1);
  if (o.after !== undefined) fault.after = r.number(o, 'after', path, 0, 0);
  return fault;
}

function resolveHeaders(r: JsonReader, value: unknown, path: string): Record<string, string> {
  const o = r.object(value, path);
  const headers: Record<string, string> = {};
  for (const name of Object.keys(o)) headers[name.toLowerCase()] = r.string(o, name, path);
  return headers;
}

function cloneRole(role: RoleDefinition): RoleDefinition {
  return structuredClone(role);
}

/** A GUID derived from `seed`, so generated IDs stay the same from run to run. */
export function stableGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
