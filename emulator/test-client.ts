import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { Emulator } from './index.js';
import type { ServiceName } from './scenario.js';

/**
 * A bare HTTPS client for the emulator's own tests: node:https with the emulator's CA, because
 * Node 20's fetch cannot take a custom CA. Not part of the emulator; nothing else should import it.
 */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON; throws when it is not. */
  json<T = Record<string, unknown>>(): T;
}

export interface CallOptions {
  method?: string;
  bearer?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Gives up (rejecting) after this long. Default 10 s. */
  timeoutMs?: number;
}

/** Sends one request to `path` (which may carry a query) on a service of the emulator. */
export function call(emulator: Emulator, service: ServiceName, path: string, options: CallOptions = {}): Promise<Reply> {
  return callUrl(emulator, `${emulator.urls[service]}${path}`, options);
}

export function callUrl(emulator: Emulator, url: string, options: CallOptions = {}): Promise<Reply> {
  const target = new URL(url);
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.form !== undefined) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  // Raw path: `new URL()` would normalize away the `//` some tests send on purpose.
  const rawPath = url.slice(target.origin.length);
  return new Promise<Reply>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: target.hostname,
        port: target.port,
        path: rawPath,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        ca: readFileSync(emulator.caFile),
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('the response was aborted before its end')));
        res.on('end', () => {
          if (!res.complete) return reject(new Error('the response ended before its Content-Length'));
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out waiting for the emulator')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Decodes a JWT's header and payload without verifying anything. */
export function decodeJwtParts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header = '', payload = ''] = token.split('.');
  const parse = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: parse(header), payload: parse(payload) };
}

/** A GitHub OIDC token from the emulator, the way @actions/core asks for one. */
export async function githubIdToken(emulator: Emulator, audience = 'api://AzureADTokenExchange'): Promise<string> {
  const env = emulator.runnerEnv();
  const url = `${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${encodeURIComponent(audience)}`;
  const reply = await callUrl(emulator, url, { bearer: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN });
  if (reply.status !== 200) throw new Error(`GitHub token request failed: ${reply.status} ${reply.text}`);
  return reply.json<{ value: string }>().value;
}

/** The client-credentials form msal-node posts, with a fresh GitHub assertion unless one is given. */
export async function tokenForm(emulator: Emulator, resource: string, overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    client_id: emulator.scenario.apps[0]?.clientId ?? '',
    scope: `${resource}/.default`,
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: overrides.client_assertion ?? (await githubIdToken(emulator)),
    ...overrides,
  };
}

/** Posts to the token endpoint of the scenario's tenant. */
export async function requestToken(emulator: Emulator, form: Record<string, string>, tenant = emulator.scenario.tenantId): Promise<Reply> {
  return call(emulator, 'entra', `/${tenant}/oauth2/v2.0/token`, { form });
}

/** An Entra access token for `resource` (for the first app unless `clientId` says otherwise), through the full GitHub → Entra exchange. */
export async function accessToken(emulator: Emulator, resource: string, clientId?: string): Promise<string> {
  const reply = await requestToken(emulator, await tokenForm(emulator, resource, clientId === undefined ? {} : { client_id: clientId }));
  if (reply.status !== 200) throw new Error(`token request failed: ${reply.status} ${reply.text}`);
  return reply.json<{ access_token: string }>().access_token;
}
