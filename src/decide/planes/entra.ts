import { TABLE, type DiagnosisCode, type Facts } from '../diagnosis.js';
import { classifyTransport, type Classified, type TransportKind } from './transport.js';

/**
 * What Entra ID said to a token request (the ARM token at sign-in, or the data-plane token later) or to the
 * request for its authority's metadata, as the evidence adapter saw it on the wire and in msal's error.
 */
export interface EntraAnswer {
  /** The HTTP status of Entra's answer, when one came. */
  readonly status?: number;
  /** The OAuth `error` (`invalid_client`, `invalid_request`, `temporarily_unavailable`, …). */
  readonly error?: string;
  /** The first AADSTS code Entra named. */
  readonly entraCode?: number;
  /** `error_description`, or the client library's message when Entra's own words were not seen. */
  readonly description: string;
  readonly traceId?: string;
  /** Retry-After of a 429 or 503, in milliseconds. */
  readonly retryAfterMs?: number;
  /** How the request failed on the way, when no answer came. */
  readonly transport?: TransportKind;
  /** The default chain (`auth: default`) found no credential at all: nobody is signed in. */
  readonly noCredential?: boolean;
}

/** The row for an Entra ID error code, if the table names it; other codes are `entra-error`. */
export function codeForEntraError(entraCode: number | undefined): DiagnosisCode {
  if (entraCode === undefined) return 'entra-error';
  return TABLE.find((row) => row.entraCodes?.includes(entraCode))?.code ?? 'entra-error';
}

/** The claim a federated-credential mismatch is about, by Entra's code. */
const MISMATCH: Record<number, Facts['mismatchedClaim']> = {
  700211: 'issuer',
  700212: 'audience',
  700213: 'subject',
  7002137: 'subject',
  7002138: 'subject-case',
  70025: 'none-configured',
};

/** Entra's messages run to several hundred characters; a summary needs the start of one. */
function cut(text: string, length: number): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? text;
  return line.length > length ? `${line.slice(0, length)}…` : line;
}

/**
 * One table for every Entra ID answer, whichever request drew it: an AADSTS code of the table decides by itself;
 * otherwise the status says whether time can help (429, 5xx, no answer) or not (anything else).
 */
export function classifyEntra(answer: EntraAnswer): Classified {
  const facts: Facts = {
    ...(answer.entraCode !== undefined ? { entraCode: String(answer.entraCode) } : {}),
    ...(answer.traceId ? { traceId: answer.traceId } : {}),
    ...(answer.status !== undefined ? { httpStatus: answer.status } : {}),
    serviceMessage: cut(answer.description, 300),
  };
  // A code the table names decides by itself. Entra puts a code in every error body, its outages and throttling
  // too (AADSTS90006 temporarily unavailable, AADSTS90055 tenant throttling), so any other code is read by the
  // status, as an answer without one would be.
  const named = codeForEntraError(answer.entraCode);
  if (answer.entraCode !== undefined && named !== 'entra-error') {
    const diagnosis = named;
    if (diagnosis !== 'federated-credential-mismatch') return { diagnosis, facts };
    const expectedSubject = /credential Subject is '([^']+)'/i.exec(answer.description)?.[1];
    const claim = MISMATCH[answer.entraCode];
    return { diagnosis, facts: { ...facts, ...(claim ? { mismatchedClaim: claim } : {}), ...(expectedSubject ? { expectedSubject } : {}) } };
  }
  if (answer.noCredential) return { diagnosis: 'not-signed-in', facts };
  const retryAfterSeconds = answer.retryAfterMs === undefined ? undefined : Math.ceil(answer.retryAfterMs / 1000);
  if (answer.status === 429 || answer.error === 'too_many_requests') return { diagnosis: 'throttled', facts: { ...facts, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) } };
  if ((answer.status !== undefined && answer.status >= 500) || answer.error === 'temporarily_unavailable') return { diagnosis: 'service-unavailable', facts };
  if (answer.transport !== undefined) {
    const transport = classifyTransport(answer.transport, facts.serviceMessage ?? '');
    return { ...transport, facts: { ...facts, ...transport.facts } };
  }
  // A 2xx that gave no token is an answer that could not be read: an outage symptom, not a verdict.
  if (answer.status !== undefined && answer.status < 300) return { diagnosis: 'service-unavailable', facts };
  return { diagnosis: 'entra-error', facts };
}
