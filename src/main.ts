import * as core from '@actions/core';
import { check, type CheckIO } from './check.js';
import { parseInputs } from './config/inputs.js';
import { invalidInputReport, type RunReport } from './report/run-report.js';
import { publish } from './report/runner.js';

/** The runner's log: stages as collapsible groups, secrets masked by the runner. */
const runnerIO: CheckIO = {
  info: (line) => core.info(line),
  group: (name, run) => core.group(name, run),
  mask: (secret) => core.setSecret(secret),
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
  core.setSecret(token);
  const { commentMarker, commentOnPullRequest } = await import('./report/pr-comment.js');
  await commentOnPullRequest(report, {
    token,
    marker: commentMarker(process.env.GITHUB_WORKFLOW ?? '', process.env.GITHUB_JOB ?? ''),
    info: (line) => core.info(line),
    warn: (line) => core.warning(line),
  });
}
