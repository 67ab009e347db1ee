export const id = 386;
export const ids = [386];
export const modules = {

/***/ 5386:
/***/ ((module) => {

/**
 * Packages the bundles leave out because no run calls them, each resolved to its file here (`paths` in
 * tsconfig.json, as for src/lib/on-demand/). `open` is how @azure/identity's interactive browser sign-in opens a
 * browser: the check signs in only with a workflow's token or the default chain, never in a browser. Left in, it
 * was 20 KB of the SDK's bundle, with a copy of the package's Linux launcher beside it in dist/.
 */


function open() {
  throw new Error('foundry-keyless-check never opens a browser to sign in');
}
module.exports = open;
module.exports["default"] = open;


/***/ })

};
