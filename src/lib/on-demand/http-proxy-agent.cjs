'use strict';
// The Azure pipelines' agent for a proxy the SDK reads itself; lib/proxy.ts sets every request's agent instead.
const { onDemand, constructs } = require('./on-demand.cjs');

const agent = onDemand(() => require('http-proxy-agent/dist/index.js'));
module.exports = { HttpProxyAgent: constructs(() => agent().HttpProxyAgent) };
