/**
 * undici, evaluated when first used rather than at start-up. @actions/http-client imports undici's ProxyAgent at
 * its top for proxied fetch, which only Octokit (the pull-request comment) uses, so every run evaluated all of
 * undici before its first request. The bundle resolves `undici` here (`paths` in tsconfig.json), and this hands out
 * the real undici's ProxyAgent and fetch, requiring undici on their first use. CommonJS, so the bundler sees the
 * require, bundles undici, and leaves its evaluation to the first call.
 */
'use strict';

let undici;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a require, which the bundler bundles but does not run
const load = () => (undici ??= require('undici/index.js'));

module.exports = {
  ProxyAgent: function ProxyAgent(...args) {
    return new (load().ProxyAgent)(...args);
  },
  fetch: (...args) => load().fetch(...args),
};
