import type { RunReport } from './run-report.js';
import { summaryMarkdown } from './summary.js';
import { errorLine } from '../lib/error-text.js';

const REQUEST_TIMEOUT_MS = 10_000;

/** The hidden marker that finds this job's comment again: one comment per workflow and job, updated in place. */
export function commentMarker(workflow: string, job: string): string {
  // An HTML comment may not contain "--"; the key only has to be stable and unique per job.
  const key = `${workflow}/${job}`.replace(/-{2,}/g, '-').replace(/[<>]/g, '');
  return `<!-- foundry-keyless-check: ${key} -->`;
}

export function commentBody(report: RunReport, marker: string): string {
  return `${marker}\n${summaryMarkdown(report)}`;
}

export interface CommentOptions {
  readonly token: string;
  readonly marker: string;
  readonly info: (line: string) => void;
  readonly warn: (line: string) => void;
}

/**
 * Keeps one comment on the pull request with the verdict. Octokit is loaded only here, so runs that don't
 * comment never pay for it. A failure is a warning: a comment is a courtesy and never changes the verdict.
 */
export async function commentOnPullRequest(report: RunReport, options: CommentOptions): Promise<void> {
  const { context, getOctokit } = await import('@actions/github');
  const number = context.payload.pull_request?.number;
  if (typeof number !== 'number') {
    options.info('comment-on-pr is set, but this run is not for a pull request: no comment.');
    return;
  }
  const octokit = getOctokit(options.token);
  const { owner, repo } = context.repo;
  const request = (): { signal: AbortSignal } => ({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const body = commentBody(report, options.marker);
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100, request: request() });
    const mine = comments.find((comment) => comment.body?.includes(options.marker));
    if (mine) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body, request: request() });
      options.info(`Updated the comment on pull request #${number}.`);
    } else {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body, request: request() });
      options.info(`Commented on pull request #${number}.`);
    }
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const reason =
      status === 403 || status === 404
        ? `the token may not write to it (HTTP ${status}): give the job \`permissions: pull-requests: write\``
        : errorLine(error);
    options.warn(`Could not comment on pull request #${number}: ${reason}. The verdict is unaffected.`);
  }
}
