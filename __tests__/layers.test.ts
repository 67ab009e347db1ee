/**
 * The layers of src/, lowest first: pure decisions and small helpers (decide/, lib/), then the inputs and their
 * tables (config/), then the adapters (evidence/) and the renderers (report/), then the flow (check.ts, wait/),
 * then the entries (the action, the CLI and the engine behind both). A file imports only from its own layer or lower ones, and evidence
 * and report do not import each other: adapters report what was said, renderers show what was decided.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../emulator/repo-root.js';

const root = repoRoot();
const SRC = join(root, 'src');

const LAYERS: readonly { readonly name: string; readonly level: number; readonly holds: (path: string) => boolean }[] = [
  { name: 'decide', level: 0, holds: (p) => p.startsWith('decide/') },
  // version.ts reads package.json, nothing else. What the bundles of their own hold (azure-sdk/, github/) and their
  // loader sit where dist/ has them, since the engine loads them by a path relative to its bundle (engine/bundles.ts).
  { name: 'lib', level: 0, holds: (p) => p.startsWith('lib/') || ['version.ts', 'engine/bundles.ts'].includes(p) || p.startsWith('azure-sdk/') || p.startsWith('github/') },
  { name: 'config', level: 1, holds: (p) => p.startsWith('config/') },
  { name: 'evidence', level: 2, holds: (p) => p.startsWith('evidence/') },
  { name: 'report', level: 2, holds: (p) => p.startsWith('report/') },
  { name: 'flow', level: 3, holds: (p) => p === 'check.ts' || p.startsWith('wait/') },
  { name: 'entries', level: 4, holds: (p) => ['index.ts', 'main.ts', 'cli.ts', 'engine/index.ts'].includes(p) },
];

function layerOf(path: string): (typeof LAYERS)[number] {
  const layer = LAYERS.find((l) => l.holds(path));
  if (!layer) throw new Error(`src/${path} is in no layer: give it one in this test`);
  return layer;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Every relative import of a file, static or dynamic, as a path under the repository. */
function imports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(root, resolve(dirname(file), name.replace(/\.js$/, '.ts'))));
}

const edges = sources(SRC).flatMap((file) => imports(file).map((to) => ({ from: relative(root, file), to })));

describe('the layers of src/', () => {
  it('finds the imports it judges', () => {
    expect(edges).toContainEqual({ from: 'src/check.ts', to: 'src/decide/verdict.ts' });
    expect(edges).toContainEqual({ from: 'src/main.ts', to: 'src/report/pr-comment.ts' });
  });

  it('puts every file in a layer', () => {
    for (const file of sources(SRC)) expect(() => layerOf(relative(SRC, file))).not.toThrow();
  });

  it('imports nothing from outside src/ but package.json', () => {
    expect(edges.filter(({ to }) => !to.startsWith('src/') && to !== 'package.json')).toEqual([]);
  });

  it('has no file importing a higher layer, and no adapter importing a renderer or back', () => {
    const wrong = edges.flatMap(({ from, to }) => {
      const a = layerOf(relative('src', from));
      if (!to.startsWith('src/')) return [];
      const b = layerOf(relative('src', to));
      const sideways = a.level === b.level && a.name !== b.name && a.level === 2;
      return b.level > a.level || sideways ? [`${from} (${a.name}) imports ${to} (${b.name})`] : [];
    });
    expect(wrong).toEqual([]);
  });
});

describe('the parts around src/', () => {
  const parts = ['emulator', 'scripts', 'tools', '__tests__'].filter((part) => existsSync(join(root, part)));
  const files = parts.flatMap((part) => sources(join(root, part)).map((file) => relative(root, file)));
  const outward = files.flatMap((from) => imports(join(root, from)).map((to) => ({ from, to })));

  it('import nothing from scripts/ (entry points only) and, outside the tests, nothing from __tests__/', () => {
    expect(outward.filter(({ from, to }) => to.startsWith('scripts/') && !from.startsWith('scripts/'))).toEqual([]);
    expect(outward.filter(({ from, to }) => to.startsWith('__tests__/') && !from.startsWith('__tests__/'))).toEqual([]);
  });
});
