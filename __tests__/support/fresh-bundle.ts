/**
 * Vitest global setup: bundles src/ afresh, the way `npm run bundle` does, into a folder of its own laid out like
 * the published package (dist/, bin/), so every end-to-end test runs what src/ says now rather than the committed
 * dist/ (whose freshness .ci/run checks separately). Test workers find it through FOUNDRY_KEYLESS_CHECK_BUNDLE.
 * Set that variable yourself (e.g. to `.`, the committed bundle) to skip the bundling when iterating on unit tests.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from '../../tools/bundler.js';
import { BUNDLE_VARIABLE } from '../../emulator/run-action.js';
import { repoRoot } from '../../emulator/repo-root.js';

export default function setup(): (() => void) | undefined {
  if (process.env[BUNDLE_VARIABLE]) return undefined;
  const root = repoRoot();
  mkdirSync(join(root, 'build'), { recursive: true });
  // Inside the repository, so ncc resolves node_modules from the compiled sources.
  const dir = mkdtempSync(join(root, 'build', 'fresh-bundle-'));
  bundle(root, { out: join(dir, 'dist'), work: join(dir, 'work') });
  cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
  process.env[BUNDLE_VARIABLE] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
