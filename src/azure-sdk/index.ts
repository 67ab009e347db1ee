/**
 * The Azure SDK's classes and functions the check calls, and nothing else of src/: bundled on its own
 * (dist/azure-sdk/), shared by the action and the CLI, and loaded by engine/bundles.ts while the GitHub token
 * request is in flight, or not at all when the inputs are wrong. Everything else imports only types from the Azure
 * packages.
 */
export { ClientAssertionCredential, DefaultAzureCredential } from '@azure/identity';
// The ES module build, so the bundle holds one copy of core-client and core-rest-pipeline (the ES modules that
// @azure/identity imports) rather than two; the package's main is CommonJS and it declares no exports.
export { AuthorizationManagementClient } from '@azure/arm-authorization/dist-esm/src/index.js';
export { createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest } from '@azure/core-rest-pipeline';
