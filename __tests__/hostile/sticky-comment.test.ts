/**
 * The sticky comment is ours (issue 10, point 6): only a comment that carries our marker and was written by the
 * token's own identity is updated. Another user's comment that copies the marker is never touched.
 */
import { describe, expect, it } from 'vitest';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { PR, useHostileEmulators } from './support.js';

const hostile = useHostileEmulators();
const MARKER = '<!-- foundry-keyless-check: foundry/access -->';

describe('the sticky comment', () => {
  it("never updates another user's comment that copies the marker, and updates its own", async () => {
    const { emulator, run } = await hostile.run(scenarioInput('granted-builtin'), [], { pullRequest: true });
    expect(run.exitCode).toBe(0);
    // The first run's comment is the bot's; now someone else copies the marker into a comment of their own, above it.
    const own = emulator.comments.get(PR) ?? [];
    const planted = { id: 1, body: `${MARKER}\nplanted by mallory`, user: { login: 'mallory', type: 'User' }, html_url: 'https://github.com/x' };
    emulator.comments.set(PR, [planted, ...own]);

    const again = await hostile.rerun(emulator, { pullRequest: true });
    expect(again.exitCode).toBe(0);
    const after = emulator.comments.get(PR) ?? [];
    expect(after.find((c) => c.id === 1)?.body).toBe(`${MARKER}\nplanted by mallory`);
    expect(after.filter((c) => c.user.login === 'github-actions[bot]')).toHaveLength(1);
    expect(after.find((c) => c.user.login === 'github-actions[bot]')?.body).toContain('Foundry access verified');
  });
});
