import * as core from '@actions/core';
import { parseInputs, type Config } from './config/inputs.js';
import { plainText, render } from './decide/diagnosis.js';
import type { AssignmentsEvidence } from './decide/attribution.js';
import { decideResource, type PermissionsEvidence, type ProbeEvidence } from './decide/verdict.js';
import { settle, waitRule } from './decide/wait-rule.js';
import { ArmReader, createArmClient } from './evidence/arm.js';
import { AssignmentReader } from './evidence/assignments.js';
import { DataPlaneProbe } from './evidence/probe.js';
import { federatedCredential, signIn, SignInError, type SignedIn } from './evidence/credential.js';
import { GitHubIdTokens, IdTokenError, type PresentedIdentity } from './evidence/github-oidc.js';
import { stringClaim } from './evidence/jwt-claims.js';
import { Budget, BudgetExpiredError } from './lib/budget.js';
import { checkedReport, failedReport, invalidInputReport, type Presented, type RunReport } from './report/run-report.js';
import { publish } from './report/runner.js';
import { retryingStage } from './retry-stage.js';
import { waitForAccess } from './wait-for-access.js';

const USER_AGENT = 'foundry-keyless-check/0.1';
/** Every HTTP request gives up after this long; the run as a whole ends by wait-timeout plus this. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** The action: parse inputs, sign in, gather evidence (waiting while time can help), decide, report. */
export async function run(): Promise<void> {
  const inputs = parseInputs((name) => core.getInput(name));
  if (!inputs.ok) return publish(invalidInputReport(inputs.error), true);
  const config = inputs.value;
  const budget = new Budget(config.waitTimeoutSeconds * 1000 + REQUEST_TIMEOUT_MS);
  try {
    await publish(await check(config, budget), config.failOnDenied);
  } finally {
    budget.dispose();
  }
}

async function check(config: Config, budget: Budget): Promise<RunReport> {
  const identity = { clientId: config.clientId, tenantId: config.tenantId };
  const timer = { now: () => performance.now(), sleep: (ms: number) => budget.sleep(ms), random: Math.random };
  const stageOptions = { timer, deadlineMs: config.waitTimeoutSeconds * 1000, log: (line: string) => core.info(line) };

  let tokens: GitHubIdTokens;
  let presented: Presented;
  try {
    const started = await core.group('GitHub OIDC token', () =>
      retryingStage('GitHub OIDC token', () => budget.within(GitHubIdTokens.start(config.audience)), (e) => (e instanceof IdTokenError ? e : undefined), stageOptions),
    );
    tokens = started.value.tokens;
    presented = describePresented(started.value.presented);
  } catch (error) {
    if (error instanceof BudgetExpiredError) return failedReport('service-unavailable', { ...identity, serviceMessage: error.message });
    if (!(error instanceof IdTokenError)) throw error;
    core.info(error.message);
    const facts = { ...identity, eventName: process.env.GITHUB_EVENT_NAME, actor: process.env.GITHUB_ACTOR, serviceMessage: error.message.split('\n')[0] };
    return failedReport(error.diagnosis, facts);
  }

  const credential = federatedCredential({ ...identity, cloud: config.cloud }, tokens.next, core.setSecret);
  let who: SignedIn;
  let signInAttempts = 1;
  try {
    const signedIn = await core.group('Sign in to Entra ID', () =>
      retryingStage('Sign-in', () => budget.within(signIn(credential, config.cloud)), (e) => (e instanceof SignInError ? e : undefined), stageOptions),
    );
    who = signedIn.value;
    signInAttempts = signedIn.attempts;
    core.info(`Signed in as service principal ${who.principalId} (tenant ${who.tenantId ?? config.tenantId}).`);
  } catch (error) {
    if (error instanceof BudgetExpiredError) return failedReport('service-unavailable', { ...identity, ...presented, serviceMessage: error.message }, presented, signInAttempts);
    if (!(error instanceof SignInError)) throw error;
    const facts = { ...identity, ...presented, ...error.facts };
    core.info(plainText(render({ code: error.diagnosis, facts })));
    return failedReport(error.diagnosis, facts, presented, 1);
  }

  const armOptions = { requestTimeoutMs: REQUEST_TIMEOUT_MS, userAgent: USER_AGENT, signal: budget.signal };
  const client = createArmClient(credential, config.cloud, armOptions);
  const arm = new ArmReader(client, config.cloud, armOptions);
  const attribution = new AssignmentReader(client, budget.signal);
  const probe = config.model
    ? new DataPlaneProbe(credential, arm, { ...armOptions, cloud: config.cloud, model: config.model, endpoint: config.endpoint, singleResource: config.resources.length === 1, tokenScope: config.tokenScope })
    : undefined;
  const assignments = new Map<string, Promise<AssignmentsEvidence>>();

  const outcome = await core.group('Effective permissions', () =>
    waitForAccess(
      config.resources,
      async (resource) => {
        // The permissions decide, so their request goes out first. Assignments are read once, alongside the
        // first permissions read; they explain, they never decide.
        const permissions = bounded<PermissionsEvidence>(budget, arm.permissions(resource), (reason) => ({ kind: 'unusable', reason }));
        let listed = assignments.get(resource.id);
        if (!listed) {
          listed = bounded<AssignmentsEvidence>(budget, attribution.assignments(resource, who.principalId), (reason) => ({ kind: 'unreadable', reason }));
          assignments.set(resource.id, listed);
        }
        const [evidence, assigned, answered] = await Promise.all([
          permissions,
          listed,
          probe ? bounded<ProbeEvidence>(budget, probe.probe(resource), (reason) => ({ kind: 'unusable', reason })) : undefined,
        ]);
        const facts = {
          ...identity,
          principalId: who.principalId,
          resourceId: resource.id,
          waitTimeoutSeconds: config.waitTimeoutSeconds,
          model: config.model,
          tokenScope: config.tokenScope,
        };
        return decideResource(config.requiredDataActions, evidence, facts, assigned, answered);
      },
      {
        timer,
        log: (line) => core.info(line),
        rule: (verdict, elapsedMs) =>
          waitRule(verdict, verdict.assignments, {
            elapsedMs,
            nowEpochMs: Date.now(),
            waitTimeoutMs: config.waitTimeoutSeconds * 1000,
            waitForAssignment: config.waitForAssignment,
            requiredDataActions: config.requiredDataActions,
          }),
      },
    ),
  );
  const verdicts = outcome.verdicts.map((verdict) => settle(verdict, outcome.rules.get(verdict.resourceId)));
  for (const verdict of verdicts) core.info(`${verdict.resourceId}: ${verdict.diagnosis}`);
  return checkedReport(config, verdicts, who.principalId, presented, outcome.attempts, Math.round(outcome.waitedMs / 1000));
}

/** The evidence, or the fallback when the run's budget runs out first: a stall never outlasts the budget. */
function bounded<T>(budget: Budget, evidence: Promise<T>, fallback: (reason: string) => T): Promise<T> {
  return budget.within(evidence).catch((error: unknown) => {
    if (error instanceof BudgetExpiredError) return fallback(error.message);
    throw error;
  });
}

function describePresented(presented: PresentedIdentity): Presented {
  const described: Presented = {
    issuer: presented.issuer,
    subject: presented.subject,
    audience: presented.audience,
    workflowRef: stringClaim(presented.claims, 'job_workflow_ref'),
  };
  core.info(`Issuer:   ${described.issuer ?? '(none)'}`);
  core.info(`Subject:  ${described.subject ?? '(none)'}`);
  core.info(`Audience: ${described.audience ?? '(none)'}`);
  if (described.workflowRef) core.info(`Workflow: ${described.workflowRef}`);
  return described;
}
