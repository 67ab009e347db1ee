/**
 * The terminal is a reader too (issue 10, point 4): the local command prints service text (ARM's error code and
 * message) with every control character neutralised, so no escape sequence a service sends reaches the terminal.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { githubIdToken } from '../../emulator/test-client.js';
import { BIN } from '../../emulator/run-action.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { useHostileEmulators } from './support.js';

const hostile = useHostileEmulators();
const tempDir = useTempDirs('fkc-terminal-');
const ESCAPES = '\u001b]8;;https://attacker.example\u0007click\u001b]8;;\u0007 \u001b[2J\u001b[31mred\u009b1m';

describe('the terminal', () => {
  it('never receives a control character from a service', async () => {
    const { emulator } = await hostile.start({
      ...scenarioInput('granted-builtin'),
      faults: [{ service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 403, body: { error: { code: `Denied${ESCAPES}`, message: `No${ESCAPES}\r\nmore` } } }],
    });
    const file = join(tempDir(), 'token');
    writeFileSync(file, await githubIdToken(emulator));
    const env = {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      NODE_EXTRA_CA_CERTS: emulator.caFile,
      AZURE_CLIENT_ID: emulator.scenario.apps[0]?.clientId ?? '',
      AZURE_TENANT_ID: emulator.scenario.tenantId,
      AZURE_FEDERATED_TOKEN_FILE: file,
      AZURE_TOKEN_CREDENTIALS: 'WorkloadIdentityCredential',
    };
    const args = [
      '--resource-id', emulator.scenario.resources[0]?.id ?? '',
      '--cloud', 'Custom', '--authority-host', emulator.urls.entra, '--resource-manager-endpoint', emulator.urls.arm, '--verbose',
    ];
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('Denied');
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(result.out.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g) ?? []).toEqual([]);
  });
});
