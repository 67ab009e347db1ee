export const id = 156;
export const ids = [156];
export const modules = {

/***/ 156:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   commentMarker: () => (/* binding */ commentMarker),
/* harmony export */   commentOnPullRequest: () => (/* binding */ commentOnPullRequest)
/* harmony export */ });
/* unused harmony export commentBody */
/* harmony import */ var _engine_bundles_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(742);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(427);
/* harmony import */ var _lib_error_text_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(655);
/* harmony import */ var _config_origin_policy_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(495);
/* harmony import */ var _lib_secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(252);
/* harmony import */ var _lib_budget_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(36);
/* harmony import */ var _lib_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9);







/** The hidden marker that finds this job's comment again: one comment per workflow and job, updated in place. */
function commentMarker(workflow, job) {
    // An HTML comment may not contain "--"; the key only has to be stable and unique per job.
    const key = `${workflow}/${job}`.replace(/-{2,}/g, '-').replace(/[<>]/g, '');
    return `<!-- foundry-keyless-check: ${key} -->`;
}
function commentBody(report, marker) {
    return (0,_lib_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .scrub */ ._)(`${marker}\n${(0,_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .summaryMarkdown */ .eH)(report)}`);
}
/** The whole comment step, every request and page included, ends by this long after it starts. */
const COMMENT_DEADLINE_MS = 15_000;
/** What GET /user cannot tell for the workflow's GITHUB_TOKEN, an installation token: its comments' author. */
const WORKFLOW_TOKEN_LOGIN = 'github-actions[bot]';
/**
 * Keeps one comment on the pull request with the verdict. Octokit is loaded only here, so runs that don't
 * comment never pay for it. A failure is a warning: a comment is a courtesy and never changes the verdict.
 * The step as a whole has one deadline (Octokit's paginate drops a request's abort signal, so per-request
 * timeouts cannot bound it), each answer is read only up to a cap, and the github-token goes only to the REST
 * API's own origin.
 */
async function commentOnPullRequest(report, options) {
    const { context, getOctokit } = await (0,_engine_bundles_js__WEBPACK_IMPORTED_MODULE_0__/* .loadGitHub */ .g)();
    const number = context.payload.pull_request?.number;
    if (typeof number !== 'number') {
        options.info('comment-on-pr is set, but this run is not for a pull request: no comment.');
        return;
    }
    const octokit = getOctokit(options.token);
    (0,_config_origin_policy_js__WEBPACK_IMPORTED_MODULE_2__/* .guardOctokitOrigin */ .Js)(octokit, context.apiUrl);
    // Every answer is read through the cap, on top of the proxy-aware fetch @actions/github gave the client. Octokit
    // hooks see each request's own options object, so the fetch is set there (a wrap's new options are dropped).
    octokit.hook.before('request', (endpoint) => {
        endpoint.request.fetch = (0,_lib_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__/* .boundedFetch */ .A)(endpoint.request.fetch ?? fetch, _lib_bounded_body_js__WEBPACK_IMPORTED_MODULE_4__/* .BODY_LIMITS */ .Mu.githubRest, _lib_budget_js__WEBPACK_IMPORTED_MODULE_5__/* .REQUEST_TIMEOUT_MS */ .j2);
    });
    const budget = new _lib_budget_js__WEBPACK_IMPORTED_MODULE_5__/* .Budget */ .__(COMMENT_DEADLINE_MS);
    try {
        const outcome = await budget.within(upsertComment(octokit, { ...context.repo, number }, commentBody(report, options.marker), options.marker, budget.signal));
        options.info(`${outcome === 'updated' ? 'Updated the comment' : 'Commented'} on pull request #${number}.`);
    }
    catch (error) {
        const status = error.status;
        const reason = status === 403 || status === 404
            ? `the token may not write to it (HTTP ${status}): give the job \`permissions: pull-requests: write\``
            : error instanceof _lib_budget_js__WEBPACK_IMPORTED_MODULE_5__/* .BudgetExpiredError */ .hO
                ? `GitHub did not answer within ${COMMENT_DEADLINE_MS / 1000} s`
                : (0,_lib_error_text_js__WEBPACK_IMPORTED_MODULE_6__/* .errorLine */ .B)(error);
        options.warn(`Could not comment on pull request #${number}: ${reason}. The verdict is unaffected.`);
    }
    finally {
        budget.dispose();
    }
}
/** Updates our own comment (the marker, written by this token's identity) or creates one. */
async function upsertComment(octokit, where, body, marker, signal) {
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
async function tokenLogin(octokit, signal) {
    try {
        const { data } = await octokit.rest.users.getAuthenticated({ request: { signal } });
        return data.login;
    }
    catch (error) {
        if (error.status === 403)
            return WORKFLOW_TOKEN_LOGIN;
        throw error;
    }
}


/***/ })

};
