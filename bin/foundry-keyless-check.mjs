#!/usr/bin/env node
// The local command. It shares dist/index.js with the action; the variable tells that bundle not to run as one.
process.env.FOUNDRY_KEYLESS_CHECK_CLI = '1';
const { runCli } = await import('../dist/index.js');
process.exitCode = await runCli(process.argv.slice(2));
// Like the action, never hang on a connection a server left open once the verdict is printed.
setTimeout(() => process.exit(), 1000).unref();
