import type * as AzureSdkModule from '../azure-sdk/index.js';
import type * as GitHubModule from '../github/index.js';

/** The Azure SDK as the adapters receive it, once loaded. */
export type AzureSdk = typeof AzureSdkModule;
/** @actions/github as the pull-request comment receives it, once loaded. */
export type GitHub = typeof GitHubModule;

/*
 * The bundles the engine (dist/engine/, behind both entries) loads when it needs them, each once. The bundler
 * leaves these imports alone (webpackIgnore): dist/azure-sdk/ and dist/github/ are bundles of their own beside the
 * engine's folder, so each path is relative to the engine's bundle.
 */
const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
};

/** The Azure SDK: the credentials, the ARM client, the pipelines. */
export const loadAzureSdk = once(() =>
  import(/* webpackIgnore: true */ '../azure-sdk/index.js').then((sdk: AzureSdk) => {
    // The pipelines' form-data policy reads the global FormData on every request, and Node builds that global on
    // its first read (some 25 ms on the bench's machine): read it here, while the token request is in flight, not
    // on the sign-in's path.
    void globalThis.FormData;
    return sdk;
  }),
);

/** Octokit and the workflow's context, for the pull-request comment. */
export const loadGitHub = once((): Promise<GitHub> => import(/* webpackIgnore: true */ '../github/index.js'));
