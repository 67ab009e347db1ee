/** The access chain drawn: a Mermaid flowchart for the job summary and the PR comment, a text tree for terminals. */
import { buildChain, groupChains, LINK_TITLES, type Chain, type ChainNode, type LinkState } from '../decide/chain.js';
import { rowFor } from '../decide/diagnosis.js';
import type { ResourceVerdict } from '../decide/verdict.js';
import type { RunReport } from './run-report.js';
import { mermaidText } from './mermaid-text.js';

const ICON: Record<LinkState, string> = { proven: '✅', broken: '❌', unknown: '❔', propagating: '⏳' };
const WORD: Record<LinkState, string> = { proven: 'proven', broken: 'broken', unknown: 'unknown', propagating: 'on its way' };

/** A link's lines: its title and state, its real values, and on the broken link the troubleshooting row. */
function lines(node: ChainNode): { head: string; details: readonly string[]; cause?: string } {
  const head = `${LINK_TITLES[node.link]}${node.state === 'proven' ? '' : ` (${WORD[node.state]})`}`;
  return { head, details: node.details, cause: node.code && `${node.code}: ${rowFor(node.code).title}` };
}

const notReachedText = (chain: Chain): string => `Not reached: ${chain.notReached.map((link) => LINK_TITLES[link]).join(', ')}`;

const STYLES = [
  '  classDef proven fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
  '  classDef broken fill:#ffebe9,stroke:#cf222e,stroke-width:4px,color:#1f2328',
  '  classDef unknown fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3,color:#1f2328',
  '  classDef propagating fill:#fff8c5,stroke:#9a6700,stroke-width:4px,color:#1f2328',
  '  classDef unreached fill:#ffffff,stroke:#d0d7de,stroke-dasharray:2 2,color:#59636e',
];

/**
 * The chain as Mermaid flowchart source (without the fence). Node IDs are ours (`n0`…); every piece of text,
 * service values included, goes through `mermaidText`, so no value can add a node, an edge or a style.
 */
export function chainMermaid(chain: Chain): string {
  // Labels wrap at 200 px by default, which breaks every ID over three lines; 400 keeps one value to a line.
  const out = ['---', 'config:', '  flowchart:', '    wrappingWidth: 400', '---', 'flowchart TD'];
  const classes = new Map<string, string[]>();
  const addClass = (name: string, id: string): void => void classes.set(name, [...(classes.get(name) ?? []), id]);
  chain.nodes.forEach((node, i) => {
    const { head, details, cause } = lines(node);
    const label = [`${ICON[node.state]} <b>${mermaidText(head)}</b>`, ...details.map(mermaidText), ...(cause ? [`<b>${mermaidText(cause)}</b>`] : [])];
    out.push(`  n${i}["${label.join('<br>')}"]`);
    addClass(node.state, `n${i}`);
  });
  const ids = chain.nodes.map((_, i) => `n${i}`);
  if (chain.notReached.length > 0) {
    const id = `n${chain.nodes.length}`;
    out.push(`  ${id}["${mermaidText(notReachedText(chain))}"]`);
    addClass('unreached', id);
    ids.push(id);
  }
  const states = [...chain.nodes.map((n) => n.state), 'unreached'];
  for (let i = 1; i < ids.length; i++) out.push(`  ${ids[i - 1]} ${states[i] === 'proven' ? '-->' : '-.->'} ${ids[i]}`);
  out.push(...STYLES);
  for (const [name, members] of classes) out.push(`  class ${members.join(',')} ${name}`);
  return out.join('\n');
}

/** The chain fenced for GitHub, which draws ```mermaid blocks in job summaries, comments and READMEs. */
export function chainMarkdown(chain: Chain): string {
  return ['```mermaid', chainMermaid(chain), '```'].join('\n');
}

interface TreeStyle {
  readonly mark: Record<LinkState, (text: string) => string>;
  readonly dim: (text: string) => string;
}

const MARK: Record<LinkState, string> = { proven: '✔', broken: '✘', unknown: '?', propagating: '…' };

/** The chain as an indented tree for a terminal: one level per link, the same states as the picture. */
export function chainTree(chain: Chain, style: TreeStyle, indent = ''): string[] {
  const out: string[] = [];
  const row = (depth: number, text: string): string => `${indent}${depth === 0 ? '' : `${'   '.repeat(depth - 1)}└─ `}${text}`;
  chain.nodes.forEach((node, depth) => {
    const { head, details, cause } = lines(node);
    const values = details.length > 0 ? `: ${details.join('; ')}` : '';
    out.push(row(depth, `${style.mark[node.state](MARK[node.state])} ${head}${values}`));
    if (cause) out.push(`${' '.repeat(row(depth, '').length + 2)}${style.mark[node.state](`← ${cause}`)}`);
  });
  if (chain.notReached.length > 0) out.push(row(chain.nodes.length, style.dim(`· ${notReachedText(chain)}`)));
  return out;
}

interface ReportChain {
  readonly chain: Chain;
  /** The resources that share this picture; empty for a run that stopped before any resource. */
  readonly verdicts: readonly ResourceVerdict[];
}

const SEVERITY = { error: 0, denied: 1, granted: 2 } as const;

/** One chain per distinct picture, the most serious first: fifty resources with the same story share one. */
export function reportChains(report: RunReport): ReportChain[] {
  const base = { presented: report.presented, principalId: report.principalId, checkedAtMs: report.checkedAtMs };
  if (report.resources.length === 0) return [{ chain: buildChain({ ...base, diagnosis: report.diagnosis, facts: report.facts }), verdicts: [] }];
  const groups = groupChains(report.resources, (verdict) => buildChain({ ...base, diagnosis: verdict.diagnosis, facts: { ...report.facts, ...verdict.facts }, verdict }));
  return groups
    .map((g) => ({ chain: g.chain, verdicts: g.members }))
    .sort((a, b) => SEVERITY[rowFor(a.chain.diagnosis).outcome] - SEVERITY[rowFor(b.chain.diagnosis).outcome]);
}
