/**
 * No token ever leaves through output, not even one a hostile service echoes back in its error text. Every shipped scenario, and the waits, faults and model calls that make
 * the most tokens, run through the bundle; every token the emulator issued is then searched for in stdout,
 * stderr, the outputs file (the report output included) and the job summary. A token may appear only inside its
 * own `::add-mask::` command, which the runner consumes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioNames, startEmulator, type ScenarioInput } from '../../emulator/index.js';
import { runAction } from '../../emulator/run-action.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';

const scenario = scenarioInput;

interface Case {
  readonly name: string;
  readonly scenario: ScenarioInput;
  readonly inputs?: (dataUrl: string) => Record<string, string>;
  /** Run as a pull_request event, so the comment body is scanned too. */
  readonly pullRequest?: boolean;
}

const CASES: Case[] = [
  ...scenarioNames().map((name) => ({ name, scenario: scenario(name) })),
  { name: 'model call', scenario: scenario('granted-builtin'), inputs: (data) => ({ model: 'gpt-4o-mini', endpoint: `${data}/contoso-foundry/` }) },
  {
    name: 'short-lived tokens across a wait',
    scenario: { ...scenario('propagating'), github: { ...scenario('propagating').github, tokenLifetimeSeconds: 3 }, entra: { accessTokenLifetimeSeconds: 3 } },
    inputs: () => ({ 'wait-timeout': '15' }),
  },
  { name: 'pull-request comment', scenario: scenario('demo'), inputs: () => ({ 'comment-on-pr': 'true', 'github-token': 'ghs_emulator_workflow_token' }), pullRequest: true },
  {
    name: 'ARM echoes the token back in its error, with a pull-request comment',
    scenario: { ...scenario('granted-builtin'), faults: [{ service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'The access token {{bearer}} is not valid.\n{{bearer}}' } } }] },
    inputs: () => ({ 'comment-on-pr': 'true', 'github-token': 'ghs_emulator_workflow_token' }),
    pullRequest: true,
  },
  {
    name: 'the data plane echoes the token back, cut short, when ARM cannot be read',
    scenario: {
      ...scenario('granted-builtin'),
      faults: [
        { service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no' } } },
        { service: 'data', kind: 'status', status: 401, body: { error: { code: '401', message: 'Bearer {{bearer}}' } } },
      ],
    },
    inputs: (data) => ({ model: 'gpt-4o-mini', endpoint: `${data}/contoso-foundry/`, 'comment-on-pr': 'true', 'github-token': 'ghs_emulator_workflow_token' }),
    pullRequest: true,
  },
  { name: 'a fault mid-run', scenario: { ...scenario('granted-builtin'), faults: [{ service: 'arm', pathPattern: '/permissions$', kind: 'malformed-json', times: 1 }] }, inputs: () => ({ 'wait-timeout': '5' }) },
];

const tempDir = useTempDirs('fkc-leak-');

describe.concurrent('token hygiene across every scenario', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const emulator = await startEmulator(c.scenario);
    try {
      const env: Record<string, string> = { ...emulator.runnerEnv() };
      if (c.pullRequest) {
        const event = join(tempDir(), 'event.json');
        writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
        Object.assign(env, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: emulator.scenario.github.claims.repository });
      }
      const run = await runAction({ ...emulator.actionInputs(), 'wait-timeout': '0', ...c.inputs?.(emulator.urls.data) }, { env });
      const comments = [...emulator.comments.values()].flat().map((comment) => comment.body).join('\n');
      if (c.pullRequest) expect(comments.length).toBeGreaterThan(0);
      const outputs: Record<string, string> = {
        stdout: run.stdout,
        stderr: run.stderr,
        GITHUB_OUTPUT: run.outputFile,
        summary: run.summary,
        report: run.outputs.report ?? '',
        'pull-request comment': comments,
      };
      for (const token of emulator.issuedTokens) {
        for (const [where, text] of Object.entries(outputs)) {
          const outsideMasks = text.split('\n').filter((line) => line !== `::add-mask::${token}`).join('\n');
          expect(outsideMasks.includes(token), `${where} shows a token`).toBe(false);
          // Nor any sizeable piece of one: a signature or payload split over lines would slip past the runner's mask.
          const signature = token.split('.')[2] ?? '';
          expect(signature.length > 40 && outsideMasks.includes(signature.slice(0, 40)), `${where} shows part of a token`).toBe(false);
        }
        if (run.stdout.includes(token)) expect(run.stdout).toContain(`::add-mask::${token}`);
      }
    } finally {
      await emulator.close();
    }
  });
});
