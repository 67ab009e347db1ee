/**
 * The parts of the README and action.yml that other files already say: the inputs (the input table), the
 * outputs (action.yml), the example workflows (examples/) and the verdicts with their diagnosis codes (the
 * troubleshooting table). `npm run docs` writes them between `generated:NAME` markers; a test checks them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { INPUTS } from '../config/input-spec.js';
import { parseInputs } from '../config/inputs.js';
import { decideResource } from '../decide/verdict.js';
import { chainMarkdown, reportChains } from './chain-view.js';
import { checkedReport } from './run-report.js';
import { TABLE, type Outcome } from '../decide/diagnosis.js';
import { rolesGrantingAll, WORKLOADS } from '../decide/workloads.js';

interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

export function readAction(root: string): ActionMetadata {
  return parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionMetadata;
}

function inputsTable(): string {
  const rows = Object.entries(INPUTS).map(([name, input]) => {
    const fallback = input.default === undefined || input.default === '' ? (input.required ? '(required)' : '') : `\`${input.default}\``;
    return `| \`${name}\` | ${fallback} | ${cell(input.description)} |`;
  });
  return ['| Input | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function outputsTable(action: ActionMetadata): string {
  const rows = Object.entries(action.outputs).map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`);
  return ['| Output | Meaning |', '| --- | --- |', ...rows].join('\n');
}

const VERDICT: Record<Outcome, string> = { granted: 'granted', denied: 'denied', error: 'could not check' };

/** Every diagnosis code under its verdict, in the table's order: a new row appears here by itself. */
function verdictsTable(): string {
  const rows = (Object.keys(VERDICT) as Outcome[]).map((outcome) => {
    const codes = TABLE.filter((row) => row.outcome === outcome).map((row) => `[\`${row.code}\`](docs/troubleshooting.md#${row.code})`);
    return `| ${VERDICT[outcome]} | ${codes.join(', ')} |`;
  });
  return ['| Verdict | Diagnosis codes (`diagnosis` output) |', '| --- | --- |', ...rows].join('\n');
}

/** The workload presets, their data actions and the built-in roles that grant them, from src/decide/workloads.ts. */
function workloadsTable(): string {
  const rows = WORKLOADS.map((w) => `| \`${w.name}\` | ${w.title} | ${w.dataActions.map((a) => `\`${a}\``).join('<br>')} | ${w.grantedBy.join(', ')} |`);
  return ['| `workload` | Calls | Required data actions | Built-in roles that grant it |', '| --- | --- | --- | --- |', ...rows, `| \`all\` | every one above | all of the above | ${rolesGrantingAll(WORKLOADS).join(', ')} |`].join('\n');
}

function example(root: string, name: string): string {
  return ['```yaml', readFileSync(join(root, 'examples', `${name}.yml`), 'utf8').trimEnd(), '```'].join('\n');
}

/** The picture the job summary draws for an identity that holds only Contributor, from the real decision and renderer. */
function chainExample(): string {
  const resourceId = '/subscriptions/8c1d5e2f-7a3b-4c9d-8e6f-2a1b3c4d5e6f/resourceGroups/rg-foundry/providers/Microsoft.CognitiveServices/accounts/contoso-foundry';
  const [clientId, tenantId, principalId] = ['1b6e4f2a-9c3d-4e7f-8a5b-6c2d1e0f9a8b', '3f9a1c2e-6b4d-4e8f-9a7c-1d2e3f4a5b6c', '2c7f5a3b-0d4e-4f8a-9b6c-7d3e2f1a0b9c'];
  const inputs: Record<string, string> = { 'client-id': clientId, 'tenant-id': tenantId, 'resource-id': resourceId };
  const config = parseInputs((name) => inputs[name] ?? '');
  if (!config.ok) throw new Error('the example inputs are invalid');
  const contributor = [{ actions: ['*'], notActions: ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write'], dataActions: [], notDataActions: [] }];
  const assignment = {
    id: 'example',
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c',
    roleName: 'Contributor',
    principalId,
    principalType: 'ServicePrincipal',
    scope: resourceId.replace(/\/providers\/.*$/, ''),
    permissions: contributor,
  };
  const verdict = decideResource({ resourceId, required: config.value.requiredDataActions, permissions: { kind: 'read', permissions: contributor }, facts: { clientId, tenantId, principalId }, assignments: {
    kind: 'read',
    assignments: [assignment],
  } });
  const presented = {
    subject: 'repo:contoso/foundry-app:ref:refs/heads/main',
    audience: 'api://AzureADTokenExchange',
    workflowRef: 'contoso/foundry-app/.github/workflows/ci.yml@refs/heads/main',
  };
  const [first] = reportChains(checkedReport(config.value, [verdict], principalId, presented, 1, 0));
  if (!first) throw new Error('the example report draws no chain');
  return chainMarkdown(first.chain);
}

/** Words of `text` in lines of at most `width` characters (a longer word stands alone). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A YAML scalar that reads back as the same string: quoted when plain YAML would read it as something else. */
function yamlScalar(text: string): string {
  const plain = /^[^\s'"&*!|>%@`{[#,?:-][^\n]*$/.test(text) && !/: | #|\s$/.test(text) && !/^(?:true|false|yes|no|on|off|null|~|[-+.\d][\d._eE+-]*)$/i.test(text);
  return plain ? text : `'${text.replace(/'/g, "''")}'`;
}

/** action.yml's `inputs:` entries, from the input table. */
function inputsYaml(): string {
  return Object.entries(INPUTS)
    .flatMap(([name, input]) => [
      `  ${name}:`,
      '    description: >-',
      ...wrap(input.description, 114).map((line) => `      ${line}`),
      `    required: ${input.required}`,
      ...(input.default === undefined ? [] : [`    default: ${yamlScalar(input.default)}`]),
    ])
    .join('\n');
}

/**
 * Replaces what stands between a section's markers (`<!-- generated:NAME -->` in Markdown, `# generated:NAME`
 * in YAML); a file without them is an error, not a silent no-op.
 */
function fillSection(text: string, name: string, content: string, comment: (tag: string) => string = (tag) => `<!-- ${tag} -->`): string {
  const start = comment(`generated:${name}`);
  const end = comment(`/generated:${name}`);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1 || to < from) throw new Error(`no ${start} … ${end} section`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

/** action.yml with its inputs written from the input table. */
export function generatedAction(root: string): string {
  return fillSection(readFileSync(join(root, 'action.yml'), 'utf8'), 'inputs', inputsYaml(), (tag) => `  # ${tag}`);
}

export function generatedReadme(root: string): string {
  const action = readAction(root);
  let readme = readFileSync(join(root, 'README.md'), 'utf8');
  readme = fillSection(readme, 'inputs', inputsTable());
  readme = fillSection(readme, 'outputs', outputsTable(action));
  readme = fillSection(readme, 'chain-example', chainExample());
  readme = fillSection(readme, 'verdicts', verdictsTable());
  readme = fillSection(readme, 'workloads', workloadsTable());
  for (const name of ['ci-step', 'pr-check', 'deploy-guard']) readme = fillSection(readme, `example:${name}`, example(root, name));
  return readme;
}
