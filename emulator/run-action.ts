/**
 * Runs the bundled action as the GitHub runner does: a node process on dist/index.js (under the test suite, a fresh
 * bundle of src/: see fresh-bundle.ts) with INPUT_* variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and nothing of this process's environment but PATH.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from './repo-root.js';

/** Set by the test suite's global setup to the folder of a fresh bundle (dist/, bin/); otherwise the repository's. */
export const BUNDLE_VARIABLE = 'FOUNDRY_KEYLESS_CHECK_BUNDLE';
const bundleRoot = resolve(process.env[BUNDLE_VARIABLE] || repoRoot());
export const DIST = join(bundleRoot, 'dist', 'index.js');
/** The CLI as the package ships it, importing the bundle beside it. */
export const BIN = join(bundleRoot, 'bin', 'foundry-keyless-check.mjs');

export interface ActionRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** The raw GITHUB_OUTPUT file, for scans that must see everything written there. */
  readonly outputFile: string;
  readonly durationMs: number;
  /** performance.now() just before the process was spawned, to line up with the emulator's request log. */
  readonly startedAt: number;
}

export interface RunOptions {
  /** Extra environment (the emulator's runnerEnv(), GITHUB_EVENT_NAME, …). */
  readonly env?: Record<string, string>;
  /** Kill the process after this long; a run that needs it is a failure of the bound under test. */
  readonly killAfterMs?: number;
  /** Stream the action's log here as it arrives (the demo shows it live). */
  readonly echo?: (chunk: string) => void;
  /** The node binary to run the action with (the benchmark uses Node 24); default: this process's. */
  readonly node?: string;
  /** Another bundle's entry to run in place of DIST (the benchmark's previous bundle). */
  readonly entry?: string;
}

/** GitHub's input variable name: spaces become underscores, the rest is upper-cased; hyphens stay. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Reads the file-command format `name<<delimiter\nvalue\ndelimiter\n` that @actions/core writes. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match?.[1] || !match[2]) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] ?? '');
    outputs[match[1]] = value.join('\n');
  }
  return outputs;
}

export async function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'fkc-run-'));
  const outputPath = join(dir, 'output');
  const summaryPath = join(dir, 'summary.md');
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'contoso/model-app',
    RUNNER_TEMP: dir,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [inputVariable(name), value])),
    ...options.env,
  };
  const started = performance.now();
  const child = spawn(options.node ?? process.execPath, [options.entry ?? DIST], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.echo?.(chunk);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    options.echo?.(chunk);
  });
  const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  const durationMs = performance.now() - started;
  const outputFile = readFileSync(outputPath, 'utf8');
  const summary = readFileSync(summaryPath, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return { exitCode, stdout, stderr, outputs: parseOutputFile(outputFile), summary, outputFile, durationMs, startedAt: started };
}
