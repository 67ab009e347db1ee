import { CLOUD_NAMES } from './clouds.js';
import { WORKLOAD_NAMES } from '../decide/workloads.js';

/**
 * Every input of the action, once: parseInputs reads its default from here, the CLI builds its flags and usage
 * from it, and `npm run docs` writes action.yml's inputs and the README's table from it. An input is one entry
 * here (and its parsing in inputs.ts); a test holds action.yml and the CLI to this table.
 */
export interface InputSpec {
  /** What the input means, as action.yml and the README say it. */
  readonly description: string;
  readonly required: boolean;
  /** The action's default; parseInputs falls back to it when the input is empty. */
  readonly default?: string;
  /** The local command's flag for the input; inputs without one are not offered there. */
  readonly cli?: CliFlag;
}

interface CliFlag {
  /** The flag's name without `--`; the input's name when absent. */
  readonly flag?: string;
  /** What the flag's value is, for the usage: `ID`, `URL`, … */
  readonly value: string;
  readonly help: string;
  /** The flag may be given several times; the input gets one value per line. */
  readonly repeats?: boolean;
  /** The command's own default where it differs from the action's. */
  readonly default?: string;
}

const or = (names: readonly string[]): string => `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`;

const TABLE = {
  'client-id': {
    description:
      'Application (client) ID of the Entra ID app registration or user-assigned managed identity whose federated credential trusts this repository. Required with `auth: oidc`; with `auth: default` it picks a user-assigned managed identity. When empty, the AZURE_CLIENT_ID environment variable is used, as azure/login does.',
    required: false,
    cli: { value: 'ID', help: 'user-assigned managed identity or workload identity to use' },
  },
  'tenant-id': {
    description: 'Directory (tenant) ID. Required with `auth: oidc`. When empty, the AZURE_TENANT_ID environment variable is used, as azure/login does.',
    required: false,
    cli: { value: 'ID', help: 'tenant to sign in to (default: the one az login chose)' },
  },
  auth: {
    description:
      '`oidc`: sign in with the workflow\'s GitHub OIDC token through a federated credential (no secrets). `default`: the Azure Identity default chain (environment, workload identity, managed identity, Azure CLI), for self-hosted runners with a managed identity; no GitHub token is requested.',
    required: false,
    default: 'oidc',
  },
  'resource-id': {
    description:
      "ARM ID of the Foundry resource (/subscriptions/…/resourceGroups/…/providers/Microsoft.CognitiveServices/accounts/NAME), or of a Foundry project under it (…/accounts/NAME/projects/PROJECT), checked at the project's scope. Several are allowed, one per line.",
    required: true,
    cli: { value: 'ID', help: 'ARM ID of the Foundry resource', repeats: true },
  },
  workload: {
    description:
      'What the identity will call, one or more per line: `models` (Foundry Models, `…/MaaS/*`; granted by Cognitive Services User, Azure AI User), `openai` (Azure OpenAI chat completions and embeddings; also granted by the OpenAI roles and Azure AI Developer), `agents` (Foundry Agent Service, `…/AIServices/agents/*`; granted by Azure AI User) or `all`. Default: `models` when `required-data-actions` is empty.',
    required: false,
    // Not a plain default: `models` applies only when no custom data actions are given (parseInputs decides).
    cli: { value: 'NAME', help: `${or(WORKLOAD_NAMES)}; models when no --required-data-action is given`, repeats: true },
  },
  'required-data-actions': {
    description:
      'Custom data actions the identity must hold on every resource, one per line. `*` is a wildcard, as in Azure role definitions. With `workload` too, both are required.',
    required: false,
    cli: { flag: 'required-data-action', value: 'ACTION', help: 'custom data action to require (adds to --workload)', repeats: true },
  },
  audience: {
    description:
      "Audience requested for the GitHub OIDC token. Defaults to the cloud's token-exchange audience (api://AzureADTokenExchange in AzureCloud). Required with `cloud: Custom`.",
    required: false,
  },
  cloud: {
    description: `${or(CLOUD_NAMES)}, in any case, so azure/login's \`environment\` values (${CLOUD_NAMES.filter((name) => name !== 'Custom')
      .map((name) => name.toLowerCase())
      .join(', ')}) can be copied as they are.`,
    required: false,
    default: 'AzureCloud',
    cli: { value: 'NAME', help: or(CLOUD_NAMES) },
  },
  'authority-host': {
    description:
      "Entra ID authority host (https URL). Required with `cloud: Custom`, not allowed otherwise. msal takes the token endpoint from this authority's OpenID metadata; the GitHub token is sent only to its origin.",
    required: false,
    cli: { value: 'URL', help: 'with --cloud Custom' },
  },
  'resource-manager-endpoint': {
    description: 'Azure Resource Manager endpoint (https URL). Required with `cloud: Custom`, not allowed otherwise.',
    required: false,
    cli: { value: 'URL', help: 'with --cloud Custom' },
  },
  model: {
    description:
      'A model deployment name. When set, the data plane is probed too: a chat completion limited to one output token, so a denied attempt costs nothing.',
    required: false,
    cli: { value: 'NAME', help: 'also call this model deployment (one output token at most)' },
  },
  endpoint: {
    description:
      'Data-plane endpoint to probe (https). Default: read from the account resource. It must be a Foundry host of the selected cloud; with `cloud: Custom` it names the one host a data-plane token may be sent to.',
    required: false,
    cli: { value: 'URL', help: 'data-plane endpoint (default: read from the account)' },
  },
  'token-scope': {
    description: 'Entra ID scope of the data-plane token.',
    required: false,
    default: 'https://ai.azure.com/.default',
    cli: { value: 'SCOPE', help: 'data-plane token scope' },
  },
  'wait-timeout': {
    description: 'Seconds to keep retrying while a new role assignment propagates (0 to 3600).',
    required: false,
    default: '300',
    cli: { value: 'SECONDS', help: 'keep checking while a new role assignment propagates', default: '0' },
  },
  'wait-for-assignment': {
    description:
      '`true` keeps waiting (up to wait-timeout) even when no role assignment grants access yet, for pipelines that assign the role in a parallel job. By default the check fails at once when role assignments can be read and none grants access.',
    required: false,
    default: 'false',
  },
  'comment-on-pr': {
    description:
      '`true` keeps one comment with the verdict (and, when denied, the diagnosis and fix) on the pull request the run is for, updated on every run. Needs `permissions: pull-requests: write`; without it the step only warns.',
    required: false,
    default: 'false',
  },
  'github-token': {
    description: 'Token for the pull-request comment.',
    required: false,
    default: '${{ github.token }}',
  },
  'fail-on-denied': {
    description:
      '`false` makes the step succeed when access is denied and report through its outputs only. Invalid inputs fail the step regardless.',
    required: false,
    default: 'true',
  },
} satisfies Record<string, InputSpec>;

export type InputName = keyof typeof TABLE;

export const INPUTS: Readonly<Record<InputName, InputSpec>> = TABLE;
