'use strict';
// @actions/http-client's agents through a proxy (lib/proxy.ts, Octokit), which a run without a proxy never makes.
const { onDemand } = require('./on-demand.cjs');

const tunnel = onDemand(() => require('tunnel/index.js'));
module.exports = {
  httpOverHttp: (...args) => tunnel().httpOverHttp(...args),
  httpsOverHttp: (...args) => tunnel().httpsOverHttp(...args),
  httpOverHttps: (...args) => tunnel().httpOverHttps(...args),
  httpsOverHttps: (...args) => tunnel().httpsOverHttps(...args),
};
