/**
 * dist/licenses.txt names every package the bundle contains, with its license text, and is current. The fresh
 * bundle the suite made (fresh-bundle.ts) comes with ncc's stats: the packages are read from those, independently
 * of the committed file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOTICES_FILE } from '../../tools/bundler.js';
import { bundledPackages, modulePaths, noticesText, packageDir, readPackage } from '../../tools/third-party-notices.js';
import { repoRoot } from '../../emulator/repo-root.js';
import { DIST } from '../../emulator/run-action.js';
import { useTempDirs } from '../support/temp-dirs.js';

const root = repoRoot();
const fresh = join(DIST, '..', '..');
const committed = readFileSync(join(root, 'dist', NOTICES_FILE), 'utf8');
const tempDir = useTempDirs('fkc-notices-');

const statsFile = join(fresh, 'work', 'ncc-stats.json');

// Without a fresh bundle (FOUNDRY_KEYLESS_CHECK_BUNDLE set by hand to skip bundling) there are no stats to compare with.
describe.runIf(existsSync(statsFile))('the committed third-party notices', () => {
  const stats = existsSync(statsFile) ? (JSON.parse(readFileSync(statsFile, 'utf8')) as Parameters<typeof modulePaths>[0]) : {};
  const packages = bundledPackages(root, stats);

  it('are what a fresh bundle of src/ writes (run npm run bundle when this fails)', () => {
    expect(committed).toBe(readFileSync(join(fresh, 'dist', NOTICES_FILE), 'utf8'));
  });

  it('name every package whose modules are in the bundle, with the license text that package ships', () => {
    const dirs = new Set(modulePaths(stats).map(packageDir).filter((d) => d !== undefined));
    expect(dirs.size).toBeGreaterThan(50);
    expect(packages.map((p) => p.dir).sort()).toEqual([...dirs].sort());
    for (const p of packages) {
      expect(committed, p.dir).toContain(`\n${p.name} ${p.version}\nLicense: ${p.license}\n`);
      expect(committed, p.dir).toContain(readFileSync(join(root, p.dir, p.licenseFile), 'utf8').replace(/\r\n?/g, '\n').trim());
    }
  });

  it('include the packages the action is known to load', () => {
    for (const name of ['@actions/core', '@azure/identity', '@azure/msal-node', '@azure/core-rest-pipeline', '@octokit/core', 'undici', 'jsonwebtoken', 'tslib']) {
      expect(packages.map((p) => p.name), name).toContain(name);
    }
  });
});

describe('reading the bundle', () => {
  it('finds the innermost package of a module, scoped or nested, concatenated or not', () => {
    expect(packageDir('./node_modules/@azure/identity/dist/esm/index.js')).toBe('node_modules/@azure/identity');
    expect(packageDir('./node_modules/@azure/msal-node/node_modules/@azure/msal-common/dist/x.mjs + 40 modules')).toBe(
      'node_modules/@azure/msal-node/node_modules/@azure/msal-common',
    );
    expect(packageDir('./node_modules/ms/index.js')).toBe('node_modules/ms');
    expect(packageDir('./build/bundle/action/src/index.js')).toBeUndefined();
  });

  it('walks modules nested in concatenated ones', () => {
    expect(modulePaths({ modules: [{ name: 'a', modules: [{ name: 'b' }, { name: 'c', modules: [{ name: 'd' }] }] }] })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses a bundled package that ships no license file, or declares no license', () => {
    const dir = tempDir();
    const pkg = (name: string, manifest: object, files: Record<string, string> = {}) => {
      mkdirSync(join(dir, 'node_modules', name), { recursive: true });
      writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify(manifest));
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, 'node_modules', name, file), text);
      return `node_modules/${name}`;
    };
    expect(() => readPackage(dir, pkg('bare', { name: 'bare', version: '1.0.0', license: 'MIT' }))).toThrow(/ships no license file/);
    expect(() => readPackage(dir, pkg('silent', { name: 'silent', version: '1.0.0' }, { LICENSE: 'text' }))).toThrow(/declares no license/);
    const ok = readPackage(dir, pkg('fine', { name: 'fine', version: '2.0.0', license: 'Apache-2.0', repository: { url: 'git+https://example.test/fine.git' } }, { 'LICENSE.md': 'Apache text\r\n', NOTICE: 'notice text' }));
    expect(ok).toMatchObject({ name: 'fine', version: '2.0.0', license: 'Apache-2.0', repository: 'https://example.test/fine', licenseText: 'Apache text\n\nnotice text' });
    expect(noticesText([ok])).toContain('fine 2.0.0\nLicense: Apache-2.0\nSource: https://example.test/fine\n');
  });
});
