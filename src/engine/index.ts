/**
 * The engine: the check, its reports and both front ends, bundled once (dist/engine/) behind the two entries. The
 * action's entry (index.ts) loads it once its first request is on its way; the local command's entry
 * (dist/cli/index.js, written by tools/bundler.ts) re-exports it.
 */
export { run } from '../main.js';
export { runCli } from '../cli.js';
