/**
 * What each bundle holds, so that a run loads only what it runs: the action's entry with no more than its first
 * request needs; the engine behind both entries without the Azure SDK, which it imports from one bundle of its own
 * once the first request is on its way, and without Octokit and undici, which only the pull-request comment loads; no
 * helper of a browser sign-in; packages that runs rarely call bundled behind a module that evaluates them on first use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../emulator/repo-root.js';
import { DIST } from '../../emulator/run-action.js';
import type { AzureSdk as Sdk } from '../../src/engine/bundles.js';
// By a path that tsconfig.json's `paths` does not turn into the module under test.
import type * as UndiciModule from 'undici/index.js';

type Undici = typeof UndiciModule;

const dist = dirname(DIST);
const read = (path: string): string => readFileSync(join(dist, path), 'utf8');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));

describe('the bundles', () => {
  it("give the action's entry only the inputs and the GitHub token request, and the engine the rest", () => {
    const entry = read('index.js');
    expect(entry).toContain('ACTIONS_ID_TOKEN_REQUEST_URL');
    expect(entry).toContain('import("./engine/index.js")');
    // Neither @actions/core (its summary writer), nor the check's flow, nor the reports.
    expect(entry).not.toContain('GITHUB_STEP_SUMMARY');
    expect(entry).not.toContain('Effective permissions');
    expect(entry).not.toContain('```mermaid');
    const engine = read('engine/index.js');
    for (const text of ['GITHUB_STEP_SUMMARY', 'Effective permissions', 'runCli']) expect(engine).toContain(text);
  });

  it('give the local command the same engine, by a path of its own', async () => {
    type Engine = { runCli?: unknown };
    const engine = (await import(pathToFileURL(join(dist, 'engine', 'index.js')).href)) as Engine;
    const cli = (await import(pathToFileURL(join(dist, 'cli', 'index.js')).href)) as Engine;
    expect(typeof cli.runCli).toBe('function');
    expect(cli.runCli).toBe(engine.runCli);
  });

  it('keep the Azure SDK out of the entries and the engine, which imports it from a bundle of its own', () => {
    for (const entry of ['index.js', 'engine/index.js']) {
      const code = read(entry);
      expect(code, entry).not.toContain('ConfidentialClientApplication');
      expect(code, entry).not.toContain('class AuthorizationManagementClient');
    }
    expect(read('engine/index.js')).toContain('import("../azure-sdk/index.js")');
    const sdk = read('azure-sdk/index.js');
    expect(sdk).toContain('ConfidentialClientApplication');
    expect(sdk).toContain('class AuthorizationManagementClient');
  });

  it("keep Octokit and undici out of the entries, in the pull-request comment's bundle", () => {
    for (const entry of ['index.js', 'engine/index.js']) {
      const code = read(entry);
      expect(code, entry).not.toContain('class ProxyAgent extends');
      expect(code, entry).not.toContain('class Octokit');
    }
    const github = read('github/index.js');
    expect(github).toContain('class ProxyAgent extends');
    expect(github).toContain('class Octokit');
    expect(files(dist).some((file) => readFileSync(file, 'utf8').includes('import("../github/index.js")'))).toBe(true);
  });

  it('load the Azure SDK the engine calls from its own bundle', async () => {
    const sdk = (await import(pathToFileURL(join(dist, 'azure-sdk', 'index.js')).href)) as Sdk;
    expect(typeof sdk.ClientAssertionCredential).toBe('function');
    expect(typeof sdk.AuthorizationManagementClient).toBe('function');
  });

  it('ship no way to open a browser, for an interactive sign-in that never runs', () => {
    const code = files(dist).map((file) => readFileSync(file, 'utf8')).join('\n');
    expect(files(dist).filter((file) => file.endsWith('xdg-open'))).toEqual([]);
    expect(code).not.toContain('xdg-open');
    expect(code).toContain('never opens a browser to sign in');
  });
});

describe('packages evaluated on demand (src/lib/on-demand/)', () => {
  const onDemand = <T>(name: string): T => createRequire(import.meta.url)(`../../src/lib/on-demand/${name}.cjs`) as T;
  /** The package as its importer in node_modules resolves it: the copy the bundle would otherwise hold. */
  const asImportedBy = <T>(importer: string, name: string): T => createRequire(join(repoRoot(), 'node_modules', importer, 'package.json'))(name) as T;

  it("hands out undici's ProxyAgent and fetch, the copy @actions/http-client and @actions/github import", async () => {
    const undici = asImportedBy<Undici>('@actions/http-client', 'undici');
    const agent = new (onDemand<Undici>('undici').ProxyAgent)({ uri: 'http://127.0.0.1:3128' });
    expect(agent).toBeInstanceOf(undici.ProxyAgent);
    await agent.close();
    expect(asImportedBy<Undici>('@actions/github', 'undici').ProxyAgent).toBe(undici.ProxyAgent);
    await expect(onDemand<Undici>('undici').fetch('http://127.0.0.1:1/')).rejects.toThrow('fetch failed');
  });

  it("signs as msal-node's jsonwebtoken does", () => {
    type Jwt = { sign: (payload: object, secret: string, options: object) => string };
    const jwt = asImportedBy<Jwt>('@azure/msal-node', 'jsonwebtoken');
    const options = { algorithm: 'HS256', noTimestamp: true };
    expect(onDemand<Jwt>('jsonwebtoken').sign({ sub: 'x' }, 'secret', options)).toBe(jwt.sign({ sub: 'x' }, 'secret', options));
  });

  it("hands out tunnel's agents, the copy @actions/http-client imports", () => {
    type Tunnel = { httpsOverHttp: (options: object) => unknown };
    const tunnel = asImportedBy<Tunnel>('@actions/http-client', 'tunnel');
    const options = { proxy: { host: '127.0.0.1', port: 3128 } };
    expect(onDemand<Tunnel>('tunnel').httpsOverHttp(options)).toBeInstanceOf((tunnel.httpsOverHttp(options) as object).constructor);
  });

  it("builds the proxy agents of @typespec/ts-http-runtime's proxy policy", () => {
    type Https = { HttpsProxyAgent: new (p: string) => unknown };
    type Http = { HttpProxyAgent: new (p: string) => unknown };
    const https = asImportedBy<Https>('@typespec/ts-http-runtime', 'https-proxy-agent');
    const http = asImportedBy<Http>('@typespec/ts-http-runtime', 'http-proxy-agent');
    expect(new (onDemand<Https>('https-proxy-agent').HttpsProxyAgent)('http://127.0.0.1:3128')).toBeInstanceOf(https.HttpsProxyAgent);
    expect(new (onDemand<Http>('http-proxy-agent').HttpProxyAgent)('http://127.0.0.1:3128')).toBeInstanceOf(http.HttpProxyAgent);
  });
});
