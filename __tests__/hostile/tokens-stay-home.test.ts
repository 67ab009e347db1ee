/**
 * A bearer token goes only to the origin it was minted for (issue 10, point 1). A hostile service points the
 * client elsewhere (a nextLink, a Link: rel=next, a redirect, the authority's metadata); "elsewhere" is a second
 * emulator, and it must receive nothing at all.
 */
import { get } from 'node:https';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { customRole, READ_ASSIGNMENTS, useHostileEmulators } from './support.js';

const hostile = useHostileEmulators();

function fetchJson(url: string, caFile: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(url, { ca: readFileSync(caFile) }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve(JSON.parse(text)));
    }).on('error', reject);
  });
}

const nothingReached = (elsewhere: Emulator): void => {
  expect(elsewhere.requests.map((r) => `${r.service} ${r.method} ${r.path}`)).toEqual([]);
};

describe('a token goes only to its own origin', () => {
  it("ARM: the role-assignments pager does not follow a nextLink to another host with the ARM token", async () => {
    const elsewhere = await hostile.elsewhere();
    const { run } = await hostile.run(customRole({ actions: READ_ASSIGNMENTS }), [
      {
        service: 'arm',
        pathPattern: '/roleAssignments$',
        kind: 'status',
        status: 200,
        body: { value: [], nextLink: `${elsewhere.urls.arm}/subscriptions/x/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$skiptoken=1` },
      },
    ]);
    nothingReached(elsewhere);
    // The permissions still decide; the assignments are reported unreadable, naming the refusal.
    expect(run.outputs.granted).toBe('true');
    expect(run.outputs.report).toContain('was refused');
  });

  it('GitHub REST: the comment pager does not follow Link: rel=next to another host with the github-token', async () => {
    const elsewhere = await hostile.elsewhere();
    const { run } = await hostile.run(
      scenarioInput('granted-builtin'),
      [
        {
          service: 'github',
          method: 'GET',
          pathPattern: '/issues/\\d+/comments$',
          kind: 'status',
          status: 200,
          body: [],
          headers: { link: `<${elsewhere.urls.github}/repos/contoso/foundry-app/issues/7/comments?page=2>; rel="next"` },
        },
      ],
      { pullRequest: true },
    );
    nothingReached(elsewhere);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^::warning::Could not comment on pull request #7: .*refused/m);
  });

  it('GitHub OIDC: a redirect to another host is not followed (the runtime token would be added back)', async () => {
    const elsewhere = await hostile.elsewhere();
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [
      {
        service: 'github',
        pathPattern: '^/token$',
        kind: 'status',
        status: 302,
        body: '',
        headers: { location: `${elsewhere.urls.github}/token?api-version=2.0&audience=api://AzureADTokenExchange` },
      },
    ]);
    nothingReached(elsewhere);
    expect(run.outputs.granted).toBe('false');
    expect(run.outputs.diagnosis).toBe('id-token-unavailable');
  });

  it("Entra: the GitHub ID token is not posted to a token endpoint the authority's metadata names on another host", async () => {
    const elsewhere = await hostile.elsewhere();
    // The authority's own metadata, but for where it says tokens are to be requested.
    const { emulator } = await hostile.start(scenarioInput('granted-builtin'));
    const tenant = emulator.scenario.tenantId;
    const metadata = (await fetchJson(`${emulator.urls.entra}/${tenant}/v2.0/.well-known/openid-configuration`, emulator.caFile)) as Record<string, unknown>;
    emulator.requests.length = 0;
    emulator.scenario.faults.push({
      service: 'entra',
      method: 'GET',
      pathPattern: 'openid-configuration$',
      kind: 'status',
      status: 200,
      body: { ...metadata, token_endpoint: `${elsewhere.urls.entra}/${tenant}/oauth2/v2.0/token` },
    });
    const run = await hostile.rerun(emulator);
    nothingReached(elsewhere);
    expect(run.outputs.granted).toBe('false');
  });
});
