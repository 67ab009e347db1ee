import { rowFor, type DiagnosisCode, type Facts } from '../diagnosis.js';

/**
 * What went wrong on the way to a service, when no answer came: read by the evidence adapters from the error's
 * code (ENOTFOUND, EAI_AGAIN, …), decided on here.
 */
export type TransportKind =
  | 'dns-not-found'
  | 'dns-temporary'
  | 'proxy-refused'
  | 'connection-refused'
  | 'connection-reset'
  | 'timeout'
  | 'tls'
  | 'unreadable'
  | 'other';

/** A service's answer (or its absence), as a row of the table and whether waiting can cure this instance of it. */
export interface Classified {
  readonly diagnosis: DiagnosisCode;
  readonly facts: Facts;
  /**
   * Set when this answer, though of a row time usually cures, will not pass by itself (a host name that does
   * not exist, a proxy that demands credentials): it is reported at once instead of waited out.
   */
  readonly final?: boolean;
}

/** Whether waiting can cure this answer: its row's faults pass by themselves, and this one is not final. */
export function timeCures(answer: Pick<Classified, 'diagnosis' | 'final'>): boolean {
  return answer.final !== true && rowFor(answer.diagnosis).retry === 'transient';
}

/**
 * No answer at all. Every such fault is `service-unavailable`, but only the ones that pass are waited out:
 * a name that does not resolve (NXDOMAIN), a proxy that wants credentials, or a certificate the runner does not
 * trust are the runner's configuration and stay as they are.
 */
export function classifyTransport(kind: TransportKind, message: string): Classified {
  const facts: Facts = { serviceMessage: message };
  const final = kind === 'dns-not-found' || kind === 'proxy-refused' || kind === 'tls';
  return { diagnosis: 'service-unavailable', facts, ...(final ? { final } : {}) };
}
