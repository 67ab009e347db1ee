/**
 * Service text is data, never a command or markup (issue 10, points 4 and 5). Role names, error messages and
 * echoed tokens from hostile services reach the runner's log, the job summary and the pull-request comment only
 * neutralised: no line a runner would read as a workflow command, no raw HTML, mention or table-breaking pipe.
 */
import { describe, expect, it } from 'vitest';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { customRole, logLines, READ_ASSIGNMENTS, useHostileEmulators } from './support.js';

const hostile = useHostileEmulators();
const INJECTED = /^\s*::stop-commands::/;
const MARKUP = 'x <img src=https://attacker.example/p.png> @octocat | `code` [click](https://attacker.example)';

describe('service text never becomes a workflow command', () => {
  it('a custom role named "\\n::stop-commands::…" does not stop command processing', async () => {
    const { run, comments } = await hostile.run(customRole({ roleName: 'Caller\n::stop-commands::pwned\nx', actions: READ_ASSIGNMENTS }), [], { pullRequest: true });
    expect(run.outputs.granted).toBe('true');
    expect(logLines(run.stdout).filter((line) => INJECTED.test(line))).toEqual([]);
    // The name is still shown, on one line, with its colons broken up where a line could have started.
    for (const text of [run.summary, comments]) {
      expect(text).toMatch(/Caller :\u200B?:stop-commands::pwned x/);
      expect(logLines(text).filter((line) => INJECTED.test(line))).toEqual([]);
    }
  });

  it('an error body from the GitHub token service with "\\n::stop-commands::…" does not stop command processing', async () => {
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [
      { service: 'github', pathPattern: '^/token$', kind: 'status', status: 403, body: 'denied\n::stop-commands::pwned\r::add-mask::x' },
    ]);
    expect(run.outputs.diagnosis).toBe('id-token-unavailable');
    expect(logLines(run.stdout).filter((line) => INJECTED.test(line) || /^\s*::add-mask::x$/.test(line))).toEqual([]);
  });

  it('an ARM error message with "\\n::stop-commands::…" and escape sequences does not reach the log raw', async () => {
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [
      { service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 500, body: { error: { code: 'Bad\n::stop-commands::pwned', message: 'oops\n::stop-commands::pwned\u001b[2J' } } },
    ]);
    expect(run.outputs.granted).toBe('false');
    expect(logLines(run.stdout).filter((line) => INJECTED.test(line))).toEqual([]);
    expect(run.stdout).not.toContain('\u001b');
  });
});

describe('service text is data in Markdown', () => {
  it('ARM text with HTML, a mention, a pipe and a link is escaped in the summary and the comment', async () => {
    const { run, comments } = await hostile.run(
      scenarioInput('granted-builtin'),
      [{ service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 403, body: { error: { code: 'AuthorizationFailed', message: MARKUP } } }],
      { pullRequest: true },
    );
    expect(run.outputs.granted).toBe('false');
    for (const [where, text] of [['summary', run.summary], ['comment', comments]] as const) {
      expect(text, where).toContain('AuthorizationFailed');
      expect(text, where).not.toContain('<img');
      expect(text, where).not.toMatch(/@octocat/);
      expect(text, where).not.toContain('[click](');
      // Every table row still has exactly the columns of its header.
      const lines = text.split('\n');
      const columns = (line: string): number => line.replace(/\\\|/g, '').split('|').length;
      const header = lines.find((line) => line.startsWith('| Resource |')) ?? '';
      const row = lines.find((line) => line.startsWith('| `contoso-foundry` |')) ?? '';
      expect(columns(row), row).toBe(columns(header));
    }
  });

  it('a very long service message is cut short in the summary', async () => {
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [
      { service: 'arm', pathPattern: '/permissions$', kind: 'status', status: 403, body: { error: { code: 'AuthorizationFailed', message: 'A'.repeat(20_000) } } },
    ]);
    expect(run.summary).not.toContain('A'.repeat(1000));
    expect(run.summary).toContain(`${'A'.repeat(100)}`);
  });
});
