/**
 * What each bundle holds, so that a run loads only what it runs: the entries (the action, the CLI) without the Azure
 * SDK, which they import from one bundle of its own once the first request is on its way; no helper of a browser
 * sign-in; undici bundled behind a module that evaluates it on first use.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
// The real undici, by a path that tsconfig.json's `paths` does not turn into the module under test.
import { ProxyAgent as RealProxyAgent } from 'undici/index.js';
import { describe, expect, it } from 'vitest';
import { DIST } from '../../emulator/run-action.js';
import type { AzureSdk as Sdk } from '../../src/load-azure-sdk.js';

const dist = dirname(DIST);
const read = (path: string): string => readFileSync(join(dist, path), 'utf8');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));

describe('the bundles', () => {
  it('keep the Azure SDK out of the entries, which import it from a bundle of its own', () => {
    for (const entry of ['index.js', 'cli/index.js']) {
      const code = read(entry);
      expect(code, entry).not.toContain('ConfidentialClientApplication');
      expect(code, entry).not.toContain('class AuthorizationManagementClient');
      expect(code, entry).toContain('import("./azure-sdk/index.js")');
    }
    const sdk = read('azure-sdk/index.js');
    expect(sdk).toContain('ConfidentialClientApplication');
    expect(sdk).toContain('class AuthorizationManagementClient');
  });

  it('give the CLI the same SDK bundle, by the same relative path as the action', async () => {
    const action = (await import(pathToFileURL(join(dist, 'azure-sdk', 'index.js')).href)) as Sdk;
    const cli = (await import(pathToFileURL(join(dist, 'cli', 'azure-sdk', 'index.js')).href)) as Sdk;
    expect(typeof action.ClientAssertionCredential).toBe('function');
    expect(typeof action.AuthorizationManagementClient).toBe('function');
    expect(cli.ClientAssertionCredential).toBe(action.ClientAssertionCredential);
    expect(cli.AuthorizationManagementClient).toBe(action.AuthorizationManagementClient);
  });

  it('ship no xdg-open, the helper of an interactive browser sign-in that never runs', () => {
    expect(files(dist).filter((file) => file.endsWith('xdg-open'))).toEqual([]);
    expect(existsSync(join(dist, 'azure-sdk', 'index.js'))).toBe(true);
  });
});

describe('undici on demand (src/lib/undici-on-demand.cjs)', () => {
  const onDemand = createRequire(import.meta.url)('../../src/lib/undici-on-demand.cjs') as { ProxyAgent: typeof RealProxyAgent; fetch: unknown };

  it("hands out undici's own ProxyAgent, constructed with the caller's options", async () => {
    const agent = new onDemand.ProxyAgent({ uri: 'http://127.0.0.1:3128' });
    expect(agent).toBeInstanceOf(RealProxyAgent);
    await agent.close();
  });

  it("hands out a fetch that is undici's", () => {
    expect(typeof onDemand.fetch).toBe('function');
  });
});
