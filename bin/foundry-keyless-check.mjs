#!/usr/bin/env node
// The local command. Its entry, dist/cli/index.js, hands out the engine (dist/engine/) that the action runs too.
const { runCli } = await import('../dist/cli/index.js');
process.exitCode = await runCli(process.argv.slice(2));
// Like the action, never hang on a connection a server left open once the verdict is printed.
setTimeout(() => process.exit(), 1000).unref();
