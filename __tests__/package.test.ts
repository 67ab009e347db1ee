/**
 * The package as npm publishes it and a release describes it: what `npm pack` would ship, the command's entry,
 * the Node versions, and a CHANGELOG.md section for the version being released.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../emulator/repo-root.js';
import { releaseNotes } from '../tools/changelog.js';

const root = repoRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  private?: boolean;
  license: string;
  bin: Record<string, string>;
  engines: { node: string };
};

describe('the npm package', () => {
  it('is publishable: not private, named, licensed as LICENSE says', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.name).toBe('foundry-keyless-check');
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 /);
  });

  it('ships the bundle, the command, the notices and the docs, and none of the sources or tests', () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const [packed] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const files = packed.files.map((f) => f.path);
    for (const file of ['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md', 'action.yml', 'dist/index.js', 'dist/licenses.txt', 'bin/foundry-keyless-check.mjs', 'docs/troubleshooting.md']) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((f) => /^(src|__tests__|emulator|scripts|tools|build|node_modules|examples|\.github|\.ci)\//.test(f))).toEqual([]);
  });

  it('names a command that node can start', () => {
    expect(Object.keys(pkg.bin)).toEqual(['foundry-keyless-check']);
    const entry = readFileSync(join(root, pkg.bin['foundry-keyless-check'] ?? ''), 'utf8');
    expect(entry.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(entry).toContain("import('../dist/cli/index.js')");
  });

  it('needs Node 22 or later and develops on Node 24', () => {
    expect(pkg.engines.node).toBe('>=22');
    expect(readFileSync(join(root, '.nvmrc'), 'utf8').trim()).toBe('24');
  });
});

describe('CHANGELOG.md', () => {
  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');

  it("has release notes for package.json's version", () => {
    expect(releaseNotes(changelog, pkg.version)?.length).toBeGreaterThan(20);
  });

  it('gives one section, up to the next, without its heading', () => {
    const text = '# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2026-12-01\n\n### Fixed\n\n- a\n\n## [1.0.0]\n\n- b\n';
    expect(releaseNotes(text, '1.1.0')).toBe('### Fixed\n\n- a');
    expect(releaseNotes(text, '1.0.0')).toBe('- b');
    expect(releaseNotes(text, 'Unreleased')).toBeUndefined();
    expect(releaseNotes(text, '1.0')).toBeUndefined();
    expect(releaseNotes(text, '2.0.0')).toBeUndefined();
  });
});
