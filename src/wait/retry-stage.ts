import type { DiagnosisCode, Facts } from '../decide/diagnosis.js';
import { timeCures } from '../decide/planes/transport.js';
import { firstLine } from '../lib/error-text.js';
import { nextStep } from './schedule.js';
import type { Timer } from './timer.js';

/** A failure that names its row of the troubleshooting table. */
export interface Diagnosed {
  readonly diagnosis: DiagnosisCode;
  readonly message: string;
  readonly facts?: Facts;
  /** Time will not cure this one, whatever its row says (see Classified.final). */
  readonly final?: boolean;
  /** How long the service asked to wait (Retry-After). */
  readonly retryAfterMs?: number;
}

/** A stage that failed for good: its diagnosis, and the wait the service asked for when that ended it. */
export class StageFailed extends Error {
  override readonly name = 'StageFailed';
  constructor(
    readonly failure: Diagnosed,
    readonly askedMs?: number,
  ) {
    super(failure.message);
  }
}

/**
 * Runs one stage of the sign-in (the GitHub token, the token exchange) again while it fails in a way time can
 * cure, on the same schedule and within the same deadline as the wait for access, honouring the service's
 * Retry-After. Configuration errors fail at once: retrying them would only delay the message that says what to
 * fix. Errors that name no row are thrown as they are.
 */
export async function retryingStage<T>(
  name: string,
  /** Called with the attempt's number, from 1. */
  attempt: (attempt: number) => Promise<T>,
  diagnosed: (error: unknown) => Diagnosed | undefined,
  options: { readonly timer: Timer; readonly deadlineMs: number; readonly log: (line: string) => void },
): Promise<{ value: T; attempts: number }> {
  const start = options.timer.now();
  for (let attempts = 1; ; attempts++) {
    try {
      return { value: await attempt(attempts), attempts };
    } catch (error) {
      const failure = diagnosed(error);
      if (!failure) throw error;
      if (!timeCures(failure)) throw new StageFailed(failure);
      const step = nextStep({
        attempt: attempts,
        elapsedMs: options.timer.now() - start,
        deadlineMs: options.deadlineMs,
        hintMs: failure.retryAfterMs,
        random: () => options.timer.random(),
      });
      if (step.kind === 'stop') throw new StageFailed(failure, step.askedMs);
      options.log(`${name}, attempt ${attempts}: ${failure.diagnosis} (${firstLine(failure.message)}); trying again in ${(step.delayMs / 1000).toFixed(1)} s.`);
      await options.timer.sleep(step.delayMs);
    }
  }
}
