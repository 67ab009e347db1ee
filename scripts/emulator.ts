/**
 * `npm run emulator [-- <scenario name or path>]`: runs the emulator until Ctrl-C and prints how to run
 * the bundled action against it. Default scenario: demo. `--list` shows the shipped scenarios.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import { githubContextEnv, inputEnv, scenarioFile, scenarioNames, startEmulator } from '../emulator/index.js';
import type { Emulator, RequestLogEntry } from '../emulator/index.js';

const USAGE = `Usage: npm run emulator [-- <scenario>]

<scenario> is the name of a shipped scenario or the path of a JSON scenario file (default: demo).
Shipped scenarios: ${scenarioNames().join(', ')}`;

async function main(): Promise<number> {
  const argument = process.argv[2] ?? 'demo';
  if (argument === '--help' || argument === '-h' || argument === '--list') {
    console.log(USAGE);
    return 0;
  }

  let emulator: Emulator;
  try {
    emulator = await startEmulator(scenarioFile(argument));
  } catch (error) {
    // A ScenarioError's message lists every problem in the file.
    console.error(error instanceof Error ? error.message : String(error));
    console.error(`\n${USAGE}`);
    return 2;
  }

  const files = runnerFiles();
  const stopTokens = await keepFederatedToken(emulator, files.federatedToken);
  const env = {
    ...githubContextEnv(emulator.scenario),
    ...emulator.runnerEnv(),
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    ...inputEnv(emulator.actionInputs()),
  };
  printBanner(emulator, env, files);

  const stopLog = followRequests(emulator);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  stopLog();
  stopTokens();
  await emulator.close();
  console.log('\nEmulator stopped.');
  return 0;
}

interface RunnerFiles {
  readonly output: string;
  readonly summary: string;
  /** A GitHub ID token for the CLI's workload-identity sign-in (AZURE_FEDERATED_TOKEN_FILE). */
  readonly federatedToken: string;
}

/** Where the action's outputs and job summary land, as GITHUB_OUTPUT and GITHUB_STEP_SUMMARY would on a runner. */
function runnerFiles(): RunnerFiles {
  const dir = resolve('.emulator');
  mkdirSync(dir, { recursive: true });
  const files = { output: join(dir, 'github-output.txt'), summary: join(dir, 'step-summary.md'), federatedToken: join(dir, 'federated-token') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return files;
}

/**
 * Keeps a fresh GitHub ID token in a file, as a workload-identity runner keeps its projected token, so the CLI can
 * sign in through the default chain. GitHub's tokens live minutes: it is renewed every minute until stopped.
 */
async function keepFederatedToken(emulator: Emulator, file: string): Promise<() => void> {
  const env = emulator.runnerEnv();
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) return () => undefined; // a scenario without id-token permission has none to give
  const renew = async (): Promise<void> => {
    const text = await new Promise<string>((done, fail) => {
      const req = request(`${url}&audience=api%3A%2F%2FAzureADTokenExchange`, { ca: readFileSync(emulator.caFile), headers: { authorization: `Bearer ${bearer}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => done(body));
      });
      req.on('error', fail).end();
    });
    const value = (JSON.parse(text) as { value?: unknown }).value;
    if (typeof value === 'string') writeFileSync(file, value);
  };
  await renew().catch(() => undefined);
  const timer = setInterval(() => void renew().catch(() => undefined), 60_000);
  return () => clearInterval(timer);
}

function printBanner(emulator: Emulator, env: Record<string, string>, files: RunnerFiles): void {
  const { scenario, urls } = emulator;
  const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
  console.log(bold(`Foundry keyless check emulator: scenario "${scenario.name ?? 'custom'}"`));
  if (scenario.description) console.log(`  ${scenario.description}`);
  console.log(`\n${bold('Services')} (one HTTPS port each; certificate: ${emulator.caFile})`);
  console.log(`  GitHub OIDC   ${urls.github}`);
  console.log(`  Entra ID      ${urls.entra}`);
  console.log(`  ARM           ${urls.arm}`);
  console.log(`  Foundry data  ${urls.data}   (each account under its own path: ${scenario.resources.map((r) => `/${r.name}/`).join(', ') || 'none'})`);

  console.log(`\n${bold('Run the bundled action against it')} (from the repository root, after npm run bundle):\n`);
  const lines = Object.entries(env).map(([name, value]) => `  ${shellQuote(`${name}=${value}`)} \\`);
  console.log(['env \\', ...lines, '  node dist/index.js'].join('\n'));
  console.log(`\nOutputs are written to ${files.output}, the job summary to ${files.summary}.`);

  const inputs = emulator.actionInputs();
  console.log(`\n${bold('Run the command (the CLI) against it')}, signed in as a workload-identity runner would be:\n`);
  const cliEnv = {
    NODE_EXTRA_CA_CERTS: emulator.caFile,
    AZURE_CLIENT_ID: inputs['client-id'] ?? '',
    AZURE_TENANT_ID: inputs['tenant-id'] ?? '',
    AZURE_FEDERATED_TOKEN_FILE: files.federatedToken,
    AZURE_TOKEN_CREDENTIALS: 'WorkloadIdentityCredential',
  };
  const cliArgs = [
    ...scenario.resources.map((r) => `--resource-id ${shellQuote(r.id)}`),
    `--cloud Custom --authority-host ${urls.entra} --resource-manager-endpoint ${urls.arm}`,
  ];
  console.log(['env \\', ...Object.entries(cliEnv).map(([name, value]) => `  ${shellQuote(`${name}=${value}`)} \\`), '  node bin/foundry-keyless-check.mjs \\', ...cliArgs.map((a, i) => `    ${a}${i < cliArgs.length - 1 ? ' \\' : ''}`)].join('\n'));
  console.log(`The printed values are valid only while this emulator runs. Press Ctrl-C to stop.\n`);
  console.log(bold('Requests'));
}

/** Prints each request once it has been answered (or faulted), in arrival order. */
function followRequests(emulator: Emulator): () => void {
  let next = 0;
  const timer = setInterval(() => {
    for (let entry = emulator.requests[next]; entry && isSettled(entry); entry = emulator.requests[++next]) {
      console.log(describeRequest(entry));
    }
  }, 200);
  return () => clearInterval(timer);
}

function isSettled(entry: RequestLogEntry): boolean {
  return entry.status !== 0 || entry.fault !== undefined;
}

function describeRequest(entry: RequestLogEntry): string {
  const query = Object.entries(entry.query).map(([k, v]) => `${k}=${v}`).join('&');
  const outcome = entry.status === 0 ? 'no answer' : String(entry.status);
  const extras = [entry.fault && `fault: ${entry.fault}`, entry.principalId && `principal ${entry.principalId}`].filter(Boolean).join(', ');
  const time = (entry.at / 1000).toFixed(1).padStart(7);
  return `${time}s  ${entry.service.padEnd(6)} ${entry.method} ${entry.path}${query ? `?${query}` : ''} → ${outcome}${extras ? ` (${extras})` : ''}`;
}

/** Single-quotes for POSIX shells; the multi-line resource-id stays one argument. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

process.exitCode = await main();
