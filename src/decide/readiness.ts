import type { NoteCode } from './diagnosis.js';
import type { ArmFailure } from './planes/arm.js';
import { changeAgeMs, changedRecently, classifyProvisioning, type MalformedState } from './provisioning.js';

/**
 * Whether the Foundry resource itself is ready for keyless calls, from the settings of its Cognitive Services
 * account: an account serves calls only once it is provisioned, Entra ID tokens are accepted only on a custom
 * subdomain, network rules refuse callers from outside the allowed networks whatever their roles, and keys left
 * enabled mean keyless is not enforced.
 */

/** The account settings that decide keyless readiness, as Azure Resource Manager stated them. */
export interface AccountSettings {
  /** `properties.provisioningState`, as ARM wrote it, or what it was when not a short string; absent (or null) on answers that leave it out. */
  readonly provisioningState?: string | MalformedState;
  /** The later of `systemData.createdAt` and `systemData.lastModifiedAt`, when ARM stated them. */
  readonly changedAt?: string;
  /** `properties.customSubDomainName`; absent on accounts that only have a regional endpoint. */
  readonly customSubDomainName?: string;
  /** `properties.publicNetworkAccess`: `Enabled` or `Disabled` (absent means enabled). */
  readonly publicNetworkAccess?: string;
  /** `properties.networkAcls.defaultAction`: `Allow` or `Deny` (absent means allow). */
  readonly networkDefaultAction?: string;
  /** `properties.networkAcls.ipRules[].value`: the addresses and CIDR ranges let through. */
  readonly ipRules: readonly string[];
  /** How many `properties.networkAcls.virtualNetworkRules` there are. */
  readonly virtualNetworkRules: number;
  /** `properties.disableLocalAuth`; absent means keys are accepted. */
  readonly disableLocalAuth?: boolean;
  /** `properties.endpoint` and the values of `properties.endpoints`: where this account's data plane answers. */
  readonly endpoints?: readonly string[];
}

/** What reading the account gave: its settings, or why they are unknown. */
export type AccountEvidence =
  /** `readAtMs`: when the account was read, to age its last change; absent, the age is unknown. */
  | { readonly kind: 'read'; readonly settings: AccountSettings; readonly readAtMs?: number }
  /** `failure`: what ARM answered, when it answered; absent when the body could not be used or the run's time ran out. */
  | { readonly kind: 'unreadable'; readonly reason: string; readonly failure?: ArmFailure };

/** An account read that gave no settings. */
export type UnreadAccount = Extract<AccountEvidence, { kind: 'unreadable' }>;

/** Who may reach the data plane over the network. */
export type NetworkAccess =
  /** Public network access, no firewall. */
  | { readonly kind: 'open' }
  /** `publicNetworkAccess: Disabled`: only private endpoints reach it. */
  | { readonly kind: 'private-only' }
  /** `networkAcls.defaultAction: Deny`: only the listed addresses and virtual networks (and private endpoints). */
  | { readonly kind: 'selected-networks'; readonly ipRules: readonly string[]; readonly virtualNetworkRules: number };

/**
 * Where the account is in its life, from `properties.provisioningState` (classed in provisioning.ts). Only
 * `Succeeded`, or no state at all (absent or null, as on older answers), serves calls. A blank or unlisted state, or
 * a value that is not a short string, is not known to be ready.
 */
export type Provisioning =
  | { readonly kind: 'succeeded' }
  /** Being created, moved or given its DNS name: time cures it. `known` is false for a state not listed, waited out alike. */
  | { readonly kind: 'in-progress'; readonly state: string; readonly known: boolean }
  /**
   * A create or update that failed or was canceled, a deletion, a disabled account: it will not serve until a person
   * acts. `settling`: `Failed` on an account changed within the recent window, which ARM has been seen to turn into
   * `Succeeded` soon after (Azure/azure-rest-api-specs#20335), so it is waited for like a transitional state.
   */
  | { readonly kind: 'ended'; readonly state: string; readonly settling: boolean };

/** The account's provisioning, from its state and how long ago it changed (undefined: not stated). */
export function provisioning(state: string | MalformedState | undefined, changedAgeMs?: number): Provisioning {
  if (state === undefined) return { kind: 'succeeded' };
  const classified = classifyProvisioning(state);
  switch (classified.class) {
    case 'succeeded':
      return { kind: 'succeeded' };
    case 'in-progress':
      return { kind: 'in-progress', state: classified.state, known: true };
    case 'unknown':
      // Not ready, and not known to be final: waited out like the listed transitional states, to the deadline at most.
      return { kind: 'in-progress', state: classified.state, known: false };
    case 'ended': {
      // Only a Failed of a known, recent change is waited for: of an older or unknown age, it is reported at once.
      const settling = classified.state === 'Failed' && changedAgeMs !== undefined && changedRecently(changedAgeMs);
      return { kind: 'ended', state: classified.state, settling };
    }
  }
}

/**
 * The resource's readiness for keyless calls, in a typed shape the report (and its diagram) read from the verdict.
 * `unknown` when the account could not be read: nothing is claimed about the settings then.
 */
export type Readiness =
  | { readonly kind: 'unknown'; readonly reason: string }
  | {
      readonly kind: 'known';
      /** Whether the account has been provisioned: until it has, it serves no calls whatever its other settings. */
      readonly provisioning: Provisioning;
      /** The custom subdomain, or undefined when the account has none (then Entra ID tokens are refused). */
      readonly customSubDomain: string | undefined;
      readonly network: NetworkAccess;
      /** False when keys (local authentication) are still accepted: keyless is possible but not enforced. */
      readonly keylessEnforced: boolean;
    };

export function readiness(account: AccountEvidence): Readiness {
  if (account.kind === 'unreadable') return { kind: 'unknown', reason: account.reason };
  const s = account.settings;
  const subdomain = s.customSubDomainName?.trim();
  return {
    kind: 'known',
    provisioning: provisioning(s.provisioningState, changeAgeMs(s.changedAt, account.readAtMs)),
    customSubDomain: subdomain === undefined || subdomain === '' ? undefined : subdomain,
    network: networkAccess(s),
    keylessEnforced: s.disableLocalAuth === true,
  };
}

function networkAccess(s: AccountSettings): NetworkAccess {
  // Compared case-insensitively: ARM echoes enum values as they were written.
  if (s.publicNetworkAccess?.toLowerCase() === 'disabled') return { kind: 'private-only' };
  if (s.networkDefaultAction?.toLowerCase() === 'deny') return { kind: 'selected-networks', ipRules: s.ipRules, virtualNetworkRules: s.virtualNetworkRules };
  return { kind: 'open' };
}

/** One line per setting, for the summary, the terminal and the log. */
export function readinessLines(r: Readiness | undefined): string[] {
  if (r === undefined) return ['not read'];
  if (r.kind === 'unknown') return [`account not readable (${r.reason})`];
  return [
    ...provisioningLines(r.provisioning),
    r.customSubDomain ? `✓ custom subdomain ${r.customSubDomain}` : '✗ no custom subdomain: Entra ID tokens are refused',
    networkLine(r.network),
    r.keylessEnforced ? '✓ keys disabled: keyless enforced' : '! keys still enabled: keyless not enforced',
  ];
}

/** A provisioned account needs no line; one that is not says so first, as it outweighs every other setting. */
function provisioningLines(p: Provisioning): string[] {
  switch (p.kind) {
    case 'succeeded':
      return [];
    case 'in-progress':
      return [`✗ provisioning state ${p.state}${p.known ? '' : ' (not a state the REST spec lists)'}: not serving calls yet`];
    case 'ended':
      return [`✗ provisioning state ${p.state}${p.settling ? ' (changed just now: it may still turn Succeeded)' : ''}: not serving calls`];
  }
}

function networkLine(n: NetworkAccess): string {
  switch (n.kind) {
    case 'open':
      return '✓ public network access';
    case 'private-only':
      return '✗ public network access disabled: private endpoints only';
    case 'selected-networks': {
      const rules = [`${n.ipRules.length} IP rule${n.ipRules.length === 1 ? '' : 's'}`, `${n.virtualNetworkRules} virtual network rule${n.virtualNetworkRules === 1 ? '' : 's'}`];
      return `✗ selected networks only (${rules.join(', ')})`;
    }
  }
}

/** The notes a resource's readiness calls for: things to know that never change the verdict. */
export function readinessNotes(r: Readiness | undefined): NoteCode[] {
  return r?.kind === 'known' && !r.keylessEnforced ? ['keys-enabled'] : [];
}
