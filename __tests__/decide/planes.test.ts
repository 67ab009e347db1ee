/**
 * Answers become diagnosis codes in one place per plane. Each case here is the shape of a recorded answer
 * (the corpus replays the recordings themselves end to end); these pin the rules exhaustively and fast.
 */
import { describe, expect, it } from 'vitest';
import { plainText, render, rowFor } from '../../src/decide/diagnosis.js';
import { classifyArmRefusal } from '../../src/decide/planes/arm.js';
import { classifyProbe, type ProbeEvidence } from '../../src/decide/planes/data-plane.js';
import { classifyEntra, codeForEntraError } from '../../src/decide/planes/entra.js';
import { classifyIdToken } from '../../src/decide/planes/github-oidc.js';
import { classifyTransport } from '../../src/decide/planes/transport.js';

describe('Entra ID', () => {
  it.each([
    [70021, 'federated-credential-mismatch', undefined],
    [700211, 'federated-credential-mismatch', 'issuer'],
    [700212, 'federated-credential-mismatch', 'audience'],
    [700213, 'federated-credential-mismatch', 'subject'],
    [7002137, 'federated-credential-mismatch', 'subject'],
    [7002138, 'federated-credential-mismatch', 'subject-case'],
    [70025, 'federated-credential-mismatch', 'none-configured'],
    [7000229, 'service-principal-missing', undefined],
    [700016, 'app-not-found', undefined],
    [90002, 'tenant-not-found', undefined],
    [700024, 'assertion-expired', undefined],
    [7000112, 'entra-error', undefined],
    [500011, 'entra-error', undefined],
  ])('AADSTS%s is %s (claim %s)', (code, diagnosis, claim) => {
    const classified = classifyEntra({ status: 400, entraCode: code, description: `AADSTS${code}: …` });
    expect(classified.diagnosis).toBe(diagnosis);
    expect(classified.facts.mismatchedClaim).toBe(claim);
    expect(codeForEntraError(code)).toBe(diagnosis);
  });

  it('names the subject Entra expects, and says a case-only difference is one', () => {
    const expected = classifyEntra({ status: 401, entraCode: 7002137, description: "AADSTS7002137: No matching … Please make sure the federated identity credential Subject is 'repo:o/r:environment:prod'." });
    expect(expected.facts.expectedSubject).toBe('repo:o/r:environment:prod');
    expect(plainText(render({ code: 'federated-credential-mismatch', facts: expected.facts }))).toContain('Entra ID expects the subject `repo:o/r:environment:prod`');
    const cased = classifyEntra({ status: 401, entraCode: 7002138, description: 'AADSTS7002138: …' });
    expect(plainText(render({ code: 'federated-credential-mismatch', facts: cased.facts }))).toContain('differs only in upper and lower case');
    const none = classifyEntra({ status: 401, error: 'invalid_client', entraCode: 70025, description: 'AADSTS70025: Client application has no configured federated identity credentials.' });
    const text = plainText(render({ code: 'federated-credential-mismatch', facts: { ...none.facts, clientId: '11111111-2222-3333-4444-555555555555' } }));
    expect(text).toContain('It has none at all');
    expect(text).toContain('az ad app federated-credential create --id 11111111-2222-3333-4444-555555555555');
  });

  it('tells time-curable answers from the rest by status when there is no AADSTS code', () => {
    expect(classifyEntra({ status: 429, description: 'busy', retryAfterMs: 5000 }).diagnosis).toBe('throttled');
    expect(classifyEntra({ status: 503, description: 'down' }).diagnosis).toBe('service-unavailable');
    expect(classifyEntra({ status: 200, description: 'an empty answer' }).diagnosis).toBe('service-unavailable');
    expect(classifyEntra({ description: 'connect ECONNREFUSED', transport: 'connection-refused' })).toMatchObject({ diagnosis: 'service-unavailable' });
    expect(classifyEntra({ status: 400, description: 'something else' }).diagnosis).toBe('entra-error');
    expect(classifyEntra({ description: 'ChainedTokenCredential authentication failed.', noCredential: true }).diagnosis).toBe('not-signed-in');
  });

  it('reads a code the table does not name by its status: Entra codes its outages and throttling too', () => {
    expect(classifyEntra({ status: 503, error: 'temporarily_unavailable', entraCode: 90006, description: 'AADSTS90006: The service is temporarily unavailable.' }).diagnosis).toBe('service-unavailable');
    expect(classifyEntra({ status: 429, entraCode: 90055, description: 'AADSTS90055: There are too many incoming requests.' }).diagnosis).toBe('throttled');
    expect(classifyEntra({ status: 500, entraCode: 50000, description: 'AADSTS50000: There was an error issuing a token.' }).diagnosis).toBe('service-unavailable');
    expect(classifyEntra({ status: 400, entraCode: 7000112, description: 'AADSTS7000112: Application is disabled.' }).diagnosis).toBe('entra-error');
    // A code the table names decides, whatever the status.
    expect(classifyEntra({ status: 500, entraCode: 700016, description: 'AADSTS700016: not found' }).diagnosis).toBe(codeForEntraError(700016));
  });
});

describe('GitHub OIDC', () => {
  it.each([
    [{ offered: false, message: 'not set' }, 'id-token-unavailable', false],
    [{ offered: true, status: 403, message: 'Forbidden' }, 'id-token-unavailable', false],
    [{ offered: true, status: 429, message: 'slow' }, 'throttled', false],
    [{ offered: true, status: 503, message: 'down' }, 'service-unavailable', false],
    [{ offered: true, transport: 'dns-temporary' as const, message: 'getaddrinfo EAI_AGAIN h' }, 'service-unavailable', false],
    [{ offered: true, transport: 'dns-not-found' as const, message: 'getaddrinfo ENOTFOUND h' }, 'service-unavailable', true],
    [{ offered: true, transport: 'proxy-refused' as const, message: 'statusCode=407' }, 'service-unavailable', true],
    [{ offered: true, status: 407, transport: 'proxy-refused' as const, message: 'HTTP 407' }, 'service-unavailable', true],
  ])('%j is %s, final %s', (answer, diagnosis, final) => {
    const classified = classifyIdToken(answer);
    expect(classified.diagnosis).toBe(diagnosis);
    expect(classified.final ?? false).toBe(final);
  });

  it('a network fault on the way is never a missing id-token: write', () => {
    for (const kind of ['dns-not-found', 'dns-temporary', 'proxy-refused', 'connection-reset', 'timeout', 'tls'] as const) {
      expect(classifyTransport(kind, kind).diagnosis).toBe('service-unavailable');
    }
  });
});

describe('Azure Resource Manager: refusals time does not cure', () => {
  it('reports any other 4xx at once, and waits out 408 and 5xx', () => {
    expect(classifyArmRefusal({ status: 400, code: 'InvalidApiVersionParameter', message: "The api-version '2022-05-01-preview' is invalid." }).diagnosis).toBe('request-refused');
    expect(classifyArmRefusal({ status: 409, code: 'Conflict' }).diagnosis).toBe('request-refused');
    expect(rowFor('request-refused').retry).toBe('never');
    expect(classifyArmRefusal({ status: 408 })).toMatchObject({ diagnosis: 'service-unavailable' });
    expect(classifyArmRefusal({ status: 503 })).toMatchObject({ diagnosis: 'service-unavailable' });
    expect(classifyArmRefusal({ status: 429 }).diagnosis).toBe('throttled');
  });
});

describe('Azure Resource Manager', () => {
  it.each([
    [404, 'ResourceNotFound', 'x', 'resource-not-found'],
    [400, 'InvalidResourceId', 'x', 'resource-not-found'],
    [401, 'InvalidAuthenticationTokenTenant', 'The access token is from the wrong issuer', 'token-rejected'],
    [403, 'AuthorizationFailed', 'does not have authorization', 'cannot-verify'],
    [403, 'Forbidden', 'Public access is disabled. Please configure private endpoint.', 'network-blocked'],
    [429, 'SubscriptionRequestsThrottled', 'x', 'throttled'],
    [500, 'InternalServerError', 'x', 'service-unavailable'],
  ])('%s %s is %s', (status, code, message, diagnosis) => {
    expect(classifyArmRefusal({ status, code, message }).diagnosis).toBe(diagnosis);
  });

  it("advises on the tenant and the sign-in for ARM's 401, on the scope for the data plane's", () => {
    const arm = classifyArmRefusal({ status: 401, code: 'InvalidAuthenticationTokenTenant', message: 'wrong issuer' });
    const armText = plainText(render({ code: 'token-rejected', facts: { ...arm.facts, resourceId: '/subscriptions/s1/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a' } }));
    expect(armText).toContain('Set `tenant-id` to the tenant');
    expect(armText).toContain('az account show --subscription s1');
    expect(armText).not.toContain('token-scope');
    const data = classifyProbe(answered(401, undefined, 'Unauthorized. Access token is missing, invalid, audience is incorrect'));
    expect(plainText(render({ code: data.diagnosis, facts: data.facts }))).toContain('token-scope');
  });
});

const answered = (status: number, code?: string, message?: string): ProbeEvidence => ({ kind: 'answered', status, code, message, endpoint: 'https://a.services.ai.azure.com/', chatCompletion: status < 300 });

describe('the data plane', () => {
  it('reads the data action a denial names, with or without backticks', () => {
    const bare = classifyProbe(answered(401, 'PermissionDenied', 'The principal X lacks the required data action Microsoft.CognitiveServices/accounts/AIServices/agents/read to perform GET /x operation.'));
    expect(bare.facts.missingDataActions).toEqual(['Microsoft.CognitiveServices/accounts/AIServices/agents/read']);
    const quoted = classifyProbe(answered(401, 'PermissionDenied', 'The principal `p` lacks the required data action `Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action`.'));
    expect(quoted.facts.missingDataActions).toEqual(['Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action']);
    const ending = classifyProbe(answered(403, undefined, 'lacks the required data action Microsoft.CognitiveServices/accounts/MaaS/*.'));
    expect(ending.facts.missingDataActions).toEqual(['Microsoft.CognitiveServices/accounts/MaaS/*']);
  });

  it('a 400 about the request body proves access and says what about the model was off', () => {
    const classified = classifyProbe(answered(400, 'unsupported_parameter', "Unsupported parameter: 'max_tokens' is not supported with this model."));
    expect(classified.diagnosis).toBe('ok');
    expect(classified.facts.modelNote).toContain('max_tokens');
    expect(plainText(render({ code: 'ok', facts: classified.facts }))).toContain('refused the probe');
    expect(classifyProbe(answered(400, 'OperationNotSupported', 'The chatCompletion operation does not work with the specified model')).diagnosis).toBe('ok');
  });

  it('a 400 before authorization, or about an unknown model, proves nothing', () => {
    expect(classifyProbe(answered(400, 'BadRequest', 'Please provide an authentication key.')).diagnosis).toBe('custom-subdomain-missing');
    expect(classifyProbe(answered(400, 'unknown_model', 'Unknown model: x')).diagnosis).toBe('model-not-found');
    expect(classifyProbe(answered(400)).diagnosis).toBe('service-unavailable');
  });

  it.each([
    ['Access denied due to Virtual Network/Firewall rules.'],
    ['Public access is disabled. Please configure private endpoint.'],
    ['A Virtual Network is configured for this resource. Please use the correct endpoint for making requests. Check https://aka.ms/cogsvc-vnet for more details.'],
  ])('a 403 from network rules is network-blocked, never waited on: %s', (message) => {
    const classified = classifyProbe(answered(403, '403', message));
    expect(classified.diagnosis).toBe('network-blocked');
    expect(render({ code: 'network-blocked', facts: classified.facts }).cause).toContain('GitHub-hosted runners call from outside your networks');
  });

  it('classifies a failed data-plane token request with the Entra table, not as an outage', () => {
    const classified = classifyProbe({ kind: 'token-failed', answer: { status: 400, entraCode: 500011, description: 'AADSTS500011: The resource principal named https://ai.azure.com was not found' } });
    expect(classified.diagnosis).toBe('entra-error');
  });
});
