/**
 * The parts of the README that other files already say: the inputs and outputs (action.yml), the example
 * workflows (examples/) and the verdicts with their diagnosis codes (the troubleshooting table). `npm run docs`
 * writes them between `<!-- generated:NAME -->` markers; CI checks them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseInputs } from '../config/inputs.js';
import { decideResource } from '../decide/verdict.js';
import { chainMarkdown, reportChains } from './chain-view.js';
import { checkedReport } from './run-report.js';
import { TABLE, type Outcome } from '../decide/diagnosis.js';
import { rolesGrantingAll, WORKLOADS } from '../config/workloads.js';

interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

export function readAction(root: string): ActionMetadata {
  return parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionMetadata;
}

export function inputsTable(action: ActionMetadata): string {
  const rows = Object.entries(action.inputs).map(([name, input]) => {
    const fallback = input.default === undefined || input.default === '' ? (input.required ? '(required)' : '') : `\`${input.default}\``;
    return `| \`${name}\` | ${fallback} | ${cell(input.description)} |`;
  });
  return ['| Input | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable(action: ActionMetadata): string {
  const rows = Object.entries(action.outputs).map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`);
  return ['| Output | Meaning |', '| --- | --- |', ...rows].join('\n');
}

const VERDICT: Record<Outcome, string> = { granted: 'granted', denied: 'denied', error: 'could not check' };

/** Every diagnosis code under its verdict, in the table's order: a new row appears here by itself. */
export function verdictsTable(): string {
  const rows = (Object.keys(VERDICT) as Outcome[]).map((outcome) => {
    const codes = TABLE.filter((row) => row.outcome === outcome).map((row) => `[\`${row.code}\`](docs/troubleshooting.md#${row.code})`);
    return `| ${VERDICT[outcome]} | ${codes.join(', ')} |`;
  });
  return ['| Verdict | Diagnosis codes (`diagnosis` output) |', '| --- | --- |', ...rows].join('\n');
}

/** The workload presets, their data actions and the built-in roles that grant them, from src/config/workloads.ts. */
export function workloadsTable(): string {
  const rows = WORKLOADS.map((w) => `| \`${w.name}\` | ${w.title} | ${w.dataActions.map((a) => `\`${a}\``).join('<br>')} | ${w.grantedBy.join(', ')} |`);
  return ['| `workload` | Calls | Required data actions | Built-in roles that grant it |', '| --- | --- | --- | --- |', ...rows, `| \`all\` | every one above | all of the above | ${rolesGrantingAll(WORKLOADS).join(', ')} |`].join('\n');
}

export function example(root: string, name: string): string {
  return ['```yaml', readFileSync(join(root, 'examples', `${name}.yml`), 'utf8').trimEnd(), '```'].join('\n');
}

/** The picture the job summary draws for an identity that holds only Contributor, from the real decision and renderer. */
export function chainExample(): string {
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
  const verdict = decideResource(config.value.requiredDataActions, { kind: 'read', permissions: contributor }, { clientId, tenantId, principalId, resourceId }, {
    kind: 'read',
    assignments: [assignment],
  });
  const presented = {
    subject: 'repo:contoso/foundry-app:ref:refs/heads/main',
    audience: 'api://AzureADTokenExchange',
    workflowRef: 'contoso/foundry-app/.github/workflows/ci.yml@refs/heads/main',
  };
  const [first] = reportChains(checkedReport(config.value, [verdict], principalId, presented, 1, 0));
  if (!first) throw new Error('the example report draws no chain');
  return chainMarkdown(first.chain);
}

/** Replaces what stands between a section's markers; a README without them is an error, not a silent no-op. */
export function fillSection(readme: string, name: string, content: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to === -1 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
  return `${readme.slice(0, from + start.length)}\n${content}\n${readme.slice(to)}`;
}

export function generatedReadme(root: string): string {
  const action = readAction(root);
  let readme = readFileSync(join(root, 'README.md'), 'utf8');
  readme = fillSection(readme, 'inputs', inputsTable(action));
  readme = fillSection(readme, 'outputs', outputsTable(action));
  readme = fillSection(readme, 'chain-example', chainExample());
  readme = fillSection(readme, 'verdicts', verdictsTable());
  readme = fillSection(readme, 'workloads', workloadsTable());
  for (const name of ['ci-step', 'pr-check', 'deploy-guard']) readme = fillSection(readme, `example:${name}`, example(root, name));
  return readme;
}
