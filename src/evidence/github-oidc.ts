import type { ClientRequest } from 'node:http';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Presented } from '../decide/diagnosis.js';
import type { IdTokenAnswer } from '../decide/planes/github-oidc.js';
import { HttpClient } from '@actions/http-client';
import { BearerCredentialHandler } from '@actions/http-client/lib/auth';
import { readClaims, stringClaim } from './jwt-claims.js';
import { transportKind } from './transport.js';
import { BODY_LIMITS, readCapped } from '../lib/bounded-body.js';
import { REQUEST_TIMEOUT_MS } from '../lib/budget.js';
import { err, ok, type Result } from '../lib/result.js';

/** No GitHub ID token: what the runner or the token service said (decide/planes/github-oidc.ts says what it means). */
export class IdTokenError extends Error {
  override readonly name = 'IdTokenError';
  constructor(readonly answer: IdTokenAnswer) {
    super(answer.message);
  }
}

/** What the workflow presents to Entra ID, read from its GitHub ID token. */
export function presentedIdentity(idToken: string): Presented {
  const claims = readClaims(idToken) ?? {};
  return {
    issuer: stringClaim(claims, 'iss'),
    subject: stringClaim(claims, 'sub'),
    audience: stringClaim(claims, 'aud'),
    workflowRef: stringClaim(claims, 'job_workflow_ref'),
  };
}

/**
 * Asks the runner's token service for an ID token, as @actions/core would, with two differences: a redirect is
 * not followed (@actions/http-client puts the runtime token back on a request redirected to another host), and
 * the answer is read only up to a cap and a deadline. Retries are the caller's, which knows the run's budget; so
 * is masking, which needs the runner's log (this runs before @actions/core loads, and nothing prints meanwhile).
 */
async function requestIdToken(audience: string, onSent?: () => void): Promise<string> {
  const requestUrl = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) {
    throw new IdTokenError({ offered: false, message: 'ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set for this job' });
  }
  const client = new HttpClient('actions/oidc-client', [new BearerCredentialHandler(requestToken)], {
    allowRedirects: false,
    allowRetries: false,
    socketTimeout: REQUEST_TIMEOUT_MS,
  });
  const failure = (status: number, text: string): IdTokenError =>
    new IdTokenError({ offered: true, status, message: `Failed to get ID Token. Error Code : ${status} Error Message: ${text.slice(0, 500)}` });
  let status: number;
  let text: string;
  if (onSent) whenNextRequestSent(onSent);
  try {
    const response = await client.get(`${requestUrl}&audience=${encodeURIComponent(audience)}`);
    status = response.message.statusCode ?? 0;
    text = await readCapped(response.message, {
      limit: BODY_LIMITS.githubOidc,
      timeoutMs: REQUEST_TIMEOUT_MS,
      contentLength: response.message.headers['content-length'],
    });
  } catch (error) {
    const transport = transportKind(error);
    throw new IdTokenError({ offered: true, message: `Failed to get ID Token: ${error instanceof Error ? error.message : String(error)}`, ...(transport ? { transport } : {}) });
  }
  if (status >= 300 && status < 400) {
    throw new IdTokenError({ offered: true, status, message: `The GitHub token service answered HTTP ${status}, a redirect; it is not followed, so the runtime token goes nowhere else.` });
  }
  if (status !== 200) throw failure(status, text);
  let token: unknown;
  try {
    token = (JSON.parse(text) as { value?: unknown } | null)?.value;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '') throw failure(status, 'the answer has no ID token (no "value")');
  return token;
}

/**
 * The answer to the first ID-token request, as data: the entry that sends it is a bundle of its own, so an
 * IdTokenError from there is not an instance of the engine's class.
 */
export type SentIdToken = Result<string, IdTokenAnswer>;

/**
 * The first ID-token request, sent by the action's entry before the rest of the action has loaded (src/index.ts):
 * `sent` is called once it is on its way, and not at all when it fails before. The answer waits for
 * GitHubIdTokens.start to take it.
 */
export function sendIdTokenRequest(audience: string, sent?: () => void): Promise<SentIdToken> {
  const answer = (async (): Promise<SentIdToken> => {
    try {
      return ok(await requestIdToken(audience, sent));
    } catch (error) {
      if (error instanceof IdTokenError) return err(error.answer);
      throw error;
    }
  })();
  // Only a bug rejects; it surfaces when the check takes the answer, not as an unhandled rejection before.
  answer.catch(() => undefined);
  return answer;
}

const REQUEST_START = 'http.client.request.start';

/**
 * Calls `sent` once the next HTTP request of this process has been written to its socket. Work started then (the
 * Azure SDK's loading) runs while the request is in flight without holding up its TLS handshake, which needs this
 * thread too.
 */
function whenNextRequestSent(sent: () => void): void {
  const started = (message: unknown): void => {
    unsubscribe(REQUEST_START, started);
    (message as { request: ClientRequest }).request.once('finish', sent);
  };
  subscribe(REQUEST_START, started);
}

/** How long a GitHub token is handed out again: young enough that Entra always gets one with most of its life left. */
const REUSE_FOR_MS = 60_000;

/**
 * GitHub ID tokens for one audience, each requested fresh once the last is no longer young. msal asks for an
 * assertion on every token request, cache hits included, so handing out a young token again saves a round
 * trip per call; asking anew once it ages means a long wait never presents an expired one (GitHub's tokens live
 * about five minutes).
 */
export class GitHubIdTokens {
  private constructor(
    private readonly audience: string,
    private readonly mask: (secret: string) => void,
    private readonly now: () => number,
    private last: { token: string; reuseUntil: number },
  ) {}

  /**
   * The first token, masked before anything else can print it: the answer to `sent` when the entry sent the
   * request already, else a new request, with `onSent` called once it is on its way.
   */
  static async start(
    audience: string,
    mask: (secret: string) => void,
    { sent, onSent, now = Date.now }: { sent?: Promise<SentIdToken>; onSent?: () => void; now?: () => number } = {},
  ): Promise<{ tokens: GitHubIdTokens; presented: Presented }> {
    const first = sent ? unwrap(await sent) : await requestIdToken(audience, onSent);
    mask(first);
    const tokens = new GitHubIdTokens(audience, mask, now, { token: first, reuseUntil: reuseUntil(first, now()) });
    return { tokens, presented: presentedIdentity(first) };
  }

  /** The assertion callback for ClientAssertionCredential. */
  readonly next = async (): Promise<string> => {
    if (this.now() < this.last.reuseUntil) return this.last.token;
    const token = await requestIdToken(this.audience);
    this.mask(token);
    this.last = { token, reuseUntil: reuseUntil(token, this.now()) };
    return token;
  };
}

function unwrap(answer: SentIdToken): string {
  if (!answer.ok) throw new IdTokenError(answer.error);
  return answer.value;
}

/** Until when a token may be handed out again: half its lifetime, and never more than REUSE_FOR_MS. */
export function reuseUntil(token: string, receivedAt: number): number {
  const claims = readClaims(token);
  const iat = claims?.iat;
  const exp = claims?.exp;
  const lifetimeMs = typeof iat === 'number' && typeof exp === 'number' && exp > iat ? (exp - iat) * 1000 : 0;
  return receivedAt + Math.min(REUSE_FOR_MS, lifetimeMs / 2);
}
