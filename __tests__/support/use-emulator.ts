import { afterEach } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';

/**
 * `startEmulator` for one test file, closing every emulator a test started once that test is done. For files
 * whose tests run one at a time: concurrent tests close their own emulator (try/finally), since an afterEach
 * here would close a neighbour's mid-run.
 */
export function useEmulator(): typeof startEmulator {
  const started: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  });
  return async (...args) => {
    const emulator = await startEmulator(...args);
    started.push(emulator);
    return emulator;
  };
}
