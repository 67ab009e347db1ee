import type { Facts } from '../diagnosis.js';
import { classifyEntra, type EntraAnswer } from './entra.js';
import { classifyArmRefusal, classifyArmUnusable, NETWORK_REFUSAL, type ArmFailure } from './arm.js';
import { classifyTransport, type Classified, type TransportKind } from './transport.js';

/** What the model endpoint said when called (only with the `model` input). */
export type ProbeEvidence =
  /**
   * `noCustomSubdomain`: the account has only its regional endpoint, which takes keys, not Entra ID tokens.
   * `accountFailure`: the account, read to find the endpoint, could not be read.
   */
  | { readonly kind: 'no-endpoint'; readonly reason: string; readonly noCustomSubdomain?: boolean; readonly accountFailure?: ArmFailure }
  /** The data-plane token could not be had: Entra's answer to that request. */
  | { readonly kind: 'token-failed'; readonly answer: EntraAnswer }
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly code?: string;
      readonly message?: string;
      readonly retryAfterMs?: number;
      readonly endpoint: string;
      /** Whether the body is a chat completion (JSON, `choices`): only such a 2xx proves access. */
      readonly chatCompletion: boolean;
      /** The `aud` of the token presented, to compare with the scope the service expects. */
      readonly tokenAudience?: string;
    }
  | { readonly kind: 'unusable'; readonly reason: string; readonly transport?: TransportKind };

const DENIED_MESSAGE = /does not have access|lacks the required data action/i;
/** The data action a PermissionDenied names, in backticks (newer messages) or bare. */
const NAMED_ACTION = /required data action `?([A-Za-z0-9_./*-]+)/;
/** A 400 that names the model as unknown: after authorization, but the model cannot be used at all. */
const UNKNOWN_MODEL = /^(unknown_model|model_not_found|DeploymentNotFound)$/i;
/**
 * 400s the service is known to send only after authorizing the call (both recorded in the corpus): a parameter
 * the model does not take, an operation the deployment does not offer. Other 400s are not known to come after.
 */
const AFTER_AUTHORIZATION = /^(unsupported_parameter|OperationNotSupported)$/i;
/** A 400 that asks for a key or an endpoint came before any authorization. */
const BEFORE_AUTHORIZATION = /authentication key|subscription key|api key|custom sub-?domain|regional endpoint|access token|bearer|\bauth/i;

/**
 * The model endpoint's answer. 2xx proves access; so does a 400 about the request body (a parameter the model
 * does not support, an operation the deployment does not offer), which the service only sends after authorizing
 * the call. 401/403 PermissionDenied is the role; other 401s the token; a 403 naming the network is the network.
 */
export function classifyProbe(probe: ProbeEvidence): Classified {
  if (probe.kind === 'no-endpoint') {
    // ARM's own trouble reading the account passes with time, as on any other ARM read; its refusal does not, and
    // the endpoint input is the way round it.
    const failure = probe.accountFailure;
    if (failure?.kind === 'unusable') return classifyArmUnusable(failure.reason, failure.transport);
    if (failure && (failure.status === 429 || failure.status >= 500)) return classifyArmRefusal(failure);
    return { diagnosis: probe.noCustomSubdomain ? 'custom-subdomain-missing' : 'endpoint-unknown', facts: { serviceMessage: probe.reason } };
  }
  if (probe.kind === 'token-failed') return classifyEntra(probe.answer);
  if (probe.kind === 'unusable') {
    return probe.transport !== undefined ? classifyTransport(probe.transport, probe.reason) : { diagnosis: 'service-unavailable', facts: { serviceMessage: probe.reason } };
  }
  const facts: Facts = { httpStatus: probe.status, serviceCode: probe.code, serviceMessage: probe.message, audience: probe.tokenAudience, endpoint: probe.endpoint };
  const said = `${probe.code ?? ''} ${probe.message ?? ''}`;
  if (probe.status >= 200 && probe.status < 300) {
    // Fail closed: a 2xx that is not a chat completion (a proxy's HTML page, an empty 204) is no evidence of access.
    if (!probe.chatCompletion) return { diagnosis: 'service-unavailable', facts: { ...facts, serviceMessage: `HTTP ${probe.status} with a body that is not a chat completion` } };
    return { diagnosis: 'ok', facts };
  }
  if ((probe.status === 401 || probe.status === 403) && (probe.code === 'PermissionDenied' || DENIED_MESSAGE.test(probe.message ?? ''))) {
    // A bare action at the end of a sentence takes its full stop along; an action never ends in one.
    const action = NAMED_ACTION.exec(probe.message ?? '')?.[1]?.replace(/\.+$/, '');
    return { diagnosis: 'data-plane-denied', facts: action ? { ...facts, missingDataActions: [action] } : facts };
  }
  if (probe.status === 403 && NETWORK_REFUSAL.test(said)) return { diagnosis: 'network-blocked', facts };
  if (probe.status === 401) return { diagnosis: 'token-rejected', facts: { ...facts, refusedBy: 'data-plane' } };
  if (probe.status === 404 || (probe.status === 400 && UNKNOWN_MODEL.test(probe.code ?? ''))) return { diagnosis: 'model-not-found', facts };
  if (probe.status === 429) return { diagnosis: 'throttled', facts };
  if (probe.status === 400 && BEFORE_AUTHORIZATION.test(said)) return { diagnosis: 'custom-subdomain-missing', facts };
  if (probe.status === 400 && (probe.code !== undefined || probe.message !== undefined)) {
    const note = [probe.code, probe.message].filter((part) => part !== undefined && part !== '').join(': ');
    return { diagnosis: 'ok', facts: { ...facts, modelNote: note.length > 300 ? `${note.slice(0, 300)}…` : note } };
  }
  return { diagnosis: 'service-unavailable', facts };
}

/**
 * Whether the call's answer names the model (the deployment) unknown, which ARM's list of deployments can explain:
 * a deployment it has and the endpoint does not serve yet, or a name nothing answers to. A bare 404 says neither.
 */
export function saysModelUnknown(probe: ProbeEvidence | undefined): boolean {
  return probe?.kind === 'answered' && (probe.status === 404 || probe.status === 400) && UNKNOWN_MODEL.test(probe.code ?? '');
}

/**
 * Whether the call's answer shows, on its own, that the caller was let in: a chat completion, or a 400 the service
 * sends only after authorizing. A call is the only evidence when the permissions cannot be read, so any other
 * answer, however harmless, proves nothing.
 */
export function callProvesAccess(probe: ProbeEvidence): boolean {
  if (probe.kind !== 'answered') return false;
  if (probe.status >= 200 && probe.status < 300) return probe.chatCompletion;
  return probe.status === 400 && AFTER_AUTHORIZATION.test(probe.code ?? '');
}
