import * as core from '@actions/core';
import { check, type CheckIO } from './check.js';
import { parseInputs } from './config/inputs.js';
import { invalidInputReport, type RunReport } from './report/run-report.js';
import { publish } from './report/runner.js';
import { runnerLog } from './report/log-sink.js';
import { keepSecret } from './lib/secrets.js';

/** Masks a secret in the runner's log and keeps it for scrubbing what the runner does not mask (comments). */
function mask(secret: string): void {
  core.setSecret(secret);
  keepSecret(secret);
}

/** The runner's log through the one sink: stages as collapsible groups, secrets masked and scrubbed. */
const runnerIO: CheckIO = {
  info: (line) => runnerLog.info(line),
  group: (name, run) => core.group(name, run),
  mask,
  eventName: process.env.GITHUB_EVENT_NAME,
  actor: process.env.GITHUB_ACTOR,
};

/** The action: parse inputs, sign in and gather evidence, decide, report. */
export async function run(): Promise<void> {
  const inputs = parseInputs((name) => core.getInput(name), process.env);
  if (!inputs.ok) return publish(invalidInputReport(inputs.error), true);
  const report = await check(inputs.value, runnerIO);
  await publish(report, inputs.value.failOnDenied);
  if (inputs.value.commentOnPr) await commentOnThisPullRequest(report);
}

async function commentOnThisPullRequest(report: RunReport): Promise<void> {
  const token = core.getInput('github-token');
  mask(token);
  const { commentMarker, commentOnPullRequest } = await import('./report/pr-comment.js');
  await commentOnPullRequest(report, {
    token,
    marker: commentMarker(process.env.GITHUB_WORKFLOW ?? '', process.env.GITHUB_JOB ?? ''),
    info: (line) => runnerLog.info(line),
    warn: (line) => runnerLog.warning(line),
  });
}
