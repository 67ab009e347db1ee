/**
 * `npm run emulator [-- <scenario name or path>]`: runs the emulator until Ctrl-C and prints how to run
 * the bundled action against it. Default scenario: demo. `--list` shows the shipped scenarios.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
  await emulator.close();
  console.log('\nEmulator stopped.');
  return 0;
}

/** Where the action's outputs and job summary land, as GITHUB_OUTPUT and GITHUB_STEP_SUMMARY would on a runner. */
function runnerFiles(): { output: string; summary: string } {
  const dir = resolve('.emulator');
  mkdirSync(dir, { recursive: true });
  const files = { output: join(dir, 'github-output.txt'), summary: join(dir, 'step-summary.md') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return files;
}

function printBanner(emulator: Emulator, env: Record<string, string>, files: { output: string; summary: string }): void {
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
