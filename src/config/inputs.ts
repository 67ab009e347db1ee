import { err, ok, type Result } from '../lib/result.js';
import { dataPlaneHostAllowed } from './origin-policy.js';
import { CLOUD_NAMES, cloudFor, cloudNamed, type Cloud } from './clouds.js';
import { INPUTS, type InputName } from './input-spec.js';
import { parseResourceId, type ResourceId } from './resource-id.js';
import { WORKLOAD_NAMES, workloadPresets, type Workload } from '../decide/workloads.js';

/** How the check signs in: the workflow's GitHub OIDC token, or the Azure Identity default chain. */
type AuthMode = 'oidc' | 'default';

/** Everything a check needs, validated: no request is made until every input has passed. */
export interface Config {
  readonly auth: AuthMode;
  /** Required with `auth: oidc`; with `default`, it picks a user-assigned managed identity or workload identity. */
  readonly clientId?: string;
  /** Required with `auth: oidc`; with `default`, the chain's own tenant is used when it is absent. */
  readonly tenantId?: string;
  readonly resources: readonly ResourceId[];
  /** The data actions to require: the chosen workloads' presets, then any custom ones, without repeats. */
  readonly requiredDataActions: readonly string[];
  /** The workload presets asked for (explicitly or by default); empty when only custom data actions are required. */
  readonly workloads: readonly Workload[];
  readonly audience: string;
  readonly cloud: Cloud;
  /** A model deployment to call on the data plane; the probe runs only when it is set. */
  readonly model?: string;
  /** The data-plane endpoint to probe, when not read from the account resource. */
  readonly endpoint?: string;
  /** Entra scope of the data-plane token. */
  readonly tokenScope: string;
  readonly waitTimeoutSeconds: number;
  /** Keep waiting when no assignment grants access yet, for pipelines that assign the role in a parallel job. */
  readonly waitForAssignment: boolean;
  /** Keep one comment with the verdict on the pull request the run is for. */
  readonly commentOnPr: boolean;
  readonly failOnDenied: boolean;
}

export interface InputProblem {
  readonly input: string;
  readonly reason: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A verified domain is accepted wherever Entra accepts a tenant ID.
const TENANT_DOMAIN = /^(?=.{4,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
// Provider namespace, then `/`-separated segments of letters, digits, `.`, `-`, `_` or `*`.
const DATA_ACTION = /^[A-Za-z0-9.*_-]+(?:\/[A-Za-z0-9.*_-]+)+$/;
const AUDIENCE = /^[\x21-\x7e]{1,256}$/;
// Deployment names: letters, digits, `.`, `_`, `-`, up to 64 characters.
const MODEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_RESOURCES = 100;
const MAX_WAIT_SECONDS = 3600;

type InputReader = (name: string) => string;

/**
 * The action's inputs as the runner hands them over, read as @actions/core's getInput reads them (INPUT_ and the
 * name upper-cased, spaces as `_`), without loading it: the entry reads them before the rest of the action loads.
 */
export function runnerInputs(environment: Readonly<Record<string, string | undefined>>): InputReader {
  return (name) => environment[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
}

/**
 * Where an empty `client-id` or `tenant-id` is taken from instead, as azure/login and the Azure Identity libraries
 * do: a workflow that already sets these for its other steps need not repeat them as inputs.
 */
const ENVIRONMENT_FALLBACK = { 'client-id': 'AZURE_CLIENT_ID', 'tenant-id': 'AZURE_TENANT_ID' } as const;

/** Lines of a multi-line input, trimmed, blanks dropped, repeats removed (first one wins). */
export function inputLines(text: string): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.length === 0 || seen.has(line.toLowerCase())) continue;
    seen.add(line.toLowerCase());
    lines.push(line);
  }
  return lines;
}

/**
 * An endpoint a token will be sent to: https only, no user info, query or fragment (so the URL cannot carry
 * credentials of its own or be read two ways), and no trailing slash.
 */
export function parseEndpoint(text: string): Result<string, string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'https:') return err(`"${text}" must use https`);
  if (url.username !== '' || url.password !== '') return err('must not contain a user name or password');
  if (url.search !== '' || text.includes('?')) return err('must not have a query string');
  if (url.hash !== '' || text.includes('#')) return err('must not have a fragment');
  return ok(`${url.origin}${url.pathname}`.replace(/\/+$/, ''));
}

function parseBoolean(text: string): boolean | undefined {
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  return undefined;
}

export function parseInputs(read: InputReader, environment: Readonly<Record<string, string | undefined>> = {}): Result<Config, InputProblem[]> {
  const problems: InputProblem[] = [];
  /** The input, or when it is empty its default: from the input table, or one that depends on other inputs. */
  const get = (name: InputName, fallback?: string): string => {
    const value = read(name).trim();
    return value === '' ? (fallback ?? INPUTS[name].default ?? '') : value;
  };
  /** An input, or when it is empty the environment variable azure/login would read; `from` names the source. */
  const getOrEnvironment = (name: keyof typeof ENVIRONMENT_FALLBACK): { value: string; from: string } => {
    const variable = ENVIRONMENT_FALLBACK[name];
    const input = get(name);
    return input !== '' ? { value: input, from: '' } : { value: environment[variable]?.trim() ?? '', from: ` (from ${variable})` };
  };
  const complain = (input: InputName, reason: string): void => {
    problems.push({ input, reason });
  };

  const authText = get('auth');
  const auth = (['oidc', 'default'] as const).find((mode) => mode === authText.toLowerCase());
  if (!auth) complain('auth', `"${authText}" is not oidc or default`);

  const { value: clientId, from: clientIdFrom } = getOrEnvironment('client-id');
  if (clientId === '') {
    if (auth !== 'default') complain('client-id', 'is required (or AZURE_CLIENT_ID in the environment): the application (client) ID whose federated credential trusts this repository');
  } else if (!GUID.test(clientId)) complain('client-id', `"${clientId}"${clientIdFrom} is not a GUID`);

  const { value: tenantId, from: tenantIdFrom } = getOrEnvironment('tenant-id');
  if (tenantId === '') {
    if (auth !== 'default') complain('tenant-id', 'is required (or AZURE_TENANT_ID in the environment): the directory (tenant) ID');
  } else if (!GUID.test(tenantId) && !TENANT_DOMAIN.test(tenantId)) {
    complain('tenant-id', `"${tenantId}"${tenantIdFrom} is neither a GUID nor a domain name`);
  }

  const resources: ResourceId[] = [];
  const resourceLines = inputLines(read('resource-id'));
  if (resourceLines.length === 0) complain('resource-id', 'is required: the ARM ID of the Foundry resource');
  if (resourceLines.length > MAX_RESOURCES) complain('resource-id', `lists ${resourceLines.length} resources; at most ${MAX_RESOURCES}`);
  for (const line of resourceLines.slice(0, MAX_RESOURCES)) {
    const parsed = parseResourceId(line);
    if (parsed.ok) resources.push(parsed.value);
    else complain('resource-id', `${parsed.error.part} ${parsed.error.reason}`);
  }

  // A workload preset, custom data actions, or both (their union); with neither, the models preset as before.
  const customActions = inputLines(get('required-data-actions'));
  const workloadLines = inputLines(get('workload', customActions.length === 0 ? 'models' : ''));
  const workloads: Workload[] = [];
  for (const line of workloadLines) {
    const name = WORKLOAD_NAMES.find((w) => w === line.toLowerCase());
    if (!name) complain('workload', `"${line}" is not one of ${WORKLOAD_NAMES.join(', ')}`);
    else for (const preset of workloadPresets(name)) if (!workloads.includes(preset.name)) workloads.push(preset.name);
  }
  const requiredDataActions = inputLines([...workloads.flatMap((w) => workloadPresets(w).flatMap((p) => p.dataActions)), ...customActions].join('\n'));
  for (const action of customActions) {
    if (!DATA_ACTION.test(action) || action.length > 256) {
      complain('required-data-actions', `"${action}" is not a data action (Namespace/segment/…, letters, digits, . - _ and *)`);
    }
  }

  const cloudText = get('cloud');
  const cloudName = cloudNamed(cloudText);
  if (!cloudName) complain('cloud', `"${cloudText}" is not one of ${CLOUD_NAMES.join(', ')} (azure/login's environment names, in any case, are accepted too)`);

  const endpoints: Partial<Record<'authority-host' | 'resource-manager-endpoint', string>> = {};
  for (const name of ['authority-host', 'resource-manager-endpoint'] as const) {
    const text = get(name);
    if (text === '') {
      if (cloudName === 'Custom') complain(name, 'is required with cloud: Custom');
      continue;
    }
    if (cloudName !== undefined && cloudName !== 'Custom') {
      complain(name, `is only used with cloud: Custom (the ${cloudName} endpoints are built in)`);
      continue;
    }
    const parsed = parseEndpoint(text);
    if (parsed.ok) endpoints[name] = parsed.value;
    else complain(name, parsed.error);
  }

  const model = get('model') || undefined;
  if (model !== undefined && !MODEL.test(model)) complain('model', `"${model}" is not a deployment name (letters, digits, . _ -, up to 64)`);

  let endpoint: string | undefined;
  const endpointText = get('endpoint');
  if (endpointText !== '') {
    const parsed = parseEndpoint(endpointText);
    if (parsed.ok) endpoint = `${parsed.value}/`;
    else complain('endpoint', parsed.error);
  }

  const tokenScope = get('token-scope');
  const scope = parseEndpoint(tokenScope.replace(/\/\.default$/, ''));
  if (!tokenScope.endsWith('/.default') || !scope.ok) complain('token-scope', `"${tokenScope}" must be an https resource followed by /.default`);

  const waitText = get('wait-timeout');
  const waitTimeoutSeconds = /^\d{1,5}$/.test(waitText) ? Number(waitText) : NaN;
  if (!(waitTimeoutSeconds <= MAX_WAIT_SECONDS)) {
    complain('wait-timeout', `"${waitText}" must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}`);
  }

  const booleans = (['wait-for-assignment', 'fail-on-denied', 'comment-on-pr'] as const).map((name) => {
    const text = get(name);
    const value = parseBoolean(text);
    if (value === undefined) complain(name, `"${text}" must be true or false`);
    return value;
  });
  const [waitForAssignment, failOnDenied, commentOnPr] = booleans;

  let cloud: Cloud | undefined;
  if (cloudName) {
    const custom = endpoints['authority-host'] && endpoints['resource-manager-endpoint']
      ? { authorityHost: endpoints['authority-host'], resourceManagerEndpoint: endpoints['resource-manager-endpoint'] }
      : undefined;
    if (cloudName !== 'Custom' || custom) cloud = cloudFor(cloudName, custom);
  }

  if (cloud && endpoint !== undefined && !dataPlaneHostAllowed(endpoint, cloud, cloud.name === 'Custom' ? new URL(endpoint).origin : undefined)) {
    complain('endpoint', `"${endpointText}" is not a ${cloud.name} Foundry host (${cloud.dataPlaneHostSuffixes.join(', ')}); no token is sent to other hosts`);
  }

  // A private cloud's audience is its own: defaulting to the public one would mint a GitHub token that public Entra
  // accepts, and hand it to whatever authority the inputs name.
  if (cloudName === 'Custom' && auth === 'oidc' && get('audience') === '') complain('audience', 'is required with cloud: Custom (the audience your federated credential expects)');
  const audience = get('audience', cloud?.oidcAudience ?? 'api://AzureADTokenExchange');
  if (!AUDIENCE.test(audience)) complain('audience', 'must be 1–256 visible characters without spaces');

  if (problems.length > 0 || !cloud || !auth || failOnDenied === undefined || waitForAssignment === undefined || commentOnPr === undefined) return err(problems);
  return ok({
    auth,
    clientId: clientId === '' ? undefined : clientId.toLowerCase(),
    tenantId: tenantId === '' ? undefined : tenantId,
    resources,
    requiredDataActions,
    workloads,
    audience,
    cloud,
    model,
    endpoint,
    tokenScope,
    waitTimeoutSeconds,
    waitForAssignment,
    failOnDenied,
    commentOnPr,
  });
}

