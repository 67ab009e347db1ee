/** Runs the bundle against an emulator that answers the way an attacker would, and a second one standing for "elsewhere". */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Emulator, EmulatorOptions, Fault, ScenarioInput } from '../../emulator/index.js';
import { runAction, type ActionRun } from '../../emulator/run-action.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { useEmulator } from '../support/use-emulator.js';

export const PR = 7;

export interface HostileRun {
  readonly run: ActionRun;
  readonly emulator: Emulator;
  /** Every pull-request comment body after the run. */
  readonly comments: string;
}

/** Lines of the runner's log as the runner splits them (CR, LF, CRLF). */
export const logLines = (text: string): string[] => text.split(/\r\n|\r|\n/);

/**
 * Starts emulators with `useHostileEmulators()` and closes them after each test. `elsewhere()` is another origin
 * (a whole emulator, so every service it stands for logs what it receives); nothing may ever reach it.
 */
export function useHostileEmulators() {
  const start = useEmulator();
  const others: Emulator[] = [];
  const tempDir = useTempDirs('fkc-hostile-');
  afterEach(() => {
    others.length = 0;
  });
  const rerun = async (emulator: Emulator, options: RunOptions = {}): Promise<ActionRun> => {
      const env: Record<string, string> = { ...emulator.runnerEnv(), ...options.env?.(emulator) };
      if (others.length > 0) {
        // "Elsewhere" must be trusted too: a refused request has to be refused by the rule, not by TLS.
        const bundle = join(tempDir(), 'ca.pem');
        writeFileSync(bundle, [emulator, ...others].map((e) => readFileSync(e.caFile, 'utf8')).join('\n'));
        env.NODE_EXTRA_CA_CERTS = bundle;
      }
      const inputs: Record<string, string> = { ...emulator.actionInputs(), 'wait-timeout': '0' };
      if (options.pullRequest) {
        const event = join(tempDir(), 'event.json');
        writeFileSync(event, JSON.stringify({ pull_request: { number: PR } }));
        Object.assign(env, {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: event,
          GITHUB_REPOSITORY: emulator.scenario.github.claims.repository,
          GITHUB_WORKFLOW: 'foundry',
          GITHUB_JOB: 'access',
        });
        Object.assign(inputs, { 'comment-on-pr': 'true', 'github-token': emulator.scenario.github.rest.token });
      }
      return runAction({ ...inputs, ...options.inputs?.(emulator) }, { env, killAfterMs: options.killAfterMs ?? 90_000 });
  };
  return {
    async elsewhere(): Promise<Emulator> {
      const emulator = await start(scenarioInput('granted-builtin'));
      others.push(emulator);
      return emulator;
    },
    /** The scenario with hostile faults, run through the bundle (as a pull-request run with `pullRequest`). */
    async run(scenario: ScenarioInput, faults: Fault[], options: RunOptions = {}): Promise<HostileRun> {
      const emulator = await start({ ...scenario, faults: [...(scenario.faults ?? []), ...faults] }, options.emulator);
      const run = await rerun(emulator, options);
      const comments = [...emulator.comments.values()].flat().map((c) => c.body).join('\n');
      return { run, emulator, comments };
    },
    /** The bundle once more against a running emulator. */
    rerun,
    /** An emulator to change before the bundle runs against it (`rerun`). */
    async start(scenario: ScenarioInput): Promise<{ emulator: Emulator }> {
      return { emulator: await start(scenario) };
    },
  };
}

interface RunOptions {
  readonly inputs?: (e: Emulator) => Record<string, string>;
  /** Run as a pull_request event with comment-on-pr. */
  readonly pullRequest?: boolean;
  readonly killAfterMs?: number;
  /** More environment for the run (proxy variables), which may need the emulator's URLs. */
  readonly env?: (e: Emulator) => Record<string, string>;
  readonly emulator?: EmulatorOptions;
}

/** `granted-custom-maas` with extra permission entries on its custom role (to read assignments, or hostile patterns). */
export function customRole(changes: { roleName?: string; dataActions?: string[]; actions?: string[] }): ScenarioInput {
  const base = scenarioInput('granted-custom-maas');
  const [role] = base.roleDefinitions ?? [];
  if (!role) throw new Error('granted-custom-maas.json has no custom role');
  const permissions = role.permissions?.[0];
  return {
    ...base,
    roleDefinitions: [
      {
        ...role,
        roleName: changes.roleName ?? role.roleName,
        permissions: [{ ...permissions, actions: changes.actions ?? [], dataActions: changes.dataActions ?? permissions?.dataActions ?? [] }],
      },
    ],
  };
}

/** Lets the identity read its own role assignments and definitions, so role names reach the report. */
export const READ_ASSIGNMENTS = ['Microsoft.Authorization/roleAssignments/read', 'Microsoft.Authorization/roleDefinitions/read'];
