/**
 * `npm run local [scenario]`: the action's TypeScript source under @github/local-action (no bundle needed),
 * against the emulator. local-action's stand-in for @actions/core does not implement getIDToken, so the run
 * signs in with `auth: default` through workload identity: the emulator's GitHub token in a file, as on a
 * Kubernetes-hosted runner. local-action reads the inputs from a .env file; the emulator's certificate must be
 * trusted from the process's start, so NODE_EXTRA_CA_CERTS goes into its environment instead.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioFile, startEmulator } from '../emulator/index.js';
import { githubIdToken } from '../emulator/test-client.js';
import { repoRoot } from '../emulator/repo-root.js';
import { inputVariable } from '../emulator/run-action.js';

const root = repoRoot();
const name = process.argv[2] ?? 'granted-builtin';
const emulator = await startEmulator(scenarioFile(name));
try {
  const { NODE_EXTRA_CA_CERTS } = emulator.runnerEnv();
  mkdirSync(join(root, '.emulator'), { recursive: true });
  const tokenFile = join(root, '.emulator', 'federated-token');
  writeFileSync(tokenFile, await githubIdToken(emulator));
  const variables = {
    AZURE_CLIENT_ID: emulator.scenario.apps[0]?.clientId ?? '',
    AZURE_TENANT_ID: emulator.scenario.tenantId,
    AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    AZURE_TOKEN_CREDENTIALS: 'WorkloadIdentityCredential',
    ...Object.fromEntries(
      Object.entries({ ...emulator.actionInputs(), auth: 'default', 'wait-timeout': '0' }).map(([input, value]) => [inputVariable(input), value]),
    ),
  };
  const envFile = join(root, '.emulator', 'local-action.env');
  writeFileSync(envFile, Object.entries(variables).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join('\n') + '\n');
  // Asynchronously: the emulator lives in this process and must keep answering while the action runs.
  const child = spawn('npx', ['local-action', 'run', root, 'src/main.ts', envFile], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS },
  });
  process.exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
} finally {
  await emulator.close();
}
