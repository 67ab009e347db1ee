import type { EmulatorUrls } from './context.js';
import { AZURE_FEDERATION_AUDIENCE, type Scenario } from './scenario.js';

/**
 * The variables a GitHub-hosted runner gives a job with `id-token: write`, pointing at the emulator,
 * plus NODE_EXTRA_CA_CERTS so a Node process trusts the emulator's certificate. A run without the
 * permission gets neither ACTIONS_ID_TOKEN_* variable, exactly as on GitHub.
 */
export function runnerEnv(scenario: Scenario, urls: EmulatorUrls, runtimeToken: string, caFile: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (!scenario.github.idTokenUnavailable) {
    env.ACTIONS_ID_TOKEN_REQUEST_URL = `${urls.github}/token?api-version=2.0`;
    env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = runtimeToken;
  }
  // GitHub's REST API (pull-request comments) is served by the same emulated host.
  env.GITHUB_API_URL = urls.github;
  env.NODE_EXTRA_CA_CERTS = caFile;
  return env;
}

/** Action inputs that aim the action at the emulator: the first app, every resource, a Custom cloud and its audience. */
export function actionInputs(scenario: Scenario, urls: EmulatorUrls): Record<string, string> {
  return {
    'client-id': scenario.apps[0]?.clientId ?? '',
    'tenant-id': scenario.tenantId,
    'resource-id': scenario.resources.map((r) => r.id).join('\n'),
    cloud: 'Custom',
    'authority-host': urls.entra,
    'resource-manager-endpoint': urls.arm,
    audience: AZURE_FEDERATION_AUDIENCE,
  };
}

/** The GITHUB_* context variables of the scenario's workflow run, for running an action outside Actions. */
export function githubContextEnv(scenario: Scenario): Record<string, string> {
  const run = scenario.github.claims;
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: run.repository,
    GITHUB_REPOSITORY_OWNER: run.repository_owner,
    GITHUB_REF: run.ref,
    GITHUB_REF_TYPE: run.ref_type,
    GITHUB_EVENT_NAME: run.event_name,
    GITHUB_WORKFLOW_REF: run.workflow_ref,
    GITHUB_RUN_ID: run.run_id,
    GITHUB_RUN_NUMBER: run.run_number,
    GITHUB_RUN_ATTEMPT: run.run_attempt,
    GITHUB_ACTOR: run.actor,
  };
}

/** Inputs as @actions/core reads them: `INPUT_` + the name upper-cased, spaces as underscores, hyphens kept. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]));
}
