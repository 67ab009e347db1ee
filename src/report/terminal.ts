import { fixLines, noteFor, render, SDK_GUIDANCE, type FixStep, type RenderedDiagnosis } from '../decide/diagnosis.js';
import { readinessLines, readinessNotes } from '../decide/readiness.js';
import type { RunReport } from './run-report.js';
import type { Chain } from '../decide/chain.js';
import { shortName } from '../config/resource-id.js';
import { chainTree, reportChains } from './chain-view.js';
import { permissionsEvidence, probeEvidence, rolesEvidence } from './summary.js';
import { logText, oneLine } from './log-sink.js';

const NAMED = 8;

/** The chain's values through the sink before any colour is added: what a terminal would obey goes, secrets are scrubbed. */
const throughSink = (chain: Chain): Chain => ({ ...chain, nodes: chain.nodes.map((node) => ({ ...node, details: node.details.map(oneLine) })) });

/** The verdict for a terminal: the access chain as a tree per group of resources that share it, then the fix. */
export function terminalReport(report: RunReport, options: { readonly color: boolean }): string {
  const paint = (code: string) => (text: string): string => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const [green, red, yellow, bold, dim] = [paint('32'), paint('31'), paint('33'), paint('1'), paint('2')];
  const headline = { granted: green('✔ Foundry access verified'), denied: red('✘ Foundry access denied'), error: yellow('! Foundry access could not be checked') };
  const lines = [bold(headline[report.outcome]), ''];
  const style = { mark: { proven: green, broken: red, unknown: dim, propagating: yellow }, dim };

  // Service text is filled into these lines: the sink strips what a terminal would obey before any colour is added.
  const steps = (fix: readonly FixStep[], indent: string): string[] =>
    fixLines(fix, { step: (text) => `${indent}Fix: ${oneLine(text)}`, command: (command) => logText(command).split('\n').map((l) => `${indent}  ${dim('$')} ${l}`) });
  const fix = (rendered: RenderedDiagnosis, indent: string): void => {
    lines.push(`${indent}${bold(rendered.title)}: ${oneLine(rendered.cause)}`, ...steps(rendered.fix, indent));
  };

  for (const { chain, verdicts } of reportChains(report)) {
    const first = verdicts[0];
    if (!first) {
      lines.push(...chainTree(throughSink(chain), style, '  '), '');
      fix(render({ code: report.diagnosis, facts: report.facts }), '  ');
      lines.push('');
      continue;
    }
    const names = verdicts.slice(0, NAMED).map((v) => shortName(v.resourceId)).join(', ');
    const more = verdicts.length > NAMED ? ` and ${verdicts.length - NAMED} more` : '';
    lines.push(`${first.granted ? green('✔') : red('✘')} ${bold(names + more)}  ${chain.diagnosis}`);
    lines.push(...chainTree(throughSink(chain), style, '    '));
    if (verdicts.length === 1) {
      lines.push(`    permissions: ${oneLine(permissionsEvidence(first))}`);
      lines.push(`    roles:       ${oneLine(rolesEvidence(first, report.principalId).join('; '))}`);
      if (first.readiness) lines.push(`    account:     ${oneLine(readinessLines(first.readiness).join('; '))}`);
      if (first.probe) lines.push(`    model call:  ${oneLine(probeEvidence(first))}`);
    }
    for (const verdict of verdicts) {
      for (const note of readinessNotes(verdict.readiness).map(noteFor)) {
        lines.push(`    ${yellow('!')} ${bold(note.title)} (${shortName(verdict.resourceId)}): ${oneLine(note.text(verdict.facts))}`);
        lines.push(...steps(note.fix(verdict.facts), '    '));
      }
    }
    if (!first.granted) {
      for (const verdict of verdicts) fix(render({ code: verdict.diagnosis, facts: verdict.facts }), '    ');
    }
    lines.push('');
  }
  if (report.principalId) lines.push(dim(`Principal ${report.principalId}; ${report.attempts} attempt(s), waited ${report.waitedSeconds} s.`));
  lines.push(dim(SDK_GUIDANCE), '');
  return lines.join('\n');
}
