import { render, SDK_GUIDANCE, type RenderedDiagnosis } from '../decide/diagnosis.js';
import type { RunReport } from './run-report.js';
import { permissionsEvidence, probeEvidence, rolesEvidence, shortName } from './summary.js';

/** The verdict for a terminal: the same facts, table rows and fixes as the job summary, as plain lines. */
export function terminalReport(report: RunReport, options: { readonly color: boolean }): string {
  const paint = (code: string) => (text: string): string => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const [green, red, yellow, bold, dim] = [paint('32'), paint('31'), paint('33'), paint('1'), paint('2')];
  const headline = { granted: green('✔ Foundry access verified'), denied: red('✘ Foundry access denied'), error: yellow('! Foundry access could not be checked') };
  const lines = [bold(headline[report.outcome]), ''];

  const fix = (rendered: RenderedDiagnosis, indent: string): void => {
    lines.push(`${indent}${bold(rendered.title)}: ${rendered.cause}`);
    for (const step of rendered.fix) {
      lines.push(`${indent}Fix: ${step.text}`);
      if (step.command) lines.push(...step.command.split('\n').map((l) => `${indent}  ${dim('$')} ${l}`));
    }
  };

  if (report.resources.length === 0) fix(render({ code: report.diagnosis, facts: report.facts }), '  ');
  for (const verdict of report.resources) {
    const mark = verdict.granted ? green('✔') : red('✘');
    lines.push(`${mark} ${bold(shortName(verdict.resourceId))}  ${verdict.diagnosis}`);
    lines.push(`    permissions: ${permissionsEvidence(verdict)}`);
    lines.push(`    roles:       ${rolesEvidence(verdict, report.principalId).join('; ')}`);
    if (verdict.probe) lines.push(`    model call:  ${probeEvidence(verdict)}`);
    if (!verdict.granted) fix(render({ code: verdict.diagnosis, facts: verdict.facts }), '    ');
    lines.push('');
  }
  if (report.principalId) lines.push(dim(`Principal ${report.principalId}; ${report.attempts} attempt(s), waited ${report.waitedSeconds} s.`));
  lines.push(dim(SDK_GUIDANCE), '');
  return lines.join('\n');
}
