/** The pull-request comment, against the emulator's GitHub REST API: one comment per job, updated, never duplicated. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { runAction } from '../../emulator/run-action.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { useEmulator } from '../support/use-emulator.js';

const scenario = scenarioInput;
const PR = 7;

const tempDir = useTempDirs('fkc-pr-');
const startEmulator = useEmulator();

/** A pull_request run: the event payload file and the job's identity, as the runner sets them. */
function pullRequestEnv(e: Emulator): Record<string, string> {
  const event = join(tempDir(), 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: PR }, repository: { name: 'foundry-app', owner: { login: 'contoso' } } }));
  return { ...e.runnerEnv(), GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: e.scenario.github.claims.repository, GITHUB_WORKFLOW: 'foundry', GITHUB_JOB: 'access' };
}

async function commentRun(e: Emulator, extra: Record<string, string> = {}) {
  return runAction({ ...e.actionInputs(), 'wait-timeout': '0', 'comment-on-pr': 'true', 'github-token': e.scenario.github.rest.token, ...extra }, { env: pullRequestEnv(e) });
}

describe('the pull-request comment', () => {
  it('is created once and then updated in place', async () => {
    const emulator = await startEmulator(scenario('demo'));
    const first = await commentRun(emulator);
    expect(first.exitCode).toBe(1);
    expect(emulator.comments.get(PR)?.length).toBe(1);
    const body = emulator.comments.get(PR)?.[0]?.body ?? '';
    expect(body).toContain('<!-- foundry-keyless-check: foundry/access -->');
    expect(body).toContain('## ❌ Foundry access denied');
    expect(body).toContain('az role assignment create');

    const second = await commentRun(emulator, { 'resource-id': emulator.scenario.resources[0]?.id ?? '' });
    expect(second.exitCode).toBe(0);
    expect(emulator.comments.get(PR)?.length).toBe(1);
    expect(emulator.comments.get(PR)?.[0]?.body).toContain('## ✅ Foundry access verified');
    expect(emulator.requests.filter((r) => r.service === 'github' && r.method === 'PATCH').length).toBe(1);
  });

  it('only warns when the token may not comment, and keeps the verdict', async () => {
    const input = scenario('granted-builtin');
    const emulator = await startEmulator({ ...input, github: { ...input.github, rest: { pullRequestsPermission: 'read' } } });
    const run = await commentRun(emulator);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.granted).toBe('true');
    expect(run.stdout).toMatch(/^::warning::Could not comment on pull request #7: the token may not write to it \(HTTP 403\)/m);
    expect(emulator.comments.get(PR) ?? []).toEqual([]);
  });

  it('is not attempted outside a pull request', async () => {
    const emulator = await startEmulator(scenario('granted-builtin'));
    const run = await runAction({ ...emulator.actionInputs(), 'wait-timeout': '0', 'comment-on-pr': 'true', 'github-token': 'x' }, { env: emulator.runnerEnv() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('not for a pull request: no comment');
    expect(emulator.requests.filter((r) => r.path.startsWith('/repos/'))).toEqual([]);
  });
});
