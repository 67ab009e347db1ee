import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root: the nearest folder above this file with an action.yml, whether run from source or from build/. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'action.yml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no action.yml above the test support code');
    dir = parent;
  }
  return dir;
}
