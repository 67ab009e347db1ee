import { shortName } from '../config/resource-id.js';
import { fixLines, noteFor, render, rowFor, SDK_GUIDANCE, type Diagnosis, type DiagnosisCode, type RenderedDiagnosis } from '../decide/diagnosis.js';
import { readinessLines, readinessNotes } from '../decide/readiness.js';
import { MARKDOWN_FIX } from './markdown.js';
import { reach } from '../decide/attribution.js';
import type { ResourceVerdict } from '../decide/verdict.js';
import type { RunReport } from './run-report.js';
import { chainMarkdown, reportChains } from './chain-view.js';
import { markdownCode, markdownFacts, markdownText } from './markdown.js';
import { scrub } from '../lib/secrets.js';

const HEADLINE: Record<RunReport['outcome'], string> = {
  granted: '✅ Foundry access verified',
  denied: '❌ Foundry access denied',
  error: '⚠️ Foundry access could not be checked',
};

const MARK: Record<RunReport['outcome'], string> = { granted: '✅', denied: '❌', error: '⚠️' };

/** A table cell: the evidence lines carry service text (reasons, role names, scopes), so all of it is escaped. */
const cell = (text: string): string => markdownText(text, 1000);
const code = (text: string): string => markdownCode(text);
/** A row of the table filled with facts made inert for Markdown first. */
const renderMarkdown = (diagnosis: Diagnosis): RenderedDiagnosis => render({ code: diagnosis.code, facts: markdownFacts(diagnosis.facts) });

export function permissionsEvidence(verdict: ResourceVerdict): string {
  const evidence = verdict.evidence;
  if (evidence.kind === 'refused') {
    return `not readable: HTTP ${evidence.status}${evidence.code ? ` ${evidence.code}` : ''}`;
  }
  if (evidence.kind === 'unusable') return `no usable answer: ${evidence.reason}`;
  const granted = verdict.checks.filter((c) => c.granted).map((c) => `${c.action} via ${c.grantedBy ?? '?'}`);
  const conditional = verdict.checks.filter((c) => c.onlyIf !== undefined).map((c) => `${c.action} via ${c.grantedBy ?? '?'} only if ${c.onlyIf ?? ''}`);
  const missing = verdict.checks.filter((c) => !c.granted && c.onlyIf === undefined).map((c) => c.action);
  const parts = [`${evidence.permissions.length} ${evidence.permissions.length === 1 ? 'entry' : 'entries'} read`];
  if (granted.length > 0) parts.push(`granted: ${granted.join(', ')}`);
  if (conditional.length > 0) parts.push(`conditional: ${conditional.join(', ')}`);
  if (missing.length > 0) parts.push(`missing: ${missing.join(', ')}`);
  if (verdict.denials !== undefined) parts.push(denyEvidence(verdict));
  return parts.join('; ');
}

/** The roles, one line each: granting roles first, marked, with how each reaches the identity and where it was assigned. */
export function rolesEvidence(verdict: ResourceVerdict, principalId: string | undefined): string[] {
  const evidence = verdict.assignments;
  if (evidence === undefined) return ['not read'];
  if (evidence.kind === 'unreadable') {
    // Listing assignments needs Microsoft.Authorization/roleAssignments/read, which the inference roles lack. Only a
    // denied run hints at the role that would show them: a granted one needs nothing added.
    const hint = !verdict.granted && /\b403\b/.test(evidence.reason) ? '; Reader on the resource would show them' : '';
    return [`not readable (${evidence.reason}${hint})`];
  }
  if (evidence.assignments.length === 0) return ['none'];
  const { granting, other, unknown } = evidence;
  const describe = (mark: string) => (a: (typeof granting)[number]): string => {
    const scope = a.scope === verdict.resourceId ? 'this resource' : a.scope;
    const created = a.createdOn ? `, ${a.createdOn.slice(0, 10)}` : '';
    return `${mark} ${a.roleName} (${reach(a, principalId ?? '')}, at ${scope}${created})`;
  };
  return [...granting.map(describe('✓')), ...unknown.map(describe('?')), ...other.map(describe('✗'))];
}

/** Deny assignments, in a few words: only those that block something are named. */
function denyEvidence(verdict: ResourceVerdict): string {
  const denials = verdict.denials;
  if (denials === undefined) return 'not read';
  if (denials.kind === 'unreadable') return `deny assignments not readable (${denials.reason})`;
  if (denials.blocking.length === 0) return 'no deny assignment blocks it';
  return denials.blocking.map((d) => `denied by ${d.name} at ${d.scope} (${d.reaches === 'principal' ? 'names this identity' : d.reaches === 'everyone' ? 'everyone' : 'a group'})`).join('; ');
}

export function probeEvidence(verdict: ResourceVerdict): string {
  const probe = verdict.probe;
  if (probe === undefined) return 'not called';
  if (probe.kind === 'no-endpoint') return `not called: ${probe.reason}`;
  if (probe.kind === 'unusable') return `no usable answer: ${probe.reason}`;
  if (probe.kind === 'token-failed') {
    const code = probe.answer.entraCode !== undefined ? `AADSTS${probe.answer.entraCode}` : probe.answer.status !== undefined ? `HTTP ${probe.answer.status}` : 'no answer';
    return `not called: the data-plane token request failed (${code})`;
  }
  const answer = probe.status >= 200 && probe.status < 300 ? 'answered' : 'refused';
  return `${answer}: HTTP ${probe.status}${probe.code ? ` ${probe.code}` : ''}`;
}

function diagnosisSection(rendered: RenderedDiagnosis): string[] {
  const lines = [`**${rendered.title}** (${code(rendered.code)}). ${rendered.cause}`, ''];
  if (rendered.fix.length > 0) lines.push('**Fix**', '', ...fixLines(rendered.fix, MARKDOWN_FIX), '');
  return lines;
}

/** Pictures drawn at most: beyond them, chains are told in words (and every resource stays in the table). */
const MAX_PICTURES = 5;
const NAMED_IN_HEADING = 8;
const OTHER_FIXES = 20;

function groupHeading(verdicts: readonly ResourceVerdict[], diagnosis: DiagnosisCode): string {
  const mark = `${MARK[rowFor(diagnosis).outcome]} ${code(diagnosis)}`;
  if (verdicts.length === 0) return `### What went wrong: ${mark}`;
  const names = verdicts.slice(0, NAMED_IN_HEADING).map((v) => code(shortName(v.resourceId)));
  const more = verdicts.length > NAMED_IN_HEADING ? ` and ${verdicts.length - NAMED_IN_HEADING} more` : '';
  const count = verdicts.length > 1 ? `${verdicts.length} resources: ` : '';
  return `### ${count}${names.join(', ')}${more}: ${mark}`;
}

/** The fix commands of the other resources of a picture, folded: the first resource's fix is shown in full. */
function otherFixes(verdicts: readonly ResourceVerdict[]): string[] {
  const others = verdicts.slice(1);
  const commands = others
    .slice(0, OTHER_FIXES)
    .flatMap((v) => renderMarkdown({ code: v.diagnosis, facts: v.facts }).fix.flatMap((step) => (step.command ? [`# ${shortName(v.resourceId)}`, step.command] : [])));
  if (commands.length === 0) return [];
  const rest = others.length > OTHER_FIXES ? ['', `and ${others.length - OTHER_FIXES} more: the same commands with each resource's ID (see the \`report\` output).`] : [];
  return [`<details><summary>The same fix for the other ${others.length} resources</summary>`, '', '```sh', ...commands, '```', ...rest, '', '</details>', ''];
}

/** One picture of the access chain per group of resources that share it, each with its cause and fix right under it. */
function chainSections(report: RunReport): string[] {
  const lines: string[] = [];
  reportChains(report).forEach(({ chain, verdicts }, index) => {
    lines.push(groupHeading(verdicts, chain.diagnosis), '');
    if (index < MAX_PICTURES) lines.push(chainMarkdown(chain), '');
    const first = verdicts[0];
    // Granted, but the model refused the probe's request itself: access is proven, and the summary says what was off.
    const noted = verdicts.filter((v) => v.facts.modelNote !== undefined);
    for (const verdict of noted) lines.push(`${code(shortName(verdict.resourceId))}: ${renderMarkdown({ code: verdict.diagnosis, facts: verdict.facts }).cause}`, '');
    if (chain.diagnosis === 'ok') return;
    lines.push(...diagnosisSection(renderMarkdown(first ? { code: first.diagnosis, facts: first.facts } : { code: report.diagnosis, facts: report.facts })));
    lines.push(...otherFixes(verdicts));
  });
  return lines;
}

/** The job summary: the verdict, the access chain with the cause and fix under each picture, then one row per resource. */
export function summaryMarkdown(report: RunReport): string {
  const lines: string[] = [`## ${HEADLINE[report.outcome]}`, '', ...chainSections(report)];

  if (report.resources.length > 0) {
    const probed = report.resources.some((v) => v.probe !== undefined);
    const accounts = report.resources.some((v) => v.readiness !== undefined);
    lines.push(
      `| Resource | Principal | Permissions | Roles |${accounts ? ' Account |' : ''}${probed ? ' Model call |' : ''} Verdict |`,
      `| --- | --- | --- | --- |${accounts ? ' --- |' : ''}${probed ? ' --- |' : ''} --- |`,
    );
    for (const verdict of report.resources) {
      const rendered = renderMarkdown({ code: verdict.diagnosis, facts: verdict.facts });
      const columns = [
        code(shortName(verdict.resourceId)),
        code(report.principalId ?? 'unknown'),
        cell(permissionsEvidence(verdict)),
        rolesEvidence(verdict, report.principalId).map(cell).join('<br>'),
        ...(accounts ? [readinessLines(verdict.readiness).map(cell).join('<br>')] : []),
        ...(probed ? [cell(probeEvidence(verdict))] : []),
        `${MARK[rendered.outcome]} ${code(verdict.diagnosis)}`,
      ];
      lines.push(`| ${columns.join(' | ')} |`);
    }
    lines.push('');
    for (const verdict of report.resources) {
      for (const note of readinessNotes(verdict.readiness).map(noteFor)) {
        const facts = markdownFacts(verdict.facts);
        lines.push(`> **${note.title}** on ${code(shortName(verdict.resourceId))} (${code(note.code)}). ${note.text(facts)}`, '');
        lines.push(...fixLines(note.fix(facts), MARKDOWN_FIX), '');
      }
    }
  }

  const signIn: string[] = [];
  if (report.presented?.subject) signIn.push(`| OIDC subject | ${code(report.presented.subject)} |`);
  if (report.presented?.issuer) signIn.push(`| OIDC issuer | ${code(report.presented.issuer)} |`);
  if (report.presented?.audience) signIn.push(`| OIDC audience | ${code(report.presented.audience)} |`);
  if (report.presented?.workflowRef) signIn.push(`| Workflow | ${code(report.presented.workflowRef)} |`);
  if (report.facts.clientId) signIn.push(`| Client ID | ${code(report.facts.clientId)} |`);
  if (report.principalId) signIn.push(`| Principal (object ID) | ${code(report.principalId)} |`);
  if (report.attempts > 0) signIn.push(`| Attempts | ${report.attempts} (waited ${report.waitedSeconds} s) |`);
  if (signIn.length > 0) {
    lines.push('<details><summary>Sign-in details</summary>', '', '| | |', '| --- | --- |', ...signIn, '', '</details>', '');
  }
  lines.push(`> ${SDK_GUIDANCE}`, '');
  // The runner masks its log, not Markdown: a token a service echoed back must not reach the summary or a comment.
  return scrub(lines.join('\n'));
}
