import type { ServerResponse } from 'node:http';
import type { EmulatorUrls } from './context.js';
import { ROUTES, routeMatches } from './routes.js';
import type { Fault, RecordedAnswer, ServiceName } from './scenario.js';

/** Picks which injected fault, if any, a request gets; each fault counts the requests it has taken. */
export class FaultInjector {
  private readonly taken = new Map<Fault, number>();
  private readonly passed = new Map<Fault, number>();
  private readonly patterns = new Map<Fault, RegExp>();

  /** `faults` is the scenario's own list: a test may add a fault that needs the running emulator's URLs. */
  constructor(private readonly faults: readonly Fault[]) {}

  private pattern(fault: Fault): RegExp | undefined {
    if (fault.pathPattern === undefined) return undefined;
    let pattern = this.patterns.get(fault);
    if (!pattern) {
      pattern = new RegExp(fault.pathPattern, 'i');
      this.patterns.set(fault, pattern);
    }
    return pattern;
  }

  /** The first matching fault with uses left, and how many times it was taken before; taking it uses one up. */
  take(service: ServiceName, method: string, path: string, body: string): { fault: Fault; taken: number } | undefined {
    const fault = this.faults.find((f) => {
      if (f.service !== service) return false;
      if (f.route !== undefined && !routeMatches(ROUTES[f.route], method, path, body)) return false;
      if (f.method !== undefined && f.method.toUpperCase() !== method.toUpperCase()) return false;
      if (this.pattern(f)?.test(path) === false) return false;
      if ((this.passed.get(f) ?? 0) < (f.after ?? 0)) {
        this.passed.set(f, (this.passed.get(f) ?? 0) + 1);
        return false;
      }
      return f.times === undefined || (this.taken.get(f) ?? 0) < f.times;
    });
    if (!fault) return undefined;
    const taken = this.taken.get(fault) ?? 0;
    this.taken.set(fault, taken + 1);
    return { fault, taken };
  }
}

/**
 * Carries out a fault on the response. Returns the status the client will see, 0 when it sees none.
 * A stalled response is simply never written; the host destroys it when the emulator closes.
 * `resetConnection` must send a TCP RST: only the host can, as it holds the socket under TLS.
 */
export function applyFault(
  taken: { fault: Fault; taken: number },
  service: ServiceName,
  res: ServerResponse,
  resetConnection: () => void,
  urls: EmulatorUrls,
  bearer = '',
): number {
  const { fault } = taken;
  switch (fault.kind) {
    case 'replay': {
      // The answer, then each further page, then the answer again: every attempt sees the whole recording.
      const answers: RecordedAnswer[] = [{ status: fault.status ?? 200, headers: fault.headers, body: fault.body }, ...(fault.pages ?? [])];
      const answer = answers[taken.taken % answers.length] as RecordedAnswer;
      return replay(answer, service, res, urls);
    }
    case 'status': {
      const status = fault.status ?? 503;
      const body = fault.body === undefined ? defaultFaultBody(service, status, fault.retryAfter) : fault.body;
      const echo = (text: string): string => text.split('{{bearer}}').join(bearer);
      const text = echo(typeof body === 'string' ? body : JSON.stringify(body));
      const headers: Record<string, string> = {
        'content-type': typeof body === 'string' && !looksLikeJson(body) ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
        ...Object.fromEntries(Object.entries(fault.headers ?? {}).map(([name, value]) => [name, echo(value)])),
        'content-length': String(Buffer.byteLength(text)),
      };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      res.writeHead(status, headers).end(text);
      return status;
    }
    case 'huge':
      streamHuge(res, fault.bytes ?? 600 * 1024 * 1024);
      return 200;
    case 'slow': {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.write('{');
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 1000);
      res.once('close', () => clearInterval(drip));
      return 200;
    }
    case 'reset':
      resetConnection();
      return 0;
    case 'stall':
      return 0;
    case 'malformed-json': {
      const text = '{"value": [{"emulated": "malformed-json fault", ';
      res.writeHead(200, withRetryAfter(fault, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(text.length) })).end(text);
      return 200;
    }
    case 'truncated': {
      const text = '{"value": [{"emulated": "truncated fault"';
      res.writeHead(200, withRetryAfter(fault, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(text.length + 512) }));
      res.write(text, () => res.destroy());
      return 200;
    }
  }
}

/**
 * Writes a recorded answer as it was recorded. The one change: a `nextLink` on a public ARM host is moved to the
 * emulated ARM, so the next page is asked of the emulator (a recording's links point at management.azure.com).
 */
function replay(answer: RecordedAnswer, service: ServiceName, res: ServerResponse, urls: EmulatorUrls): number {
  let text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  if (service === 'arm') text = text.replace(/("nextLink"\s*:\s*")https:\/\/management\.(?:azure\.com|usgovcloudapi\.net|chinacloudapi\.cn)/g, `$1${urls.arm}`);
  const headers: Record<string, string> = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) };
  delete headers['transfer-encoding'];
  res.writeHead(answer.status, headers).end(text);
  return answer.status;
}

/** An error body in the format of the service the fault stands in for. */
export function defaultFaultBody(service: ServiceName, status: number, retryAfter?: number): unknown {
  const message = `Emulated fault: HTTP ${status}.${retryAfter === undefined ? '' : ` Retry after ${retryAfter} seconds.`}`;
  switch (service) {
    case 'github':
      return { message };
    case 'entra':
      return { error: status === 429 ? 'too_many_requests' : 'temporarily_unavailable', error_description: message, error_codes: [] };
    case 'arm':
      return { error: { code: armFaultCode(status), message } };
    case 'data':
      return { error: { code: String(status), message } };
  }
}

function armFaultCode(status: number): string {
  if (status === 429) return 'SubscriptionRequestsThrottled';
  if (status === 503) return 'ServiceUnavailable';
  if (status === 502) return 'BadGateway';
  if (status === 504) return 'GatewayTimeout';
  return status >= 500 ? 'InternalServerError' : 'BadRequest';
}

function withRetryAfter(fault: Fault, headers: Record<string, string>): Record<string, string> {
  return fault.retryAfter === undefined ? headers : { ...headers, 'retry-after': String(fault.retryAfter) };
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A 200 whose JSON-looking body runs to `bytes`, written as fast as the client reads it, with no Content-Length. */
function streamHuge(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let left = bytes;
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  res.write('{"value":"');
  pump();
}
