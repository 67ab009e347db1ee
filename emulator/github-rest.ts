import type { EmulatorContext } from './context.js';
import type { ServiceHandler, ServiceReply } from './service-host.js';

/** An issue comment as GitHub's REST API returns it (the fields the action reads). */
export interface IssueComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
}

/**
 * The slice of GitHub's REST API that a pull-request comment needs: list, create and update issue comments.
 * Tokens are GitHub's: the workflow token the scenario names; its `pull-requests` permission decides writes. As an
 * installation token, it gets 403 from `GET /user`, and its comments are written by `github-actions[bot]`.
 */
export function githubRestHandler(context: EmulatorContext, comments: Map<number, IssueComment[]>): ServiceHandler {
  let nextId = 1000;
  return (request) => {
    const rest = context.scenario.github.rest;
    const token = /^(?:token|bearer) (.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
    if (token !== rest.token) return message(401, 'Bad credentials');
    const repo = context.scenario.github.claims.repository;
    // The workflow's GITHUB_TOKEN is an installation token: it may not read the user it acts as.
    if (request.path === '/user' && request.method === 'GET') return forbidden();

    const list = new RegExp(`^/repos/${repo}/issues/(\\d+)/comments$`, 'i').exec(request.path);
    if (list) {
      const number = Number(list[1]);
      const existing = comments.get(number) ?? [];
      if (request.method === 'GET') {
        const perPage = Math.min(100, Number(request.query.per_page ?? 30));
        const page = Number(request.query.page ?? 1);
        return { status: 200, json: existing.slice((page - 1) * perPage, page * perPage) };
      }
      if (request.method === 'POST') {
        if (rest.pullRequestsPermission !== 'write') return forbidden();
        const body = parseBody(request.body);
        if (body === undefined) return message(422, 'Invalid request: body is required.');
        const comment: IssueComment = { id: nextId++, body, user: { login: 'github-actions[bot]', type: 'Bot' }, html_url: `https://github.com/${repo}/pull/${number}#issuecomment-${nextId}` };
        comments.set(number, [...existing, comment]);
        return { status: 201, json: comment };
      }
    }
    const one = new RegExp(`^/repos/${repo}/issues/comments/(\\d+)$`, 'i').exec(request.path);
    if (one && request.method === 'PATCH') {
      if (rest.pullRequestsPermission !== 'write') return forbidden();
      const id = Number(one[1]);
      const body = parseBody(request.body);
      if (body === undefined) return message(422, 'Invalid request: body is required.');
      for (const list of comments.values()) {
        const comment = list.find((c) => c.id === id);
        if (comment) {
          comment.body = body;
          return { status: 200, json: comment };
        }
      }
      return message(404, 'Not Found');
    }
    return message(404, 'Not Found');
  };
}

function parseBody(raw: Buffer): string | undefined {
  try {
    const body = (JSON.parse(raw.toString('utf8')) as { body?: unknown }).body;
    return typeof body === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}

function forbidden(): ServiceReply {
  return message(403, 'Resource not accessible by integration');
}

function message(status: number, text: string): ServiceReply {
  return { status, json: { message: text, documentation_url: 'https://docs.github.com/rest' } };
}
