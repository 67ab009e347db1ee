import pkg from '../package.json' with { type: 'json' };

/** The package's version, taken from package.json when the bundle is built: one home for it. */
const VERSION: string = pkg.version;

/** Sent with every request, so a service's logs can tell this tool and its version apart. */
export const USER_AGENT = `foundry-keyless-check/${VERSION}`;
