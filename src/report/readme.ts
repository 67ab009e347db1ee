/**
 * The parts of the README that other files already say: the inputs and outputs (action.yml) and the example
 * workflows (examples/). `npm run docs` writes them between `<!-- generated:NAME -->` markers; CI checks them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

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

export function example(root: string, name: string): string {
  return ['```yaml', readFileSync(join(root, 'examples', `${name}.yml`), 'utf8').trimEnd(), '```'].join('\n');
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
  for (const name of ['ci-step', 'pr-check', 'deploy-guard']) readme = fillSection(readme, `example:${name}`, example(root, name));
  return readme;
}
