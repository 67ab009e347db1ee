import { rowFor, type DiagnosisCode } from './decide/diagnosis.js';
import { nextStep } from './decide/retry.js';
import type { Timer } from './wait-for-access.js';
import { firstLine } from './lib/error-text.js';

/** A failure that names its row of the troubleshooting table. */
export interface Diagnosed {
  readonly diagnosis: DiagnosisCode;
  readonly message: string;
}

/**
 * Runs one stage of the sign-in (the GitHub token, the token exchange) again while it fails in a way time can
 * cure, on the same schedule and within the same deadline as the wait for access. Configuration errors are
 * thrown at once: retrying them would only delay the message that says what to fix.
 */
export async function retryingStage<T>(
  name: string,
  attempt: () => Promise<T>,
  diagnosed: (error: unknown) => Diagnosed | undefined,
  options: { readonly timer: Timer; readonly deadlineMs: number; readonly log: (line: string) => void },
): Promise<{ value: T; attempts: number }> {
  const start = options.timer.now();
  for (let attempts = 1; ; attempts++) {
    try {
      return { value: await attempt(), attempts };
    } catch (error) {
      const failure = diagnosed(error);
      if (!failure || rowFor(failure.diagnosis).retry !== 'transient') throw error;
      const step = nextStep({ attempt: attempts, elapsedMs: options.timer.now() - start, deadlineMs: options.deadlineMs, random: () => options.timer.random() });
      if (step.kind === 'stop') throw error;
      options.log(`${name}, attempt ${attempts}: ${failure.diagnosis} (${firstLine(failure.message)}); trying again in ${(step.delayMs / 1000).toFixed(1)} s.`);
      await options.timer.sleep(step.delayMs);
    }
  }
}
