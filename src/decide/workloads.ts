/**
 * What is being called, as presets of data actions, so nobody has to write RBAC patterns by hand. Each preset names
 * the built-in roles that grant it (checked against the roles' real permission blocks in the tests).
 */
export type Workload = 'models' | 'openai' | 'agents';
export const WORKLOAD_NAMES = ['models', 'openai', 'agents', 'all'] as const;

export interface WorkloadPreset {
  readonly name: Workload;
  readonly title: string;
  readonly dataActions: readonly string[];
  /** Built-in roles whose data actions cover the whole preset. */
  readonly grantedBy: readonly string[];
}

export const WORKLOADS: readonly WorkloadPreset[] = [
  {
    name: 'models',
    title: 'Foundry Models (model inference on `/models`)',
    dataActions: ['Microsoft.CognitiveServices/accounts/MaaS/*'],
    grantedBy: ['Cognitive Services User', 'Azure AI User', 'Azure AI Project Manager'],
  },
  {
    // The OpenAI roles list their inference actions one by one rather than `OpenAI/*` (Cognitive Services OpenAI
    // User has no write actions), so the preset names what inference calls need and those roles grant it.
    name: 'openai',
    title: 'Azure OpenAI (chat completions and embeddings on OpenAI deployments)',
    dataActions: [
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action',
    ],
    grantedBy: ['Cognitive Services OpenAI User', 'Cognitive Services OpenAI Contributor', 'Azure AI Developer', 'Cognitive Services User', 'Azure AI User', 'Azure AI Project Manager'],
  },
  {
    name: 'agents',
    title: 'Foundry Agent Service (agents, threads and runs of a project)',
    dataActions: ['Microsoft.CognitiveServices/accounts/AIServices/agents/*'],
    grantedBy: ['Azure AI User', 'Azure AI Project Manager', 'Cognitive Services User'],
  },
];

/** The presets a `workload` value stands for (`all` is every one). */
export function workloadPresets(name: (typeof WORKLOAD_NAMES)[number]): readonly WorkloadPreset[] {
  return name === 'all' ? WORKLOADS : WORKLOADS.filter((w) => w.name === name);
}

/**
 * The built-in roles that grant every one of the presets, in the order of the last (most specific) preset, so
 * agents put Azure AI User first: the role to suggest is the first of these.
 */
export function rolesGrantingAll(presets: readonly WorkloadPreset[]): string[] {
  const last = presets.at(-1);
  return (last?.grantedBy ?? []).filter((role) => presets.every((p) => p.grantedBy.includes(role)));
}

/**
 * The built-in role to suggest for a list of required data actions: the least one granting every preset the list
 * contains (Cognitive Services OpenAI User for `openai`, Azure AI User for `agents`), else Cognitive Services User,
 * whose `Microsoft.CognitiveServices/*` data actions cover any Foundry data action.
 */
export function suggestedRole(required: readonly string[]): string {
  const wanted = new Set(required.map((a) => a.toLowerCase()));
  const presets = WORKLOADS.filter((w) => w.dataActions.every((a) => wanted.has(a.toLowerCase())));
  return rolesGrantingAll(presets)[0] ?? 'Cognitive Services User';
}
