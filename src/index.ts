import * as core from '@actions/core';
import { run } from './main.js';

run()
  .catch((error: unknown) => {
    // Only a bug reaches here: every expected failure is a diagnosis.
    core.setFailed(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  })
  .finally(() => {
    // A connection a server left hanging must not keep the job alive once the verdict is out.
    setTimeout(() => process.exit(), 1000).unref();
  });
