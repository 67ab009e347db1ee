import type { TransportKind } from '../decide/planes/transport.js';

/** The kind of transport failure an error names, by Node's error codes and the proxy tunnel's status line. */
export function transportKind(error: unknown): TransportKind | undefined {
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : '';
  const text = `${code} ${error instanceof Error ? error.message : String(error)}`;
  if (/\bENOTFOUND\b/.test(text)) return 'dns-not-found';
  if (/\bEAI_AGAIN\b/.test(text)) return 'dns-temporary';
  if (/statusCode=407|\b407\b.*proxy|proxy authentication required/i.test(text)) return 'proxy-refused';
  if (/\bECONNREFUSED\b/.test(text)) return 'connection-refused';
  if (/\bECONNRESET\b|socket hang up|\bEPIPE\b/i.test(text)) return 'connection-reset';
  if (/\bETIMEDOUT\b|\bESOCKETTIMEDOUT\b|timed? ?out|\bTimeoutError\b/i.test(text)) return 'timeout';
  if (/\bCERT_|certificate|self[- ]signed|UNABLE_TO_VERIFY|\bEPROTO\b/i.test(text)) return 'tls';
  return undefined;
}
