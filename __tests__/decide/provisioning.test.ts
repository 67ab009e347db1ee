import { describe, expect, it } from 'vitest';
import { changeAgeMs, changedRecently, classifyProvisioning, malformedState, RECENT_CHANGE_WINDOW_MS, type ProvisioningClass } from '../../src/decide/provisioning.js';
import { onItsWay } from '../../src/decide/deployments.js';
import { provisioning } from '../../src/decide/readiness.js';

/** Every state the module lists, with its class: the account enum and the deployment enum of the REST spec, and ARM's. */
const LISTED: Record<string, ProvisioningClass> = {
  Succeeded: 'succeeded',
  Accepted: 'in-progress',
  Creating: 'in-progress',
  Updating: 'in-progress',
  Moving: 'in-progress',
  ResolvingDNS: 'in-progress',
  Failed: 'ended',
  Canceled: 'ended',
  Deleting: 'ended',
  Deleted: 'ended',
  Disabled: 'ended',
};

describe('classifyProvisioning', () => {
  it.each(Object.entries(LISTED).flatMap(([state, cls]) => [state, state.toLowerCase(), state.toUpperCase(), `\t${state} `].map((written) => [written, state, cls] as const)))(
    '%j is %s, a %s state',
    (written, state, cls) => {
      expect(classifyProvisioning(written)).toEqual({ class: cls, state });
    },
  );

  it.each(['', '   ', 'Upgrading', 'Succeeded.', 'Succeed', 'Suc ceeded', 'Succeeded\u200b', 'Failed\u0000', 'Canceled!'])('%j is unknown', (written) => {
    expect(classifyProvisioning(written).class).toBe('unknown');
  });

  it('shows an unknown state as one short line of plain characters, blank as blank, a value that is not text as what it was', () => {
    expect(classifyProvisioning('  ').state).toBe('blank');
    expect(classifyProvisioning('Upgrading').state).toBe('Upgrading');
    const hostile = classifyProvisioning(`Creating\`\n::error::pwned <img src=x>${'x'.repeat(100)}`).state;
    expect(hostile).toMatch(/^[A-Za-z0-9 ._?-]{39}…$/);
    expect(classifyProvisioning(malformedState(7, 256))).toEqual({ class: 'unknown', state: 'not a state (a number)' });
    expect(classifyProvisioning(malformedState('x'.repeat(300), 256)).state).toBe('not a state (a string of more than 256 characters)');
    expect(malformedState({}, 256)).toEqual({ malformed: 'an object' });
    expect(malformedState([], 256)).toEqual({ malformed: 'a list' });
  });

  it('classing the shown text gives the class of what ARM said, so a report read back never changes its meaning', () => {
    const written = [...Object.keys(LISTED), '', 'Upgrading', 'Failed\u200b', 'Succeeded\u0000', ' failed ', 'x'.repeat(80), 'Succeeded\u202e'];
    for (const state of written) {
      const first = classifyProvisioning(state);
      expect(classifyProvisioning(first.state).class, JSON.stringify(state)).toBe(first.class);
    }
  });
});

describe('the callers keep their own policy over one classification', () => {
  it('an account: absent is provisioned, unknown waits like in-progress, ended is final', () => {
    expect(provisioning(undefined).kind).toBe('succeeded');
    for (const [state, cls] of Object.entries(LISTED)) {
      expect(provisioning(state).kind, state).toBe(cls);
    }
    expect(provisioning('Upgrading')).toMatchObject({ kind: 'in-progress', known: false });
  });

  it('a deployment: every state but an ended one may be on its way (Succeeded too: the endpoint lags ARM); absent and unknown alike', () => {
    for (const [state, cls] of Object.entries(LISTED)) expect(onItsWay(state), state).toBe(cls !== 'ended');
    expect(onItsWay(undefined)).toBe(true);
    expect(onItsWay('Upgrading')).toBe(true);
  });
});

describe('recently changed', () => {
  const NOW = Date.parse('2026-01-01T12:00:00Z');

  it('ages a change from its ISO time, and knows nothing of one unstated or unreadable', () => {
    expect(changeAgeMs('2026-01-01T11:55:00Z', NOW)).toBe(5 * 60_000);
    expect(changeAgeMs(undefined, NOW)).toBeUndefined();
    expect(changeAgeMs('not a time', NOW)).toBeUndefined();
    expect(changeAgeMs('2026-01-01T11:55:00Z', undefined)).toBeUndefined();
  });

  it('is recent up to the window, inclusive, and for a time ahead of the clock', () => {
    expect(changedRecently(0)).toBe(true);
    expect(changedRecently(-60_000)).toBe(true);
    expect(changedRecently(RECENT_CHANGE_WINDOW_MS)).toBe(true);
    expect(changedRecently(RECENT_CHANGE_WINDOW_MS + 1)).toBe(false);
  });
});
