import { describe, expect, it } from 'vitest';
import type { Emulator, FaultInput, ScenarioInput } from '../../emulator/index.js';
import { call } from '../../emulator/test-client.js';
import { useEmulator } from '../support/use-emulator.js';

const TENANT = '3f9a1c2e-6b4d-4e8f-9a7c-1d2e3f4a5b6c';
const DISCOVERY = `/${TENANT}/v2.0/.well-known/openid-configuration`;

const startEmulator = useEmulator();

async function withFaults(...faults: FaultInput[]): Promise<Emulator> {
  const scenario: ScenarioInput = { tenantId: TENANT, faults };
  const emulator = await startEmulator(scenario);
  return emulator;
}

describe('injected faults', () => {
  it('status: answers the status with Retry-After, for the first N matching requests only', async () => {
    const em = await withFaults({ service: 'entra', kind: 'status', status: 429, retryAfter: 2, times: 2 });
    const first = await call(em, 'entra', DISCOVERY);
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('2');
    expect(first.json()).toHaveProperty('error');
    expect((await call(em, 'entra', DISCOVERY)).status).toBe(429);
    expect((await call(em, 'entra', DISCOVERY)).status).toBe(200);
    expect(em.requests.map((r) => [r.status, r.fault])).toEqual([
      [429, 'status'],
      [429, 'status'],
      [200, undefined],
    ]);
  });

  it('status: ARM throttling uses the ARM error format by default, and a given body verbatim', async () => {
    const em = await withFaults(
      { service: 'arm', kind: 'status', status: 429, pathPattern: '/permissions$' },
      { service: 'arm', kind: 'status', status: 500, body: 'upstream exploded' },
    );
    const throttled = await call(em, 'arm', '/subscriptions/x/providers/Microsoft.Authorization/permissions');
    expect(throttled.json()).toMatchObject({ error: { code: 'SubscriptionRequestsThrottled' } });
    const plain = await call(em, 'arm', '/subscriptions/x');
    expect([plain.status, plain.text, plain.headers['content-type']]).toEqual([500, 'upstream exploded', 'text/plain; charset=utf-8']);
  });

  it('matches on service, method and path pattern (case-insensitive)', async () => {
    const em = await withFaults({ service: 'entra', method: 'post', pathPattern: 'OAUTH2/v2\\.0/token', kind: 'status', status: 503 });
    expect((await call(em, 'entra', DISCOVERY)).status).toBe(200);
    expect((await call(em, 'github', '/oauth2/v2.0/token', { method: 'POST' })).status).toBe(405);
    expect((await call(em, 'entra', `/${TENANT}/oauth2/v2.0/token`, { form: {} })).status).toBe(503);
    expect(em.requests.map((r) => r.fault)).toEqual([undefined, undefined, 'status']);
  });

  it('reset: drops the connection without an answer', async () => {
    const em = await withFaults({ service: 'github', kind: 'reset' });
    await expect(call(em, 'github', '/token')).rejects.toThrow(/read ECONNRESET/);
    expect(em.requests).toEqual([expect.objectContaining({ status: 0, fault: 'reset' })]);
  });

  it('stall: never answers, and close() still returns', async () => {
    const em = await withFaults({ service: 'data', kind: 'stall' });
    await expect(call(em, 'data', '/a/models/chat/completions', { timeoutMs: 300 })).rejects.toThrow(/timed out/);
    const pending = call(em, 'data', '/a/models/chat/completions', { timeoutMs: 30_000 }).catch((e: unknown) => e);
    while (em.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await em.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(em.requests.map((r) => [r.status, r.fault])).toEqual([
      [0, 'stall'],
      [0, 'stall'],
    ]);
  });

  it('malformed-json: 200 with a body that does not parse', async () => {
    const em = await withFaults({ service: 'arm', kind: 'malformed-json' });
    const reply = await call(em, 'arm', '/anything');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('application/json');
    expect(() => reply.json()).toThrow(SyntaxError);
    expect(em.requests[0]).toMatchObject({ status: 200, fault: 'malformed-json' });
  });

  it('truncated: 200 whose body stops short of its Content-Length', async () => {
    const em = await withFaults({ service: 'entra', kind: 'truncated' });
    await expect(call(em, 'entra', DISCOVERY)).rejects.toThrow(/aborted|ended|ECONNRESET|socket hang up/);
    expect(em.requests[0]).toMatchObject({ status: 200, fault: 'truncated' });
  });
});

describe('FaultInjector', () => {
  it('lets `after` requests through, then applies the fault `times` times', async () => {
    const { FaultInjector } = await import('../../emulator/faults.js');
    const injector = new FaultInjector([{ service: 'arm', kind: 'status', status: 503, pathPattern: '/permissions$', after: 1, times: 2 }]);
    const seen = [1, 2, 3, 4].map(() => injector.take('arm', 'GET', '/x/providers/Microsoft.Authorization/permissions', '')?.fault.status);
    expect(seen).toEqual([undefined, 503, 503, undefined]);
    expect(injector.take('arm', 'GET', '/other', '')).toBeUndefined();
  });

  it('tells the ARM token request from the data-plane one by the scope asked for', async () => {
    const { FaultInjector } = await import('../../emulator/faults.js');
    const injector = new FaultInjector([{ service: 'entra', route: 'entra-token-data-plane', kind: 'replay', status: 400 }]);
    const path = '/t/oauth2/v2.0/token';
    expect(injector.take('entra', 'POST', path, 'scope=https%3A%2F%2Fmanagement.azure.com%2F.default&grant_type=client_credentials')).toBeUndefined();
    expect(injector.take('entra', 'POST', path, 'scope=https%3A%2F%2Fai.azure.com%2F.default+openid&grant_type=client_credentials')?.fault.status).toBe(400);
    expect(injector.take('entra', 'GET', '/t/v2.0/.well-known/openid-configuration', '')).toBeUndefined();
  });
});

describe('replayed recordings', () => {
  it('answer status, headers and body exactly, on the named route only', async () => {
    const body = { error: { code: 'AuthorizationFailed', message: 'recorded' } };
    const em = await withFaults({ service: 'arm', route: 'arm-permissions', kind: 'replay', status: 403, headers: { 'x-ms-failure-cause': 'gateway', 'Retry-After': '7' }, body });
    const replayed = await call(em, 'arm', '/subscriptions/x/providers/Microsoft.Authorization/permissions');
    expect([replayed.status, replayed.headers['x-ms-failure-cause'], replayed.headers['retry-after'], replayed.json()]).toEqual([403, 'gateway', '7', body]);
    const other = await call(em, 'arm', '/subscriptions/x/providers/Microsoft.Authorization/roleAssignments');
    expect(other.status).not.toBe(403);
    expect(em.requests.map((r) => r.fault)).toEqual(['replay', undefined]);
  });

  it('serve the pages in turn, with nextLink moved to the emulated ARM, then start over', async () => {
    const first = { value: [{ actions: ['*'] }], nextLink: 'https://management.azure.com/subscriptions/x/providers/Microsoft.Authorization/permissions?api-version=2022-04-01&$skiptoken=abc' };
    const em = await withFaults({ route: 'arm-permissions', kind: 'replay', status: 200, body: first, pages: [{ status: 200, body: { value: [] } }] });
    const path = '/subscriptions/x/providers/Microsoft.Authorization/permissions';
    const one = (await call(em, 'arm', path)).json<{ nextLink: string }>();
    expect(one.nextLink).toBe(`${em.urls.arm}/subscriptions/x/providers/Microsoft.Authorization/permissions?api-version=2022-04-01&$skiptoken=abc`);
    expect((await call(em, 'arm', path)).json()).toEqual({ value: [] });
    expect((await call(em, 'arm', path)).json()).toMatchObject({ value: [{ actions: ['*'] }] });
  });

  it('send a string body as recorded, with the recorded content type', async () => {
    const em = await withFaults({ route: 'data-plane-chat', kind: 'replay', status: 403, headers: { 'content-type': 'text/html' }, body: '<html>Forbidden</html>' });
    const answer = await call(em, 'data', '/acct/models/chat/completions', { json: {} });
    expect([answer.status, answer.text, answer.headers['content-type']]).toEqual([403, '<html>Forbidden</html>', 'text/html']);
  });
});
