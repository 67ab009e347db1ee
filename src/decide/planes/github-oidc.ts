import { classifyTransport, type Classified, type TransportKind } from './transport.js';

/** What happened when the job asked GitHub for its OIDC token, as the evidence adapter saw it. */
export interface IdTokenAnswer {
  /** Whether the runner offered a token at all (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN set). */
  readonly offered: boolean;
  /** The token service's HTTP status, when it answered. */
  readonly status?: number;
  /** How the request failed on the way, when no answer came. */
  readonly transport?: TransportKind;
  readonly message: string;
}

/**
 * GitHub's OIDC token service: no token offered, or a refusal, is the workflow's permissions (`id-token: write`,
 * forks, Dependabot); 429 and 5xx pass; a network fault on the way is the network, never a missing permission.
 */
export function classifyIdToken(answer: IdTokenAnswer): Classified {
  const facts = { serviceMessage: answer.message, ...(answer.status !== undefined ? { httpStatus: answer.status } : {}) };
  if (!answer.offered) return { diagnosis: 'id-token-unavailable', facts };
  if (answer.transport === 'proxy-refused') return classifyTransport(answer.transport, answer.message);
  if (answer.status === 429) return { diagnosis: 'throttled', facts };
  if (answer.status !== undefined && answer.status >= 500) return { diagnosis: 'service-unavailable', facts };
  if (answer.status === undefined && answer.transport !== undefined) return classifyTransport(answer.transport, answer.message);
  return { diagnosis: 'id-token-unavailable', facts };
}
