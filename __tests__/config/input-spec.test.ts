/** The input table against everything that states the inputs again: action.yml, the CLI's flags and usage. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../emulator/repo-root.js';
import { runCli } from '../../src/cli.js';
import { CLOUD_NAMES } from '../../src/config/clouds.js';
import { INPUTS, type InputName } from '../../src/config/input-spec.js';
import { parseInputs } from '../../src/config/inputs.js';
import { generatedAction } from '../../src/report/readme.js';

const root = repoRoot();
const ACCOUNT = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/contoso';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), color: false });
  return { code, out, err };
}

describe('action.yml', () => {
  it('declares exactly the inputs of the table, in its order, with its descriptions, defaults and requirements', () => {
    const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
    const expected = Object.fromEntries(
      Object.entries(INPUTS).map(([name, spec]) => [name, { description: spec.description, required: spec.required, ...(spec.default === undefined ? {} : { default: spec.default }) }]),
    );
    expect(Object.keys(action.inputs)).toEqual(Object.keys(INPUTS));
    expect(action.inputs).toEqual(expected);
  });

  it('is what npm run docs writes from the table (run it when this fails)', () => {
    expect(readFileSync(join(root, 'action.yml'), 'utf8')).toBe(generatedAction(root));
  });
});

describe('the local command', () => {
  const flags = Object.entries(INPUTS).flatMap(([input, spec]) => (spec.cli ? [[input as InputName, spec.cli.flag ?? input] as const] : []));

  it('lists in its usage exactly the flags of the table and its own', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    const listed = [...out.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
    expect(listed).toEqual([...flags.map(([, flag]) => flag), 'json', 'verbose', 'help']);
  });

  it.each(flags)('passes the flag for %s (--%s) to that input', async (input, flag) => {
    // A value no input accepts: the report must name the input the flag was given to.
    const args = input === 'resource-id' ? [`--${flag}`, '%%'] : ['--resource-id', ACCOUNT, `--${flag}`, '%%'];
    const { code, out } = await cli(args);
    expect(code).toBe(2);
    expect(out).toContain(`\`${input}\``);
  });

  it('refuses a flag the table does not have', async () => {
    const { code, err } = await cli(['--resource-id', ACCOUNT, '--audience', 'x']);
    expect(code).toBe(2);
    expect(err).toContain('Usage: foundry-keyless-check');
  });
});

describe('the cloud input', () => {
  it('accepts the name of every cloud in the table, and offers them all', () => {
    for (const name of CLOUD_NAMES) {
      const custom: Record<string, string> = name === 'Custom' ? { 'authority-host': 'https://login.example', 'resource-manager-endpoint': 'https://arm.example', audience: 'api://AzureADTokenExchange' } : {};
      const inputs: Record<string, string> = { 'client-id': '11111111-2222-3333-4444-555555555555', 'tenant-id': 'contoso.example', 'resource-id': ACCOUNT, cloud: name, ...custom };
      const parsed = parseInputs((n) => inputs[n] ?? '');
      expect(parsed.ok ? parsed.value.cloud.name : parsed.error, name).toBe(name);
      expect(INPUTS.cloud.description).toContain(name);
    }
  });
});

describe('the inputs the action reads', () => {
  it('parses every input of the table, and reads no input the table lacks', () => {
    const asked = new Set<string>();
    parseInputs((name) => {
      asked.add(name);
      return name === 'resource-id' ? ACCOUNT : '';
    });
    // The token for the pull-request comment is a secret: main.ts reads it only when it writes the comment, so it
    // is never part of the configuration the check carries around.
    const readElsewhere = new Set<string>(['github-token']);
    expect([...asked].sort()).toEqual(Object.keys(INPUTS).filter((name) => !readElsewhere.has(name)).sort());
  });
});
