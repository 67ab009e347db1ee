import { runnerLog } from './report/log-sink.js';
import { run } from './main.js';

// The action's entry (dist/index.js). The local command has its own (dist/cli/index.js, from cli.ts).
run()
  .catch((error: unknown) => {
    // Only a bug reaches here: every expected failure is a diagnosis.
    // Through the sink: the message may quote a service, or a token.
    runnerLog.error(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => {
    // A connection a server left hanging must not keep the job alive once the verdict is out.
    setTimeout(() => process.exit(), 1000).unref();
  });
