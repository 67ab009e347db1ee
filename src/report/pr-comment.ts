import type { RunReport } from './run-report.js';
import { loadGitHub, type GitHub } from '../engine/bundles.js';
import { summaryMarkdown } from './summary.js';
import { errorLine } from '../lib/error-text.js';
import { guardOctokitOrigin } from '../config/origin-policy.js';
import { scrub } from '../lib/secrets.js';
import { Budget, BudgetExpiredError, REQUEST_TIMEOUT_MS } from '../lib/budget.js';
import { BODY_LIMITS, boundedFetch } from '../lib/bounded-body.js';

/** The hidden marker that finds this job's comment again: one comment per workflow and job, updated in place. */
export function commentMarker(workflow: string, job: string): string {
  // An HTML comment may not contain "--"; the key only has to be stable and unique per job.
  const key = `${workflow}/${job}`.replace(/-{2,}/g, '-').replace(/[<>]/g, '');
  return `<!-- foundry-keyless-check: ${key} -->`;
}

export function commentBody(report: RunReport, marker: string): string {
  return scrub(`${marker}\n${summaryMarkdown(report)}`);
}

interface CommentOptions {
  readonly token: string;
  readonly marker: string;
  readonly info: (line: string) => void;
  readonly warn: (line: string) => void;
}

/** The whole comment step, every request and page included, ends by this long after it starts. */
const COMMENT_DEADLINE_MS = 15_000;
/** What GET /user cannot tell for the workflow's GITHUB_TOKEN, an installation token: its comments' author. */
const WORKFLOW_TOKEN_LOGIN = 'github-actions[bot]';

type Octokit = ReturnType<GitHub['getOctokit']>;

/**
 * Keeps one comment on the pull request with the verdict. Octokit is loaded only here, so runs that don't
 * comment never pay for it. A failure is a warning: a comment is a courtesy and never changes the verdict.
 * The step as a whole has one deadline (Octokit's paginate drops a request's abort signal, so per-request
 * timeouts cannot bound it), each answer is read only up to a cap, and the github-token goes only to the REST
 * API's own origin.
 */
export async function commentOnPullRequest(report: RunReport, options: CommentOptions): Promise<void> {
  const { context, getOctokit } = await loadGitHub();
  const number = context.payload.pull_request?.number;
  if (typeof number !== 'number') {
    options.info('comment-on-pr is set, but this run is not for a pull request: no comment.');
    return;
  }
  const octokit = getOctokit(options.token);
  guardOctokitOrigin(octokit, context.apiUrl);
  // Every answer is read through the cap, on top of the proxy-aware fetch @actions/github gave the client. Octokit
  // hooks see each request's own options object, so the fetch is set there (a wrap's new options are dropped).
  octokit.hook.before('request', (endpoint) => {
    endpoint.request.fetch = boundedFetch((endpoint.request.fetch as typeof fetch | undefined) ?? fetch, BODY_LIMITS.githubRest, REQUEST_TIMEOUT_MS);
  });
  const budget = new Budget(COMMENT_DEADLINE_MS);
  try {
    const outcome = await budget.within(upsertComment(octokit, { ...context.repo, number }, commentBody(report, options.marker), options.marker, budget.signal));
    options.info(`${outcome === 'updated' ? 'Updated the comment' : 'Commented'} on pull request #${number}.`);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const reason =
      status === 403 || status === 404
        ? `the token may not write to it (HTTP ${status}): give the job \`permissions: pull-requests: write\``
        : error instanceof BudgetExpiredError
          ? `GitHub did not answer within ${COMMENT_DEADLINE_MS / 1000} s`
          : errorLine(error);
    options.warn(`Could not comment on pull request #${number}: ${reason}. The verdict is unaffected.`);
  } finally {
    budget.dispose();
  }
}

/** Updates our own comment (the marker, written by this token's identity) or creates one. */
async function upsertComment(
  octokit: Octokit,
  where: { owner: string; repo: string; number: number },
  body: string,
  marker: string,
  signal: AbortSignal,
): Promise<'updated' | 'created'> {
  const { owner, repo, number } = where;
  const request = { signal };
  const login = await tokenLogin(octokit, signal);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100, request });
  // Anyone can copy the marker into a comment of their own: only one this identity wrote is ours to change.
  const mine = comments.find((comment) => comment.body?.includes(marker) && comment.user?.login === login);
  if (mine) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body, request });
    return 'updated';
  }
  await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body, request });
  return 'created';
}

/** Who the token writes as: the user for a personal token; for an installation token, which cannot read /user, the workflow's bot. */
async function tokenLogin(octokit: Octokit, signal: AbortSignal): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated({ request: { signal } });
    return data.login;
  } catch (error) {
    if ((error as { status?: unknown }).status === 403) return WORKFLOW_TOKEN_LOGIN;
    throw error;
  }
}
