/**
 * What the pull-request comment takes from @actions/github, and nothing else of src/: bundled on its own
 * (dist/github/) with Octokit and undici, and loaded only when a run comments (engine/bundles.ts).
 */
export { context, getOctokit } from '@actions/github';
