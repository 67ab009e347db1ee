/**
 * The README's code map names every part of the tree, and nothing that is gone: a folder added or removed without
 * a line there fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../emulator/repo-root.js';

const root = repoRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const block = /The code is split[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

/** The names a map line starts with (`index.ts, main.ts`, `lib/, version.ts`), at the given indent. */
function named(indent: number): string[] {
  return block
    .split('\n')
    .filter((line) => line.length > indent && line.slice(0, indent).trim() === '' && line[indent] !== ' ')
    .flatMap((line) => (/^([^\s,]+(?:, [^\s,]+)*)/.exec(line.slice(indent))?.[1] ?? '').split(', '));
}

const entries = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));

describe("the README's code map", () => {
  it('is there', () => {
    expect(block).toContain('src/');
  });

  it('names every file and folder of src/, and only those', () => {
    expect(named(2).sort()).toEqual(entries('src').sort());
  });

  it('names every top-level folder of code, and only folders that exist', () => {
    const top = named(0).filter((name) => name !== 'src/');
    const code = ['src/', 'emulator/', 'scripts/', 'tools/', 'bin/', 'examples/', '__tests__/'];
    expect(top.sort()).toEqual(code.filter((name) => name !== 'src/').sort());
    for (const name of code) expect(entries('.')).toContain(name);
  });

  it("says what each script, each tool and each test folder is, by name", () => {
    // The text of a top-level line and the lines under it, up to the next top-level name.
    const text = (name: string): string => new RegExp(`^${name.replace('/', '\\/')}([^\\n]*(?:\\n {20,}[^\\n]*)*)`, 'm').exec(block)?.[1] ?? '';
    const stems = (dir: string): string[] => entries(dir).filter((e) => e.endsWith('.ts')).map((e) => e.replace(/\.ts$/, ''));
    for (const script of stems('scripts')) expect(text('scripts/')).toMatch(new RegExp(`\\b${script}\\b`));
    for (const tool of stems('tools')) expect(text('tools/')).toMatch(new RegExp(`\\b${tool}\\b`));
    // Folders that mirror a part of the code are named by "mirroring"; every other one by its name.
    const mirrored = [...entries('src'), 'emulator/', 'tools/'];
    const folders = entries('__tests__').filter((e) => e.endsWith('/') && !mirrored.includes(e));
    for (const folder of folders) expect(text('__tests__/')).toContain(folder);
  });
});
