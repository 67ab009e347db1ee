/** `npm run release-notes -- X.Y.Z`: prints that version's CHANGELOG.md section (the release workflow's notes). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../emulator/repo-root.js';
import { releaseNotes } from '../tools/changelog.js';

const version = process.argv[2] ?? '';
const notes = releaseNotes(readFileSync(join(repoRoot(), 'CHANGELOG.md'), 'utf8'), version);
if (notes === undefined) {
  console.error(`CHANGELOG.md has no section "## [${version}]" with notes in it`);
  process.exitCode = 1;
} else {
  process.stdout.write(`${notes}\n`);
}
