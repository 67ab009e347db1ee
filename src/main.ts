import * as core from '@actions/core';
import { check, type CheckIO, type SentEarly } from './check.js';
import { parseInputs, type Config, type InputProblem } from './config/inputs.js';
import type { Result } from './lib/result.js';
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

/**
 * The action: sign in and gather evidence, decide, report. The entry (index.ts) hands over the inputs it parsed
 * and the request it sent; run by itself (npm run local), it reads the inputs through @actions/core.
 */
export async function run(
  inputs: Result<Config, InputProblem[]> = parseInputs((name) => core.getInput(name), process.env),
  early: SentEarly = {},
): Promise<void> {
  try {
    if (!inputs.ok) return await publish(invalidInputReport(inputs.error), true);
    const report = await check(inputs.value, runnerIO, early);
    await publish(report, inputs.value.failOnDenied);
    if (inputs.value.commentOnPr) await commentOnThisPullRequest(report);
  } catch (error) {
    // Only a bug reaches here: every expected failure is a diagnosis.
    // Through the sink: the message may quote a service, or a token.
    runnerLog.error(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  }
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
