export const id = 156;
export const ids = [156];
export const modules = {

/***/ 8156:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   commentMarker: () => (/* binding */ commentMarker),
/* harmony export */   commentOnPullRequest: () => (/* binding */ commentOnPullRequest)
/* harmony export */ });
/* unused harmony export commentBody */
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8732);
/* harmony import */ var _lib_error_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(655);


const REQUEST_TIMEOUT_MS = 10_000;
/** The hidden marker that finds this job's comment again: one comment per workflow and job, updated in place. */
function commentMarker(workflow, job) {
    // An HTML comment may not contain "--"; the key only has to be stable and unique per job.
    const key = `${workflow}/${job}`.replace(/-{2,}/g, '-').replace(/[<>]/g, '');
    return `<!-- foundry-keyless-check: ${key} -->`;
}
function commentBody(report, marker) {
    return `${marker}\n${(0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .summaryMarkdown */ .eH)(report)}`;
}
/**
 * Keeps one comment on the pull request with the verdict. Octokit is loaded only here, so runs that don't
 * comment never pay for it. A failure is a warning: a comment is a courtesy and never changes the verdict.
 */
async function commentOnPullRequest(report, options) {
    const { context, getOctokit } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    const number = context.payload.pull_request?.number;
    if (typeof number !== 'number') {
        options.info('comment-on-pr is set, but this run is not for a pull request: no comment.');
        return;
    }
    const octokit = getOctokit(options.token);
    const { owner, repo } = context.repo;
    const request = () => ({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = commentBody(report, options.marker);
    try {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100, request: request() });
        const mine = comments.find((comment) => comment.body?.includes(options.marker));
        if (mine) {
            await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body, request: request() });
            options.info(`Updated the comment on pull request #${number}.`);
        }
        else {
            await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body, request: request() });
            options.info(`Commented on pull request #${number}.`);
        }
    }
    catch (error) {
        const status = error.status;
        const reason = status === 403 || status === 404
            ? `the token may not write to it (HTTP ${status}): give the job \`permissions: pull-requests: write\``
            : (0,_lib_error_text_js__WEBPACK_IMPORTED_MODULE_1__/* .errorLine */ .B)(error);
        options.warn(`Could not comment on pull request #${number}: ${reason}. The verdict is unaffected.`);
    }
}


/***/ })

};
