/**
 * The access chain: the links a keyless call depends on, from the workflow run to the model's answer, each with
 * its state. Which link a troubleshooting row breaks is data (`CAUSES`, one entry per code, checked by the type
 * system); the states of the other links come from the evidence. Renderers (Mermaid, the text tree) only draw it.
 */
import { propagationWindowMs, reach, type Assignment } from './attribution.js';
import type { DiagnosisCode, Facts } from './diagnosis.js';
import { readinessLines } from './readiness.js';
import type { ResourceVerdict } from './verdict.js';

export type ChainLink = 'run' | 'subject' | 'federation' | 'identity' | 'group' | 'assignment' | 'data-actions' | 'resource' | 'model';

/** proven: evidence shows it holds; broken: it fails; unknown: no evidence either way; propagating: on its way. */
export type LinkState = 'proven' | 'broken' | 'unknown' | 'propagating';

/**
 * Where a row's cause sits in the chain. `stage` is for faults that can strike anywhere (a 429, an outage, a token
 * refused where it was presented): the link is the one whose evidence was the failing answer.
 */
interface ChainCause {
  readonly link: ChainLink | 'stage';
  readonly state: Exclude<LinkState, 'proven'>;
}

/** Every row's link; `null` only for access proven. A new code fails type-check until it is mapped here. */
export const CAUSES: Record<DiagnosisCode, ChainCause | null> = {
  ok: null,
  'invalid-input': { link: 'run', state: 'broken' },
  'id-token-unavailable': { link: 'run', state: 'broken' },
  'assertion-expired': { link: 'subject', state: 'broken' },
  'federated-credential-mismatch': { link: 'federation', state: 'broken' },
  'entra-error': { link: 'federation', state: 'broken' },
  'app-not-found': { link: 'identity', state: 'broken' },
  'service-principal-missing': { link: 'identity', state: 'broken' },
  'not-signed-in': { link: 'identity', state: 'broken' },
  'tenant-not-found': { link: 'identity', state: 'broken' },
  'role-missing': { link: 'assignment', state: 'broken' },
  'propagation-timeout': { link: 'assignment', state: 'propagating' },
  'control-plane-role-only': { link: 'data-actions', state: 'broken' },
  'openai-role-only': { link: 'data-actions', state: 'broken' },
  'partial-data-actions': { link: 'data-actions', state: 'broken' },
  // The condition sits on the role assignment, and nothing here can evaluate it.
  'conditional-grant': { link: 'assignment', state: 'unknown' },
  // A deny assignment takes the data actions away, whatever the assignments grant.
  'deny-assignment': { link: 'data-actions', state: 'broken' },
  'cannot-verify': { link: 'data-actions', state: 'unknown' },
  'resource-not-found': { link: 'resource', state: 'broken' },
  'endpoint-unknown': { link: 'resource', state: 'broken' },
  'network-blocked': { link: 'resource', state: 'broken' },
  'custom-subdomain-missing': { link: 'resource', state: 'broken' },
  'account-not-ready': { link: 'resource', state: 'broken' },
  'data-plane-denied': { link: 'model', state: 'broken' },
  'model-not-found': { link: 'model', state: 'broken' },
  // Azure has the deployment; the endpoint has yet to serve it (or, in a failed state, never will).
  'deployment-not-served': { link: 'model', state: 'propagating' },
  'token-rejected': { link: 'stage', state: 'broken' },
  throttled: { link: 'stage', state: 'unknown' },
  'service-unavailable': { link: 'stage', state: 'unknown' },
  'request-refused': { link: 'stage', state: 'broken' },
};

const CHAIN_ORDER: readonly ChainLink[] = ['run', 'subject', 'federation', 'identity', 'group', 'assignment', 'data-actions', 'resource', 'model'];

export const LINK_TITLES: Record<ChainLink, string> = {
  run: 'Workflow run',
  subject: 'OIDC token',
  federation: 'Federated credential',
  identity: 'Identity',
  group: 'Group',
  assignment: 'Role assignment',
  'data-actions': 'Data actions',
  resource: 'Resource',
  model: 'Model call',
};

export interface ChainNode {
  readonly link: ChainLink;
  readonly state: LinkState;
  /** The real values, cleaned of control characters and clipped; escaping for a format is each renderer's. */
  readonly details: readonly string[];
  /** On the link where the chain breaks: the troubleshooting row, shown with it. */
  readonly code?: DiagnosisCode;
}

export interface Chain {
  readonly diagnosis: DiagnosisCode;
  /** The links up to and including the cause (all of them when nothing broke). */
  readonly nodes: readonly ChainNode[];
  /** Links after the cause, which the check never reached. */
  readonly notReached: readonly ChainLink[];
}

/** What the chain of one resource (or of a run that stopped before any) is built from. */
export interface ChainInput {
  readonly diagnosis: DiagnosisCode;
  readonly facts: Facts;
  readonly presented?: { readonly subject?: string; readonly audience?: string; readonly workflowRef?: string };
  readonly principalId?: string;
  readonly verdict?: ResourceVerdict;
  /** When the evidence was gathered, to tell a fresh assignment's age. */
  readonly checkedAtMs?: number;
}

const MAX_TEXT = 100;

/** Service text as one short line: no control or format characters (line breaks, escapes, bidi overrides). */
export function displayText(text: string, max = MAX_TEXT): string {
  const flat = text.replace(/[\p{C}\p{Zl}\p{Zp}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

/** A scope as people say it: this resource, resource group rg, subscription 1234…, management group mg. */
export function shortScope(scope: string, resourceId: string): string {
  if (scope.toLowerCase() === resourceId.toLowerCase()) return 'this resource';
  const mg = /\/managementGroups\/([^/]+)$/i.exec(scope);
  if (mg) return `management group ${mg[1]}`;
  const rg = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)$/i.exec(scope);
  if (rg) return `resource group ${rg[1]}`;
  const sub = /^\/subscriptions\/([^/]+)$/i.exec(scope);
  if (sub) return `subscription ${sub[1]}`;
  if (scope === '/') return 'the root scope';
  const account = /\/accounts\/([^/]+)(?:\/projects\/([^/]+))?$/i.exec(scope);
  if (account) return account[2] ? `project ${account[1]}/${account[2]}` : `account ${account[1]}`;
  return scope;
}

/** How long ago, in the largest whole unit. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** The values that say something: an absent or empty value makes no line. */
const present = (values: readonly (string | undefined)[]): string[] => values.filter((v): v is string => v !== undefined && v.trim() !== '');

/** The assignment the picture names: a granting one (direct first), else one that might grant, else any. */
function featured(verdict: ResourceVerdict | undefined, principalId: string | undefined): { shown: Assignment; count: number; granting: boolean } | undefined {
  const evidence = verdict?.assignments;
  if (evidence?.kind !== 'read' || evidence.assignments.length === 0) return undefined;
  const { granting, unknown, other } = evidence;
  const direct = (a: Assignment): boolean => a.principalId.toLowerCase() === (principalId ?? '').toLowerCase();
  const ordered = [...granting.filter(direct), ...granting.filter((a) => !direct(a)), ...unknown, ...other];
  const shown = ordered[0];
  return shown && { shown, count: ordered.length, granting: granting.includes(shown) || unknown.includes(shown) };
}

function dataActionsProven(verdict: ResourceVerdict | undefined): boolean {
  if (!verdict) return false;
  return verdict.granted || (verdict.checks.length > 0 && verdict.checks.every((c) => c.granted));
}

const probeAnswered = (verdict: ResourceVerdict | undefined): boolean =>
  verdict?.probe?.kind === 'answered' && verdict.probe.status >= 200 && verdict.probe.status < 300;

/** The account's settings let Entra ID tokens in from anywhere: a custom subdomain and no network rules. */
const readyForKeyless = (verdict: ResourceVerdict | undefined): boolean =>
  verdict?.readiness?.kind === 'known' && verdict.readiness.customSubDomain !== undefined && verdict.readiness.network.kind === 'open';

/** For a `stage` cause: the link whose answer failed. */
function failedStage(input: ChainInput, oidc: boolean): ChainLink {
  const verdict = input.verdict;
  if (verdict) return verdict.evidence.kind === 'read' ? 'model' : 'data-actions';
  if (input.principalId) return 'assignment';
  if (oidc && !input.presented) return 'run';
  return oidc ? 'federation' : 'identity';
}

/** The chain for one resource's verdict, or for a run that stopped before it reached any resource. */
export function buildChain(input: ChainInput): Chain {
  const { facts, verdict, presented } = input;
  const principalId = input.principalId ?? facts.principalId;
  const cause = CAUSES[input.diagnosis];
  const oidcCause = cause !== null && (cause.link === 'run' || cause.link === 'subject' || cause.link === 'federation');
  const oidc = presented !== undefined || oidcCause;
  const causeLink = cause === null ? undefined : cause.link === 'stage' ? failedStage(input, oidc) : cause.link;

  const pick = featured(verdict, principalId);
  const viaGroup = pick?.granting === true && pick.shown.principalId.toLowerCase() !== (principalId ?? '').toLowerCase();
  const links = CHAIN_ORDER.filter((link) => {
    if (link === 'run' || link === 'subject' || link === 'federation') return oidc;
    if (link === 'group') return viaGroup || causeLink === 'group';
    return true;
  });

  const granted = dataActionsProven(verdict);
  const assignmentsRead = verdict?.assignments?.kind === 'read' && verdict.assignments.assignments.length > 0;
  const proven: Record<ChainLink, boolean> = {
    run: presented !== undefined,
    subject: presented?.subject !== undefined,
    federation: principalId !== undefined,
    identity: principalId !== undefined,
    group: viaGroup && granted,
    assignment: granted || assignmentsRead,
    'data-actions': granted,
    resource: probeAnswered(verdict) || readyForKeyless(verdict),
    model: probeAnswered(verdict),
  };

  const details = (link: ChainLink): string[] => {
    switch (link) {
      case 'run':
        return input.diagnosis === 'invalid-input'
          ? (facts.inputProblems ?? []).map((p) => `${p.input}: ${p.reason}`)
          : present([presented?.workflowRef]);
      case 'subject':
        return present([presented?.subject && `subject ${presented.subject}`, presented?.audience && `audience ${presented.audience}`]);
      case 'federation':
        return present([facts.clientId && `on app ${facts.clientId}`, facts.issuer && !presented ? `issuer ${facts.issuer}` : undefined]);
      case 'identity':
        return present([
          facts.clientId && `client ID ${facts.clientId}`,
          principalId && `${facts.principalType === 'User' ? 'user' : 'object ID'} ${principalId}`,
          input.diagnosis === 'tenant-not-found' && facts.tenantId ? `tenant ${facts.tenantId}` : undefined,
        ]);
      case 'group':
        return pick ? [reach(pick.shown, principalId ?? '').replace(/^through /, '')] : [];
      case 'assignment': {
        const evidence = verdict?.assignments;
        if (!evidence) return verdict ? ['not read'] : [];
        if (evidence.kind === 'unreadable') return [granted ? 'one grants access; which is not readable' : 'not readable'];
        if (!pick) return ['none'];
        const { shown } = pick;
        const created = shown.createdOn === undefined ? Number.NaN : Date.parse(shown.createdOn);
        const fresh =
          input.checkedAtMs !== undefined && !Number.isNaN(created) && input.checkedAtMs - created < propagationWindowMs(shown.scope)
            ? `assigned ${age(input.checkedAtMs - created)} ago`
            : undefined;
        return present([
          `${shown.roleName} at ${shortScope(shown.scope, verdict.resourceId)}`,
          fresh,
          pick.count > 1 ? `and ${pick.count - 1} more` : undefined,
        ]);
      }
      case 'data-actions': {
        const required = facts.requiredDataActions ?? verdict?.facts.requiredDataActions ?? [];
        const missing = verdict?.facts.missingDataActions ?? [];
        if (!verdict) return [];
        if (verdict.evidence.kind === 'refused') return [`not readable: HTTP ${verdict.evidence.status}${verdict.evidence.code ? ` ${verdict.evidence.code}` : ''}`];
        if (verdict.evidence.kind === 'unusable') return [`no usable answer: ${verdict.evidence.reason}`];
        if (granted) return required.map((a) => `grants ${a}`);
        return present([
          ...missing.map((a) => `lacks ${a}`),
          ...(verdict.facts.excludedBy ?? []).map((p) => `excluded by ${p}`),
        ]);
      }
      case 'resource': {
        // Where the resource is the cause, what the service said about it is the detail that matters.
        const isCause = causeLink === 'resource';
        return present([
          verdict ? shortScope(verdict.resourceId, '') : undefined,
          isCause ? facts.serviceMessage : undefined,
          ...(verdict?.readiness ? readinessLines(verdict.readiness) : []),
          probeAnswered(verdict) ? 'reachable: the model answered' : isCause || !verdict || verdict.readiness ? undefined : 'readiness not checked',
        ]);
      }
      case 'model': {
        const probe = verdict?.probe;
        if (!probe) return verdict ? ['not called (no model input)'] : [];
        if (probe.kind === 'token-failed') return [`${facts.model ?? 'model'}: the data-plane token request failed (${probe.answer.entraCode !== undefined ? `AADSTS${probe.answer.entraCode}` : probe.answer.description})`];
        if (probe.kind !== 'answered') return [`${facts.model ?? 'model'}: ${probe.reason}`];
        return [`${facts.model ?? 'model'}: HTTP ${probe.status}${probe.code ? ` ${probe.code}` : ''}`];
      }
    }
  };

  const causeAt = causeLink === undefined ? -1 : links.indexOf(causeLink);
  const reached = causeAt === -1 ? links : links.slice(0, causeAt + 1);
  const nodes = reached.map((link): ChainNode => {
    const shown = present(details(link).map((d) => displayText(d)));
    if (link === causeLink && cause) return { link, state: cause.state, details: shown, code: input.diagnosis };
    return { link, state: proven[link] ? 'proven' : 'unknown', details: shown };
  });
  return { diagnosis: input.diagnosis, nodes, notReached: causeAt === -1 ? [] : links.slice(causeAt + 1) };
}

/** Chains that draw the same picture apart from the resource's name: one picture serves them all. */
function chainKey(chain: Chain): string {
  return JSON.stringify({
    diagnosis: chain.diagnosis,
    // The resource's own lines (its name, its subdomain) differ per resource; its state and the code do not.
    nodes: chain.nodes.map((n) => (n.link === 'resource' ? { ...n, details: [] } : n)),
    notReached: chain.notReached,
  });
}

interface ChainGroup<T> {
  readonly chain: Chain;
  readonly members: readonly T[];
}

/** Groups items by the picture of their chain, keeping first-seen order. */
export function groupChains<T>(items: readonly T[], chainOf: (item: T) => Chain): ChainGroup<T>[] {
  const groups = new Map<string, { chain: Chain; members: T[] }>();
  for (const item of items) {
    const chain = chainOf(item);
    const key = chainKey(chain);
    const group = groups.get(key);
    if (group) group.members.push(item);
    else groups.set(key, { chain, members: [item] });
  }
  return [...groups.values()];
}
