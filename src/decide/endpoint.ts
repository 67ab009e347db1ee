import { covers } from './actions.js';

// Preference among an account's endpoints: the Foundry Models host first, then the older names of the same account.
// A rank, not a rule of where tokens may go (that is the cloud table's `dataPlaneHostSuffixes`): the names carry no
// top-level domain, so one ranking serves every cloud, a new one included.
const PREFERENCE = ['.services.ai.azure.com', '.cognitiveservices.azure', '.openai.azure'];

/** Every URL the account resource lists for its data plane: `properties.endpoint`, then `properties.endpoints`' values. */
export function accountEndpoints(account: unknown): string[] {
  const properties = (account as { properties?: { endpoint?: unknown; endpoints?: unknown } } | null)?.properties;
  const listed = [properties?.endpoint, ...(properties?.endpoints && typeof properties.endpoints === 'object' ? Object.values(properties.endpoints as Record<string, unknown>) : [])];
  return listed.filter((value): value is string => typeof value === 'string');
}

/** The endpoint to probe from the account resource's `properties.endpoint` and `properties.endpoints`. */
export function endpointFromAccount(account: unknown, isAllowed: (url: string) => boolean): string | undefined {
  const allowed = accountEndpoints(account).filter(isAllowed);
  const rank = (url: string): number => {
    const host = new URL(url).hostname;
    const index = PREFERENCE.findIndex((suffix) => host.includes(suffix));
    return index === -1 ? PREFERENCE.length : index;
  };
  return allowed.sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * The chat-completions URL of an endpoint in any of the forms Microsoft shows: the account root
 * (`https://NAME.services.ai.azure.com/`), the Foundry Models endpoint (`…/models`, with or without a trailing
 * slash), the OpenAI path (`…/openai/…`) or a project endpoint (`…/api/projects/NAME`): each names the same account.
 */
export function chatCompletionsUrl(endpoint: string, apiVersion: string): string {
  const url = new URL(endpoint);
  const base = url.pathname
    .replace(/\/+$/, '')
    .replace(/\/(?:models|openai(?:\/.*)?|api\/projects\/[^/]+)$/i, '');
  return `${url.origin}${base}/models/chat/completions?api-version=${encodeURIComponent(apiVersion)}`;
}

/** The data action a chat completion exercises: what a successful probe proves. */
const CHAT_COMPLETIONS_ACTION = 'Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action';
const MODEL_INFERENCE = 'Microsoft.CognitiveServices/accounts/MaaS/*';

/**
 * Whether a successful model call proves a required data action: only for requirements about Foundry Models
 * inference itself. A call proves nothing about wider patterns (agents, `Microsoft.CognitiveServices/*`).
 */
export function probeProves(required: string): boolean {
  return covers(MODEL_INFERENCE, required) && covers(required, CHAT_COMPLETIONS_ACTION);
}

/**
 * Whether a model endpoint is one of the account's own (it, or a path under it): only a call that reached the
 * checked account says anything about access to it. A URL that does not parse belongs to nothing.
 */
export function endpointOfAccount(endpoint: string, accountEndpoints: readonly string[]): boolean {
  const normal = (url: string): string | undefined => {
    try {
      const u = new URL(url);
      return `${u.origin}${u.pathname.replace(/\/*$/, '/')}`.toLowerCase();
    } catch {
      return undefined;
    }
  };
  const called = normal(endpoint);
  return called !== undefined && accountEndpoints.some((e) => {
    const own = normal(e);
    return own !== undefined && called.startsWith(own);
  });
}
