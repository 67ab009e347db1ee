import { parseInputs, runnerInputs } from './config/inputs.js';
import { sendIdTokenRequest } from './evidence/github-oidc.js';
import type { SentEarly } from './check.js';

/*
 * The action's entry (dist/index.js); the local command has its own (dist/cli/index.js). It holds only what the
 * first request needs: with valid inputs and `auth: oidc`, the GitHub ID-token request leaves before the engine
 * (dist/engine/: the check, @actions/core, the reports) is even read from disk, and the engine loads while the
 * request is in flight. Loading it earlier would hold up the request's TLS handshake, which needs this thread too.
 */
const inputs = parseInputs(runnerInputs(process.env), process.env);

void sendFirstRequest()
  .then((early) =>
    import(/* webpackIgnore: true */ './engine/index.js').then(
      ({ run }) => run(inputs, early),
      (error: unknown) => {
        // Only a broken checkout reaches here (the engine reports every failure of its own): no service text, no secret.
        console.error(`The action could not load its engine (dist/engine/): ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      },
    ),
  )
  .finally(() => {
    // A connection a server left hanging must not keep the job alive once the verdict is out.
    setTimeout(() => process.exit(), 1000).unref();
  });

/**
 * The first ID-token request, when the inputs call for one; settles once the engine may load. A request that
 * failed before it was written (no token service for this job, no connection) is not handed over: the engine asks
 * again itself, and its stage reports or retries the failure, with nothing in flight for the SDK to load beside.
 */
async function sendFirstRequest(): Promise<SentEarly> {
  if (!inputs.ok || inputs.value.auth !== 'oidc') return {};
  let onSent = (): void => undefined;
  const written = new Promise<boolean>((resolve) => (onSent = () => resolve(true)));
  const idToken = sendIdTokenRequest(inputs.value.audience, onSent);
  const failedFirst = idToken.then(
    () => false,
    () => false,
  );
  return (await Promise.race([written, failedFirst])) ? { idToken } : {};
}
