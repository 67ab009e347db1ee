'use strict';
// msal-node signs a client assertion with it for a certificate credential (the default chain's).
const { onDemand } = require('./on-demand.cjs');

const jsonwebtoken = onDemand(() => require('jsonwebtoken/index.js'));
module.exports = { sign: (...args) => jsonwebtoken().sign(...args) };
