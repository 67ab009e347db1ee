import { fixLines, render, SDK_GUIDANCE, type RenderedDiagnosis } from '../decide/diagnosis.js';
import type { RunReport } from './run-report.js';
import { shortName } from '../config/resource-id.js';
import { chainTree, reportChains } from './chain-view.js';
import { permissionsEvidence, probeEvidence, rolesEvidence } from './summary.js';
import { logText, oneLine } from './log-sink.js';

const NAMED = 8;

/** The verdict for a terminal: the access chain as a tree per group of resources that share it, then the fix. */
export function terminalReport(report: RunReport, options: { readonly color: boolean }): string {
  const paint = (code: string) => (text: string): string => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const [green, red, yellow, bold, dim] = [paint('32'), paint('31'), paint('33'), paint('1'), paint('2')];
  const headline = { granted: green('✔ Foundry access verified'), denied: red('✘ Foundry access denied'), error: yellow('! Foundry access could not be checked') };
  const lines = [bold(headline[report.outcome]), ''];
  const style = { mark: { proven: green, broken: red, unknown: dim, propagating: yellow }, dim };

  // Service text is filled into these lines: the sink strips what a terminal would obey before any colour is added.
  const fix = (rendered: RenderedDiagnosis, indent: string): void => {
    lines.push(`${indent}${bold(rendered.title)}: ${oneLine(rendered.cause)}`);
    lines.push(...fixLines(rendered.fix, { step: (text) => `${indent}Fix: ${oneLine(text)}`, command: (command) => logText(command).split('\n').map((l) => `${indent}  ${dim('$')} ${l}`) }));
  };

  for (const { chain, verdicts } of reportChains(report)) {
    const first = verdicts[0];
    if (!first) {
      lines.push(...chainTree(chain, style, '  '), '');
      fix(render({ code: report.diagnosis, facts: report.facts }), '  ');
      lines.push('');
      continue;
    }
    const names = verdicts.slice(0, NAMED).map((v) => shortName(v.resourceId)).join(', ');
    const more = verdicts.length > NAMED ? ` and ${verdicts.length - NAMED} more` : '';
    lines.push(`${first.granted ? green('✔') : red('✘')} ${bold(names + more)}  ${chain.diagnosis}`);
    lines.push(...chainTree(chain, style, '    '));
    if (verdicts.length === 1) {
      lines.push(`    permissions: ${oneLine(permissionsEvidence(first))}`);
      lines.push(`    roles:       ${oneLine(rolesEvidence(first, report.principalId).join('; '))}`);
      if (first.probe) lines.push(`    model call:  ${oneLine(probeEvidence(first))}`);
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
