/**
 * How the action is bundled, in one place: TypeScript to JavaScript, ncc into one folder, and the third-party
 * notices of what ncc put there. `npm run bundle` writes dist/; the test suite bundles afresh into a folder of its
 * own (__tests__/support/fresh-bundle.ts), so end-to-end tests always run what src/ says today.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundledPackages, noticesText } from './third-party-notices.js';

const require = createRequire(import.meta.url);

export interface BundleOptions {
  /** Where index.js, its chunks, its assets and licenses.txt go (dist/ for the committed bundle). */
  readonly out: string;
  /** Scratch space for the compiled JavaScript and ncc's stats; must lie inside the repository, for node_modules. */
  readonly work: string;
}

/** The file the third-party notices are written to, in the bundle's folder. */
export const NOTICES_FILE = 'licenses.txt';

/**
 * The bundles, each minified (ncc minifies only the entry file of a bundle, not the chunks a dynamic import makes)
 * and each loaded only when it runs:
 * - the action's entry (dist/index.js, what action.yml runs): the inputs and the first request, nothing else;
 * - the engine (dist/engine/): the check and its reports, loaded by the action's entry once that request is on its
 *   way, and re-exported by the local command's entry (dist/cli/index.js, which bin/ imports);
 * - the bundles the engine loads on demand (src/engine/bundles.ts): the Azure SDK, and @actions/github for the
 *   action's pull-request comment.
 *
 * undici is called only by @actions/github (Octokit's fetch, and the ProxyAgent it has @actions/http-client
 * build), so it is bundled with it alone: elsewhere, @actions/http-client's import of it resolves to
 * src/lib/on-demand/undici.cjs, which nothing there calls, and its require is left out (`externals`).
 */
export const ENTRIES: readonly { readonly source: string; readonly folder: string; readonly externals?: readonly string[] }[] = [
  { source: 'index.js', folder: '.', externals: ['undici/index.js'] },
  { source: 'engine/index.js', folder: 'engine', externals: ['undici/index.js'] },
  { source: 'azure-sdk/index.js', folder: 'azure-sdk' },
  { source: 'github/index.js', folder: 'github' },
];

/** The local command's entry: the engine, by a path of its own (bin/ imports it). */
const CLI_ENTRY = "export { runCli } from '../engine/index.js';\n";

/*
 * One more resolution, set in tsconfig.json, where ncc reads `paths` for every import, node_modules' included:
 * undici, jsonwebtoken, tunnel and the proxy agents are files of src/lib/on-demand/, so they are bundled but
 * evaluated only when first called.
 */
export function bundle(root: string, { out, work }: BundleOptions): void {
  const compiled = join(work, 'action');
  const statsFile = join(work, 'ncc-stats.json');
  // ncc leaves chunks of an earlier build behind; a bundle folder holds nothing but what this build makes.
  for (const dir of [compiled, out]) rmSync(dir, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const run = (script: string, args: string[]): void => {
    execFileSync(process.execPath, [script, ...args], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  };
  run(require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', compiled]);
  const modules = ENTRIES.flatMap(({ source, folder, externals = [] }) => {
    const entryStats = join(work, `ncc-stats-${folder === '.' ? 'action' : folder}.json`);
    const external = externals.flatMap((name) => ['--external', name]);
    // --no-cache: ncc's cache (~/.cache/ncc, keyed by folder) keeps module resolutions across changes to
    // tsconfig.json's `paths`, so a machine that bundled an older commit in the same folder made a different dist/.
    run(require.resolve('@vercel/ncc/dist/ncc/cli.js'), ['build', join(compiled, 'src', source), '-o', join(out, folder), '--minify', '--no-cache', '--quiet', '--stats-out', entryStats, ...external]);
    return (JSON.parse(readFileSync(entryStats, 'utf8')) as { modules?: StatsModules }).modules ?? [];
  });
  mkdirSync(join(out, 'cli'), { recursive: true });
  writeFileSync(join(out, 'cli', 'index.js'), CLI_ENTRY);
  writeFileSync(join(out, 'cli', 'package.json'), readFileSync(join(out, 'engine', 'package.json')));
  // One notices file for all the bundles: every package any of them contains.
  const stats = { modules };
  writeFileSync(statsFile, JSON.stringify(stats));
  writeFileSync(join(out, NOTICES_FILE), noticesText(bundledPackages(root, stats)));
}

type StatsModules = NonNullable<Parameters<typeof bundledPackages>[1]['modules']>;
