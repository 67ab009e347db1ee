import type { TokenCredential } from '@azure/identity';
import type { Config } from './config/inputs.js';
import type { ResourceId } from './config/resource-id.js';
import type { AssignmentsEvidence } from './decide/attribution.js';
import { plainText, render, type Facts, type Presented } from './decide/diagnosis.js';
import type { AccountEvidence, UnreadAccount } from './decide/readiness.js';
import type { DenyEvidence } from './decide/deny.js';
import type { DeploymentsEvidence } from './decide/deployments.js';
import { decideResource, deploymentsCanMatter, readinessCanMatter, type PermissionsEvidence, type ProbeEvidence, type ResourceVerdict } from './decide/verdict.js';
import { settle, waitRule } from './decide/wait-rule.js';
import { ArmReader, createArmClient } from './evidence/arm.js';
import { AssignmentReader } from './evidence/assignments.js';
import { classifyEntra } from './decide/planes/entra.js';
import { classifyIdToken } from './decide/planes/github-oidc.js';
import { EntraAnswers, federatedCredential, signIn, TokenRequestError, type SignedIn } from './evidence/credential.js';
import { defaultCredential } from './evidence/default-credential.js';
import { GitHubIdTokens, IdTokenError, type SentIdToken } from './evidence/github-oidc.js';
import { loadAzureSdk } from './engine/bundles.js';
import { DataPlaneProbe } from './evidence/probe.js';
import { Budget, BudgetExpiredError, REQUEST_TIMEOUT_MS } from './lib/budget.js';
import { checkedReport, failedReport, type RunReport } from './report/run-report.js';
import { retryingStage, StageFailed, type Diagnosed } from './wait/retry-stage.js';
import { budgetTimer, type Timer } from './wait/timer.js';
import { waitForAccess } from './wait/wait-for-access.js';
import { firstLine } from './lib/error-text.js';
import { USER_AGENT } from './version.js';

/** Where a check writes as it goes: the runner's log for the action, the terminal for the CLI. */
export interface CheckIO {
  info(line: string): void;
  group<T>(name: string, run: () => Promise<T>): Promise<T>;
  /** Keeps a secret out of everything printed from now on. */
  mask(secret: string): void;
  /** The GitHub event and actor, for the advice when no OIDC token is offered. */
  readonly eventName?: string;
  readonly actor?: string;
}

/** Requests an entry sent before the check began, their answers still to come. */
export interface SentEarly {
  /** The first GitHub ID-token request (evidence/github-oidc.ts' sendIdTokenRequest), for `config.audience`. */
  readonly idToken?: Promise<SentIdToken>;
}

/** Signs in, gathers the evidence for every resource (waiting while time can help) and decides. */
export async function check(config: Config, io: CheckIO, early: SentEarly = {}): Promise<RunReport> {
  const budget = new Budget(config.waitTimeoutSeconds * 1000 + REQUEST_TIMEOUT_MS);
  try {
    return await checkWithin(config, io, budget, early);
  } finally {
    budget.dispose();
  }
}

/** What every stage of one run shares. */
interface Run {
  readonly config: Config;
  readonly io: CheckIO;
  readonly budget: Budget;
  readonly answers: EntraAnswers;
  /** Who the run was told to sign in as, for the report of any stage. */
  readonly identity: Facts;
  readonly early: SentEarly;
  readonly stageOptions: { readonly timer: Timer; readonly deadlineMs: number; readonly log: (line: string) => void };
}

/** A credential, with the identity GitHub presented for it when there is one; or the report of why there is none. */
type Sourced = { readonly credential: TokenCredential; readonly presented?: Presented } | { readonly report: RunReport };

/** One source of the credential per auth mode, behind one signature. */
const CREDENTIAL_SOURCES: Record<Config['auth'], (run: Run) => Promise<Sourced>> = {
  /** The workflow's GitHub OIDC token, exchanged through the app's federated credential. */
  oidc: async ({ config, io, budget, answers, identity, early, stageOptions }) => {
    const { clientId, tenantId } = config;
    if (!clientId || !tenantId) throw new Error('auth oidc needs client-id and tenant-id; input validation lets no such config through');
    const mask = (secret: string): void => io.mask(secret);
    let tokens: GitHubIdTokens;
    let presented: Presented;
    try {
      // The Azure SDK loads while the token request is in flight (and not at all when none could be sent). The first
      // attempt takes the answer to a request the entry sent early, when it did: that one is in flight already.
      const loadSdk = (): void => void loadAzureSdk().catch(() => undefined);
      const sent = early.idToken;
      if (sent) loadSdk();
      const attempt = (n: number): Promise<{ tokens: GitHubIdTokens; presented: Presented }> =>
        GitHubIdTokens.start(config.audience, mask, n === 1 && sent ? { sent } : { onSent: loadSdk });
      const started = await io.group('GitHub OIDC token', () => retryingStage('GitHub OIDC token', (n) => budget.within(attempt(n)), idTokenDiagnosed, stageOptions));
      tokens = started.value.tokens;
      presented = describePresented(started.value.presented, io);
    } catch (error) {
      if (error instanceof BudgetExpiredError) return { report: failedReport('service-unavailable', { ...identity, serviceMessage: error.message }) };
      if (!(error instanceof StageFailed)) throw error;
      io.info(error.message);
      return { report: failedReport(error.failure.diagnosis, { ...identity, eventName: io.eventName, actor: io.actor, ...stageFacts(error) }) };
    }
    return { credential: federatedCredential(await loadAzureSdk(), { clientId, tenantId, cloud: config.cloud }, tokens.next, mask, answers), presented };
  },
  /** The Azure Identity default chain: environment, workload identity, managed identity, Azure CLI. */
  default: async ({ config, io, answers }) => ({
    credential: defaultCredential(await loadAzureSdk(), { clientId: config.clientId, tenantId: config.tenantId, cloud: config.cloud }, (secret) => io.mask(secret), answers),
  }),
};

async function checkWithin(config: Config, io: CheckIO, budget: Budget, early: SentEarly): Promise<RunReport> {
  const identity: Facts = { clientId: config.clientId, tenantId: config.tenantId };
  const timer = budgetTimer(budget);
  const stageOptions = { timer, deadlineMs: config.waitTimeoutSeconds * 1000, log: (line: string) => io.info(line) };
  const answers = new EntraAnswers();

  // 1. The credential, from the source of the auth mode.
  const sourced = await CREDENTIAL_SOURCES[config.auth]({ config, io, budget, answers, identity, early, stageOptions });
  if ('report' in sourced) return sourced.report;
  const { credential, presented } = sourced;

  // 2. Sign in: one ARM token proves the credential works and names the principal.
  let who: SignedIn;
  try {
    const signedIn = await io.group('Sign in to Entra ID', () =>
      retryingStage('Sign-in', () => budget.within(signIn(credential, config.cloud, answers)), signInDiagnosed, stageOptions),
    );
    who = signedIn.value;
    io.info(`Signed in as ${who.principalType === 'User' ? 'user' : 'service principal'} ${who.principalId} (tenant ${who.tenantId ?? config.tenantId ?? 'unknown'}).`);
  } catch (error) {
    if (error instanceof BudgetExpiredError) return failedReport('service-unavailable', { ...identity, ...presented, serviceMessage: error.message }, presented, 1);
    if (!(error instanceof StageFailed)) throw error;
    const facts = { ...identity, ...presented, ...stageFacts(error) };
    io.info(plainText(render({ code: error.failure.diagnosis, facts })));
    return failedReport(error.failure.diagnosis, facts, presented, 1);
  }

  // 3. Evidence per resource, again while time can help; 4. the verdicts.
  const armOptions = { requestTimeoutMs: REQUEST_TIMEOUT_MS, userAgent: USER_AGENT, signal: budget.signal };
  const sdk = await loadAzureSdk();
  const client = createArmClient(sdk, credential, config.cloud, armOptions);
  const arm = new ArmReader(sdk, client, config.cloud, armOptions);
  const attribution = new AssignmentReader(client, budget.signal);
  const probe = config.model
    ? new DataPlaneProbe(
        sdk,
        credential,
        arm,
        {
        ...armOptions,
        cloud: config.cloud,
        model: config.model,
        endpoint: config.endpoint,
        singleResource: config.resources.length === 1,
        tokenScope: config.tokenScope,
        },
        answers,
      )
    : undefined;
  const facts: Facts = {
    ...identity,
    principalId: who.principalId,
    principalType: who.principalType,
    waitTimeoutSeconds: config.waitTimeoutSeconds,
    model: config.model,
    tokenScope: config.tokenScope,
  };

  const outcome = await io.group('Effective permissions', () =>
    waitForAccess(
      config.resources,
      lookAtResource({ config, budget, arm, attribution, probe, facts, principalId: who.principalId }),
      {
        timer,
        log: (line) => io.info(line),
        rule: (verdict, elapsedMs) =>
          waitRule(verdict, {
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
  for (const verdict of verdicts) io.info(`${verdict.resourceId}: ${verdict.diagnosis}`);
  return checkedReport(config, verdicts, who.principalId, presented, outcome.attempts, Math.round(outcome.waitedMs / 1000), Date.now());
}

/**
 * One look at one resource: its effective permissions, its role assignments (read once, on the first look) and,
 * with a model, a call to it; then its verdict. The permissions decide, so their request goes out first;
 * assignments explain, they never decide.
 */
function lookAtResource(run: {
  readonly config: Config;
  readonly budget: Budget;
  readonly arm: ArmReader;
  readonly attribution: AssignmentReader;
  readonly probe: DataPlaneProbe | undefined;
  readonly facts: Facts;
  readonly principalId: string;
}): (resource: ResourceId) => Promise<ResourceVerdict> {
  const { config, budget, arm, attribution, probe, facts, principalId } = run;
  const assignments = new Map<string, Promise<AssignmentsEvidence>>();
  const denies = new Map<string, Promise<DenyEvidence>>();
  const unreadAccounts = new Map<string, UnreadAccount>();
  return async (resource) => {
    // The permissions decide, so their request goes out first. Assignments are read once, alongside the first
    // permissions read; they explain, they never decide.
    const permissions = bounded<PermissionsEvidence>(budget, arm.permissions(resource), (reason) => ({ kind: 'unusable', reason }));
    const listed = readOnce(assignments, resource.id, () =>
      bounded<AssignmentsEvidence>(budget, attribution.assignments(resource, principalId), (reason) => ({ kind: 'unreadable', reason })),
    );
    // Deny assignments are read once too: the permissions list cannot show them, and they overrule every grant.
    const denied = readOnce(denies, resource.id, () => bounded<DenyEvidence>(budget, arm.denyAssignments(resource), (reason) => ({ kind: 'unreadable', reason })));
    // The account is read once per run (shared with the probe, which takes its endpoints from it). A read that
    // failed is asked again only once the permissions show its settings could matter: while a role propagates,
    // asking on every attempt would double the reads ARM sees, for settings that cannot change a denial.
    const readAccount = (): Promise<AccountEvidence> => bounded<AccountEvidence>(budget, arm.accountSettings(resource), (reason) => ({ kind: 'unreadable', reason }));
    const unread = unreadAccounts.get(resource.id);
    const accountRead = unread === undefined ? readAccount() : permissions.then((read) => (readinessCanMatter(config.requiredDataActions, read, unread) ? readAccount() : unread));
    const [evidence, assigned, answered, account, denyEvidence] = await Promise.all([
      permissions,
      listed,
      probe ? bounded<ProbeEvidence>(budget, probe.probe(resource), (reason) => ({ kind: 'unusable', reason })) : undefined,
      accountRead,
      denied,
    ]);
    if (account.kind === 'unreadable') unreadAccounts.set(resource.id, account);
    else unreadAccounts.delete(resource.id);
    // Only a model call that named the model unknown asks for the account's deployments: whether Azure has one of
    // that name on its way tells a deployment the endpoint will soon serve from a name nothing answers to.
    const deployments = deploymentsCanMatter(answered, account)
      ? await bounded<DeploymentsEvidence>(budget, arm.deployments(resource), (reason) => ({ kind: 'unreadable', reason }))
      : undefined;
    return decideResource({ resourceId: resource.id, required: config.requiredDataActions, permissions: evidence, facts, assignments: assigned, probe: answered, account, denies: denyEvidence, deployments });
  };
}

/** The read kept for `key`, or a new one, kept: a read that explains is made once per run, whatever it answered. */
function readOnce<T>(kept: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let pending = kept.get(key);
  if (!pending) {
    pending = read();
    kept.set(key, pending);
  }
  return pending;
}

/** GitHub's answer to the ID-token request, as a row of the table. */
function idTokenDiagnosed(error: unknown): Diagnosed | undefined {
  if (!(error instanceof IdTokenError)) return undefined;
  const classified = classifyIdToken(error.answer);
  return { ...classified, message: error.message };
}

/** Entra's answer to the ARM token request, as a row of the table. */
function signInDiagnosed(error: unknown): Diagnosed | undefined {
  if (!(error instanceof TokenRequestError)) return undefined;
  const classified = classifyEntra(error.answer);
  return { ...classified, message: error.message, ...(error.answer.retryAfterMs !== undefined ? { retryAfterMs: error.answer.retryAfterMs } : {}) };
}

/** The facts of a failed stage, with the wait the service asked for when that is what ended it. */
function stageFacts(error: StageFailed): Facts {
  const facts = { serviceMessage: firstLine(error.message), ...error.failure.facts };
  return error.askedMs === undefined ? facts : { ...facts, retryAfterSeconds: Math.ceil(error.askedMs / 1000) };
}

/** The evidence, or the fallback when the run's budget runs out first: a stall never outlasts the budget. */
function bounded<T>(budget: Budget, evidence: Promise<T>, fallback: (reason: string) => T): Promise<T> {
  return budget.within(evidence).catch((error: unknown) => {
    if (error instanceof BudgetExpiredError) return fallback(error.message);
    throw error;
  });
}

/** Logs what the workflow presents, the facts a federated credential must match. */
function describePresented(presented: Presented, io: CheckIO): Presented {
  io.info(`Issuer:   ${presented.issuer ?? '(none)'}`);
  io.info(`Subject:  ${presented.subject ?? '(none)'}`);
  io.info(`Audience: ${presented.audience ?? '(none)'}`);
  if (presented.workflowRef) io.info(`Workflow: ${presented.workflowRef}`);
  return presented;
}
