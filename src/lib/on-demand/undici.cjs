'use strict';
// @actions/http-client's ProxyAgent and @actions/github's fetch, used by Octokit (the pull-request comment).
const { onDemand, constructs } = require('./on-demand.cjs');

const undici = onDemand(() => require('undici/index.js'));
module.exports = { ProxyAgent: constructs(() => undici().ProxyAgent), fetch: (...args) => undici().fetch(...args) };
