import type { Facts } from '../diagnosis.js';
import { classifyTransport, type Classified, type TransportKind } from './transport.js';

/** What Azure Resource Manager answered other than 200, as the evidence adapter read it. */
interface ArmRefusal {
  readonly status: number;
  readonly code?: string;
  readonly message?: string;
  /** How long the service asked the caller to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number;
}

/** A read of ARM that failed: an HTTP answer other than 200, or no usable answer (transport, timeout, a bad body). */
export type ArmFailure =
  | ({ readonly kind: 'refused' } & ArmRefusal)
  | { readonly kind: 'unusable'; readonly reason: string; readonly transport?: TransportKind };

const NOT_FOUND_CODES = new Set(['resourcenotfound', 'resourcegroupnotfound', 'subscriptionnotfound', 'invalidresourceid', 'parentresourcenotfound']);

/** A 403 about where the request came from, not who sent it: firewall, virtual network, private endpoint, public access off. */
export const NETWORK_REFUSAL = /virtual network|firewall|public (?:network )?access is disabled|private endpoint|private link|cogsvc-vnet|TrafficDenied|network acl|ip address .* not allowed/i;

/**
 * ARM's refusals. A 401 is about the token (its tenant, its age), a 403 about the caller's rights to read,
 * unless it names the network; 404 and the not-found 400s about the resource ID.
 */
export function classifyArmRefusal(refusal: ArmRefusal): Classified {
  const facts: Facts = { httpStatus: refusal.status, serviceCode: refusal.code, serviceMessage: refusal.message };
  const { status, code } = refusal;
  if (status === 404 || (status === 400 && NOT_FOUND_CODES.has((code ?? '').toLowerCase()))) return { diagnosis: 'resource-not-found', facts };
  if (status === 401) return { diagnosis: 'token-rejected', facts: { ...facts, refusedBy: 'arm' } };
  if (status === 403 && NETWORK_REFUSAL.test(`${code ?? ''} ${refusal.message ?? ''}`)) return { diagnosis: 'network-blocked', facts };
  if (status === 403) return { diagnosis: 'cannot-verify', facts };
  if (status === 429) return { diagnosis: 'throttled', facts };
  // Any other refusal of the request itself (400 InvalidApiVersionParameter, NoRegisteredProviderFound, 405, …) is
  // the same on every attempt: reported at once with ARM's code. Only a 408 and the 5xx are ARM's own trouble.
  if (status >= 400 && status < 500 && status !== 408) return { diagnosis: 'request-refused', facts };
  return { diagnosis: 'service-unavailable', facts };
}

/** No usable answer from ARM: a transport fault, or a body that could not be trusted. */
export function classifyArmUnusable(reason: string, transport: TransportKind | undefined): Classified {
  if (transport !== undefined) return classifyTransport(transport, reason);
  return { diagnosis: 'service-unavailable', facts: { serviceMessage: reason } };
}

/** What an ARM read's failure means, as a row of the table: its refusal, or what made its answer unusable. */
export function classifyArmFailure(failure: ArmFailure): Classified {
  return failure.kind === 'refused' ? classifyArmRefusal(failure) : classifyArmUnusable(failure.reason, failure.transport);
}
