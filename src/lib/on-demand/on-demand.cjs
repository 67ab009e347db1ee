/**
 * Packages that the bundles hold but evaluate only when first called. Each is imported at the top of a module that
 * a run loads, for work that a run rarely or never does, and evaluating it cost start-up time on every run. The
 * bundler resolves each name to its file here (`paths` in tsconfig.json, which ncc reads for node_modules' imports
 * too); the file hands out the names its importers use, requiring the real package on first use. One file per
 * package, so each bundle holds only the packages its own modules import. CommonJS, so that the bundler sees each
 * require, bundles the package, and leaves its evaluation to the first call.
 */
'use strict';

/** The module `load` returns, loaded on the first call. */
exports.onDemand = (load) => {
  let loaded;
  return () => (loaded ??= load());
};

/** A constructor whose `new` builds an instance of the real class. */
exports.constructs = (real) =>
  function (...args) {
    return new (real())(...args);
  };
