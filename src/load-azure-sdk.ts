import type * as Sdk from './azure-sdk/index.js';

/** The Azure SDK as the adapters receive it, once loaded. */
export type AzureSdk = typeof Sdk;

let loading: Promise<AzureSdk> | undefined;

/**
 * Loads the Azure SDK, once; every later call gets the same module. The bundler leaves this import alone
 * (webpackIgnore): dist/azure-sdk/index.js is a bundle of its own, beside the action's entry, and the CLI's folder
 * holds a one-line module that re-exports it (tools/bundler.ts).
 */
export function loadAzureSdk(): Promise<AzureSdk> {
  return (loading ??= import(/* webpackIgnore: true */ './azure-sdk/index.js').then((sdk: AzureSdk) => {
    // The pipelines' form-data policy reads the global FormData on every request, and Node builds that global on
    // its first read (some 40 ms): read it here, while the token request is in flight, not on the sign-in's path.
    void globalThis.FormData;
    return sdk;
  }));
}
