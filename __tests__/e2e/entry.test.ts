/**
 * The action's entry (dist/index.js), run as the runner runs it: it sends the GitHub token request before the
 * engine (dist/engine/) is even read, so a checkout without the engine still shows that request on the wire.
 */
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST, runAction } from '../../emulator/run-action.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { useEmulator } from '../support/use-emulator.js';
import { useTempDirs } from '../support/temp-dirs.js';

const startEmulator = useEmulator();
const tempDir = useTempDirs('entry-only-');

/** The bundle's folder copied, without the engine: whatever runs is the entry alone. */
function entryWithoutEngine(): string {
  const dir = tempDir();
  cpSync(dirname(DIST), dir, { recursive: true });
  rmSync(join(dir, 'engine'), { recursive: true });
  return join(dir, 'index.js');
}

describe("the action's entry", () => {
  it('sends the GitHub token request before it loads the engine', async () => {
    const emulator = await startEmulator(scenarioInput('granted-builtin'));
    const run = await runAction({ ...emulator.actionInputs(), 'wait-timeout': '0' }, { env: emulator.runnerEnv(), entry: entryWithoutEngine() });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('could not load its engine (dist/engine/)');
    expect(emulator.requests.map((r) => `${r.service} ${r.method}`)).toEqual(['github GET']);
    expect(emulator.requests[0]?.query.audience).toBe('api://AzureADTokenExchange');
  });

  it('sends nothing when the inputs are wrong, and leaves their report to the engine', async () => {
    const emulator = await startEmulator(scenarioInput('granted-builtin'));
    const run = await runAction({ ...emulator.actionInputs(), 'client-id': 'not-a-guid' }, { env: emulator.runnerEnv(), entry: entryWithoutEngine() });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('could not load its engine');
    expect(emulator.requests).toEqual([]);
  });

  it('sends nothing of its own for auth: default, whose credential the engine builds', async () => {
    const emulator = await startEmulator(scenarioInput('granted-builtin'));
    const run = await runAction({ ...emulator.actionInputs(), auth: 'default' }, { env: emulator.runnerEnv(), entry: entryWithoutEngine() });
    expect(run.exitCode).toBe(1);
    expect(emulator.requests).toEqual([]);
  });
});
