/** Writes the generated documentation; `--check` exits 1 instead when a file is stale (CI). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../emulator/repo-root.js';
import { troubleshootingMarkdown } from '../src/report/troubleshooting-doc.js';
import { generatedAction, generatedReadme } from '../src/report/readme.js';
import { corpusExamples } from '../emulator/corpus.js';

const root = repoRoot();
const files: Record<string, string> = {
  'docs/troubleshooting.md': troubleshootingMarkdown(corpusExamples()),
  'README.md': generatedReadme(root),
  'action.yml': generatedAction(root),
};
const check = process.argv.includes('--check');
let stale = 0;
for (const [path, content] of Object.entries(files)) {
  let current = '';
  try {
    current = readFileSync(join(root, path), 'utf8');
  } catch {
    // A missing file is stale.
  }
  if (current === content) continue;
  if (check) {
    console.error(`${path} is stale: run npm run docs`);
    stale++;
  } else {
    writeFileSync(join(root, path), content);
    console.log(`wrote ${path}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
