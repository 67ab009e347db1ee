import type { EmulatorContext } from './context.js';
import type { FoundryResource } from './scenario.js';

/** When the scenario's account and its standing deployments were made: long before any run. */
export const LONG_AGO = '2025-01-06T09:00:00.0000000Z';

/** One model deployment of an account as it stands now: what ARM lists, and whether the data plane serves it. */
export interface DeploymentNow {
  readonly name: string;
  readonly provisioningState: string;
  readonly served: boolean;
  /** `systemData.createdAt` (and `lastModifiedAt`). */
  readonly createdAt: string;
}

/**
 * The account's deployments now: the standing ones (served, Succeeded) and those made as the run started, which are
 * `Creating` and not served until their time has passed, and then served only if they `Succeeded`.
 */
export function deploymentsNow(context: EmulatorContext, resource: FoundryResource): DeploymentNow[] {
  const elapsedSeconds = (context.now() - context.startedAt) / 1000;
  const started = new Date(context.startedAt).toISOString();
  return [
    ...resource.deployments.map((name) => ({ name, provisioningState: 'Succeeded', served: true, createdAt: LONG_AGO })),
    ...resource.newDeployments.map((d) => {
      const done = elapsedSeconds >= d.servedAfterSeconds;
      return { name: d.name, provisioningState: done ? d.provisioningState : 'Creating', served: done && d.provisioningState === 'Succeeded', createdAt: started };
    }),
  ];
}
