import * as core from '@actions/core';
import { shortName } from '../config/resource-id.js';
import { plainText, render } from '../decide/diagnosis.js';
import { reportJson, type RunReport } from './run-report.js';
import { summaryMarkdown } from './summary.js';
import { runnerLog } from './log-sink.js';

/** Whether the step should fail: configuration errors always do; anything short of granted does unless told not to. */
function shouldFail(report: RunReport, failOnDenied: boolean): boolean {
  if (report.diagnosis === 'invalid-input') return true;
  return !report.granted && failOnDenied;
}

/** Outputs carry service text (reasons, role names): through the sink, so no minted secret is written there. */
function setOutputs(report: RunReport): void {
  runnerLog.output('granted', report.granted ? 'true' : 'false');
  runnerLog.output('diagnosis', report.diagnosis);
  runnerLog.output('principal-id', report.principalId ?? '');
  runnerLog.output('roles', JSON.stringify(report.roles));
  runnerLog.output('attempts', String(report.attempts));
  runnerLog.output('waited-seconds', String(report.waitedSeconds));
  runnerLog.output('report', reportJson(report));
}

/** One error annotation per failing resource (or one for the run when it stopped before any), titled by the table. */
function annotate(report: RunReport): void {
  if (report.granted) return;
  if (report.resources.length === 0) {
    const rendered = render({ code: report.diagnosis, facts: report.facts });
    runnerLog.error(plainText(rendered), { title: `${rendered.code}: ${rendered.title}` });
    return;
  }
  for (const verdict of report.resources.filter((v) => !v.granted)) {
    const rendered = render({ code: verdict.diagnosis, facts: verdict.facts });
    runnerLog.error(plainText(rendered), { title: `${rendered.code}: ${rendered.title} (${shortName(verdict.resourceId)})` });
  }
}

async function writeSummary(report: RunReport): Promise<void> {
  // Outside a runner (local runs) there is no summary file to write to.
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(summaryMarkdown(report)).write();
}

export async function publish(report: RunReport, failOnDenied: boolean): Promise<void> {
  setOutputs(report);
  annotate(report);
  await writeSummary(report);
  const verdict = report.granted ? 'granted' : `${report.outcome}: ${report.diagnosis}`;
  runnerLog.info(`Verdict: ${verdict}`);
  // A plain 1 rather than core.ExitCode: local runners stub @actions/core without its enums.
  if (shouldFail(report, failOnDenied)) process.exitCode = 1;
}
