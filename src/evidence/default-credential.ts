import type { TokenCredential } from '@azure/identity';
import type { Cloud } from '../config/clouds.js';
import { credentialOptions, maskingCredential, type EntraAnswers } from './credential.js';

/**
 * The Azure Identity default chain (environment, workload identity, managed identity, Azure CLI, …), for
 * self-hosted runners with a managed identity and for people at their desks. Loaded only when asked for.
 */
export async function defaultCredential(
  options: { tenantId?: string; clientId?: string; cloud: Cloud },
  mask: (secret: string) => void,
  answers: EntraAnswers,
): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  const credential = new DefaultAzureCredential({
    authorityHost: options.cloud.authorityHost,
    disableInstanceDiscovery: !options.cloud.knownAuthority,
    ...credentialOptions(answers),
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    ...(options.clientId ? { managedIdentityClientId: options.clientId, workloadIdentityClientId: options.clientId } : {}),
  });
  return maskingCredential(credential, mask);
}
