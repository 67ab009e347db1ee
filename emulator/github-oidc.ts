import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from './context.js';
import { epochSeconds } from './context.js';
import { GITHUB_ISSUER } from './scenario.js';
import type { ServiceHandler, ServiceReply } from './service-host.js';

/**
 * GitHub Actions' OIDC token service, as `core.getIDToken()` calls it:
 * `GET /token?api-version=2.0&audience=…` with the runner's runtime token as bearer → `{"value":"<jwt>"}`.
 * Tokens are signed as the real GitHub issuer; only the emulated Entra trusts that signature.
 */
export function githubOidcHandler(context: EmulatorContext): ServiceHandler {
  return (request) => {
    const path = request.path.toLowerCase();
    if (request.method !== 'GET') return message(405, `${request.method} is not supported here.`);
    if (path === '/.well-known/openid-configuration') return { status: 200, json: discoveryDocument(context) };
    if (path === '/.well-known/jwks') return { status: 200, json: { keys: [context.githubKey.jwk()] } };
    if (path !== '/token') return message(404, 'Not Found');

    if (request.bearer !== context.runtimeToken) {
      return message(401, 'Bad credentials: the bearer token is not this run\'s ACTIONS_ID_TOKEN_REQUEST_TOKEN.');
    }
    if (context.scenario.github.idTokenUnavailable) {
      return message(403, 'This job was not granted an OIDC token: the workflow lacks `permissions: id-token: write`.');
    }
    const token = issueIdToken(context, request.query.audience);
    context.issuedTokens.push(token);
    // GitHub's answer also carries `count`, the token's length.
    return { status: 200, json: { count: token.length, value: token } };
  };
}

function issueIdToken(context: EmulatorContext, requestedAudience: string | undefined): string {
  const run = context.scenario.github;
  const iat = epochSeconds(context) - run.tokenAgeSeconds;
  // GitHub's default audience is the URL of the repository owner.
  const aud = requestedAudience || `https://github.com/${run.claims.repository_owner}`;
  const claims = {
    jti: randomUUID(),
    ...run.claims,
    aud,
    iss: GITHUB_ISSUER,
    nbf: iat,
    exp: iat + run.tokenLifetimeSeconds,
    iat,
  };
  return context.githubKey.sign(claims, { x5t: context.githubKey.kid });
}

function discoveryDocument(context: EmulatorContext): Record<string, unknown> {
  return {
    issuer: GITHUB_ISSUER,
    // Points at the emulator, not GitHub, so a verifier following it finds the emulator's key.
    jwks_uri: `${context.urls.github}/.well-known/jwks`,
    subject_types_supported: ['public', 'pairwise'],
    response_types_supported: ['id_token'],
    claims_supported: [
      'sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'repository_owner', 'run_id',
      'run_number', 'run_attempt', 'actor', 'workflow_ref', 'job_workflow_ref', 'event_name', 'ref_type', 'environment',
    ],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid'],
  };
}

function message(status: number, text: string): ServiceReply {
  return { status, json: { message: text } };
}
