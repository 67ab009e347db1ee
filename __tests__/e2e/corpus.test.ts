/**
 * The corpus, end to end: every recorded answer in __tests__/corpus/ is replayed by the emulator on its route
 * (and only there: the rest of the run succeeds as in `granted-builtin`), the bundled action runs against it,
 * and the run must end with the diagnosis Microsoft's documentation gives that answer, having retried it
 * only if time can cure it. The emulator's request log shows how often the recording was asked for.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE } from '../../src/decide/diagnosis.js';
import { startEmulator, type Emulator, type FaultInput, type ScenarioInput } from '../../emulator/index.js';
import { loadCorpus, notOffered, type CorpusFixture } from '../../emulator/corpus.js';
import { repoRoot } from '../../emulator/repo-root.js';
import { runAction } from '../../emulator/run-action.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';

const FIXTURES = loadCorpus();
/** Preloaded into the action's process to fail one host name's lookup with a recorded getaddrinfo error. */
const DNS_FAILURE = join(repoRoot(), '__tests__', 'support', 'dns-failure.mjs');
const CODES = new Set<string>(TABLE.map((row) => row.code));

/** Routes on the data plane need the model input; the account route is read only to find the endpoint. */
function routeInputs(fixture: CorpusFixture, emulator: Emulator): Record<string, string> {
  switch (fixture.route) {
    case 'entra-token-data-plane':
    case 'data-plane-chat':
      return { model: 'gpt-4o-mini', endpoint: `${emulator.urls.data}/contoso-foundry/` };
    case 'arm-account':
      return { model: 'gpt-4o-mini' };
    default:
      return {};
  }
}

function replayOf(fixture: CorpusFixture): FaultInput {
  const { status, headers, body, pages } = fixture.answer;
  return { route: fixture.route, kind: 'replay', status, ...(headers ? { headers } : {}), ...(body !== undefined ? { body } : {}), ...(pages ? { pages: [...pages] } : {}) };
}

/** The rest of the run: a shipped scenario, with the identity's roles replaced when the fixture names them. */
function world(fixture: CorpusFixture): ScenarioInput {
  const base = scenarioInput(fixture.setup?.scenario ?? 'granted-builtin');
  const roles = fixture.setup?.roles;
  const [app] = base.apps ?? [];
  const [resource] = base.resources ?? [];
  if (!roles || !app || !resource) return base;
  return {
    ...base,
    roleAssignments: roles.map((roleDefinitionId) => ({ principalId: app.objectId, principalType: 'ServicePrincipal' as const, roleDefinitionId, scope: resource.id })),
  };
}

/** A proxy that demands credentials it is never given: every CONNECT is answered 407. */
async function refusingProxy(): Promise<{ url: string; connects: () => number; close: () => Promise<void> }> {
  let connects = 0;
  const server: Server = createServer((_req, res) => res.writeHead(407, { 'proxy-authenticate': 'Basic realm="corp"' }).end());
  server.on('connect', (_req, socket) => {
    connects++;
    socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connects: () => connects, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('every fixture is a known diagnosis', () => {
  it.each(FIXTURES.map((f) => [f.id, f] as const))('%s', (_id, fixture) => {
    expect(CODES.has(fixture.expected.diagnosis), `${fixture.expected.diagnosis} is not a row of the table`).toBe(true);
  });
});

const seen = new Set<string>();

describe.concurrent('the corpus, replayed end to end', () => {
  it.each(FIXTURES.map((f) => [f.id, f] as const))('%s', async (_id, fixture) => {
    const transport = fixture.answer.transportError;
    const absent = notOffered(fixture);
    const emulator = await startEmulator({ ...world(fixture), faults: transport || absent ? [] : [replayOf(fixture)] });
    const proxy = transport && /\b407\b/.test(transport) ? await refusingProxy() : undefined;
    try {
      const env: Record<string, string> = { ...emulator.runnerEnv() };
      if (absent) {
        delete env.ACTIONS_ID_TOKEN_REQUEST_URL;
        delete env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      }
      if (transport && fixture.route === 'github-oidc-token') {
        // The recorded host, behind a proxy that refuses, or with its lookup failing as recorded: nothing leaves the machine.
        const dns = /getaddrinfo (\S+) (\S+)/.exec(transport);
        const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '');
        url.protocol = 'https:';
        url.host = dns?.[2] ?? 'token.actions.githubusercontent.com';
        env.ACTIONS_ID_TOKEN_REQUEST_URL = url.href;
        if (proxy) env.https_proxy = proxy.url;
        if (dns) {
          env.NODE_OPTIONS = `--import=${pathToFileURL(DNS_FAILURE).href}`;
          env.FKC_TEST_DNS_FAILURE = `${dns[1]} ${dns[2]}`;
        }
      }
      const inputs = Object.fromEntries(
        Object.entries(fixture.setup?.inputs ?? {}).map(([name, value]) => [name, value.replaceAll('{data}', emulator.urls.data).replaceAll('{arm}', emulator.urls.arm)]),
      );
      const run = await runAction(
        { ...emulator.actionInputs(), 'wait-timeout': String(fixture.setup?.waitTimeout ?? 3), ...routeInputs(fixture, emulator), ...inputs },
        { env, killAfterMs: 90_000 },
      );
      const replayed = emulator.requests.filter((r) => r.fault === 'replay').length;
      if (!transport && !absent) expect(replayed, 'the recording was asked for').toBeGreaterThan(0);
      if (proxy) expect(proxy.connects(), 'the proxy was asked').toBeGreaterThan(0);
      const log = run.stdout.split('\n').filter((line) => !/^::(add-mask|debug)::/.test(line)).join('\n');
      expect(run.outputs.diagnosis, `${fixture.id}\n${log}`).toBe(fixture.expected.diagnosis);
      expect(run.exitCode).toBe(fixture.expected.diagnosis === 'ok' ? 0 : 1);
      // Retried: the recording was asked for again (a client library's own retry counts), or the action looked
      // again, at a stage (its log says so) or in the wait for access (the report counts attempts). Role
      // definitions and assignments are read once per role and per run, so their count says nothing of retries.
      const report = JSON.parse(run.outputs.report ?? '{}') as { attempts?: number };
      const onePerRequest = !['arm-role-definition', 'arm-role-assignments'].includes(fixture.route);
      const retried = (onePerRequest && replayed > 1) || /trying again in|next check in/.test(log) || (report.attempts ?? 0) > 1;
      expect(retried, `retried (${replayed} replayed)\n${log}`).toBe(fixture.expected.retried);
      seen.add(fixture.plane);
    } finally {
      await proxy?.close();
      await emulator.close();
    }
  });

  afterAll(() => {
    if (FIXTURES.length > 0 && seen.size === 0) throw new Error('no fixture passed');
  });
});

/** One fixture by id, for the checks below that look past the diagnosis. */
function fixture(id: string): CorpusFixture {
  const found = FIXTURES.find((f) => f.id === id);
  if (!found) throw new Error(`no fixture ${id}`);
  return found;
}

async function replayed(f: CorpusFixture, inputs: Record<string, string>, answer: Partial<FaultInput> = {}) {
  const emulator = await startEmulator({ ...world(f), faults: [{ ...replayOf(f), ...answer }] });
  try {
    const run = await runAction({ ...emulator.actionInputs(), ...routeInputs(f, emulator), ...inputs }, { env: emulator.runnerEnv(), killAfterMs: 90_000 });
    return { run, replays: emulator.requests.filter((r) => r.fault === 'replay').length };
  } finally {
    await emulator.close();
  }
}

describe.concurrent('what the recordings show beyond the diagnosis', () => {
  it('a Retry-After longer than what is left ends the wait at once, saying how long the service asked', async () => {
    const { run, replays } = await replayed(fixture('arm-429-subscription-requests-throttled'), { 'wait-timeout': '3' });
    expect(run.outputs.diagnosis).toBe('throttled');
    expect(replays).toBe(1);
    expect(run.summary).toContain('asked to wait 6 s, longer than what was left of `wait-timeout`');
  });

  it('names the data action a denial gives without backticks', async () => {
    const { run } = await replayed(fixture('data-plane-401-lacks-data-action-no-backticks'), { 'wait-timeout': '0' });
    expect(run.summary).toContain('Microsoft.CognitiveServices/accounts/AIServices/agents/read');
  });

  it('a 400 about the request body proves access, and the summary says what the model refused', async () => {
    const { run, replays } = await replayed(fixture('data-plane-400-unsupported-parameter-max-tokens'), { 'wait-timeout': '3' });
    expect([run.outputs.diagnosis, run.exitCode, replays]).toEqual(['ok', 0, 1]);
    expect(run.summary).toContain("'max_tokens' is not supported with this model");
  });

  it('an account the SDK recording shows Creating is waited for, read once more, and then judged by its settings', async () => {
    const { run, replays } = await replayed(fixture('arm-account-sdk-recording-creating-then-succeeded'), { 'wait-timeout': '30' });
    expect([run.outputs.diagnosis, run.outputs.attempts, replays]).toEqual(['custom-subdomain-missing', '2', 2]);
    expect(run.stdout).toContain('the account is still provisioning, state Creating');
  });

  it('assignments with a malformed createdOn and an unknown principal type explain, and never break the run', async () => {
    const f = fixture('arm-role-assignments-spec-list-for-resource');
    const body = f.answer.body as { value: { properties: Record<string, unknown> }[] };
    const hostile = { value: body.value.map((a) => ({ ...a, properties: { ...a.properties, createdOn: 'not-a-date', principalType: 'DirectoryRoleTemplate' } })) };
    const { run, replays } = await replayed(f, { 'wait-timeout': '3' }, { body: hostile });
    expect(replays).toBeGreaterThan(0);
    expect([run.outputs.diagnosis, run.exitCode]).toEqual(['ok', 0]);
  });
});
