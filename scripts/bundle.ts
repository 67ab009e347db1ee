/** `npm run bundle`: src/ into dist/, with the third-party notices (tools/bundler.ts). */
import { join } from 'node:path';
import { repoRoot } from '../emulator/repo-root.js';
import { bundle } from '../tools/bundler.js';

const root = repoRoot();
bundle(root, { out: join(root, 'dist'), work: join(root, 'build', 'bundle') });
