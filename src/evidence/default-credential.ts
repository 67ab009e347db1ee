import type { TokenCredential } from '@azure/identity';
import type { Cloud } from '../config/clouds.js';
import type { AzureSdk } from '../engine/bundles.js';
import { credentialOptions, maskingCredential, type EntraAnswers } from './credential.js';

/**
 * The Azure Identity default chain (environment, workload identity, managed identity, Azure CLI, …), for
 * self-hosted runners with a managed identity and for people at their desks.
 */
export function defaultCredential(
  sdk: AzureSdk,
  options: { tenantId?: string; clientId?: string; cloud: Cloud },
  mask: (secret: string) => void,
  answers: EntraAnswers,
): TokenCredential {
  const credential = new sdk.DefaultAzureCredential({
    authorityHost: options.cloud.authorityHost,
    disableInstanceDiscovery: !options.cloud.knownAuthority,
    ...credentialOptions(answers),
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    ...(options.clientId ? { managedIdentityClientId: options.clientId, workloadIdentityClientId: options.clientId } : {}),
  });
  return maskingCredential(credential, mask);
}
