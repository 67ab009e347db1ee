/** Endpoints of each Azure cloud the action can sign in to. */
interface CloudEndpoints {
  /** Entra ID authority host, without a trailing slash. */
  readonly authorityHost: string;
  /** Azure Resource Manager endpoint, without a trailing slash; its `/.default` is the token scope for ARM. */
  readonly resourceManagerEndpoint: string;
  /** Audience the GitHub OIDC token must carry for the federated credential to accept it. */
  readonly oidcAudience: string;
  /** Host suffixes a data-plane endpoint must end with before a token is sent to it. */
  readonly dataPlaneHostSuffixes: readonly string[];
  /** Whether msal knows this authority; for others it must read the OpenID metadata from the host itself. */
  readonly knownAuthority: boolean;
}

/** The clouds whose endpoints are built in. A new cloud is one entry here: its name is derived from it everywhere. */
const KNOWN = {
  AzureCloud: {
    authorityHost: 'https://login.microsoftonline.com',
    resourceManagerEndpoint: 'https://management.azure.com',
    oidcAudience: 'api://AzureADTokenExchange',
    dataPlaneHostSuffixes: ['.services.ai.azure.com', '.openai.azure.com', '.cognitiveservices.azure.com'],
    knownAuthority: true,
  },
  AzureUSGovernment: {
    authorityHost: 'https://login.microsoftonline.us',
    resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
    oidcAudience: 'api://AzureADTokenExchangeUSGov',
    dataPlaneHostSuffixes: ['.openai.azure.us', '.cognitiveservices.azure.us'],
    knownAuthority: true,
  },
  AzureChinaCloud: {
    authorityHost: 'https://login.chinacloudapi.cn',
    resourceManagerEndpoint: 'https://management.chinacloudapi.cn',
    oidcAudience: 'api://AzureADTokenExchangeChina',
    dataPlaneHostSuffixes: ['.openai.azure.cn', '.cognitiveservices.azure.cn'],
    knownAuthority: true,
  },
} satisfies Record<string, CloudEndpoints>;

/** A built-in cloud's name, or `Custom` for one whose endpoints the user gives. */
type CloudName = keyof typeof KNOWN | 'Custom';

export const CLOUD_NAMES: readonly CloudName[] = [...(Object.keys(KNOWN) as (keyof typeof KNOWN)[]), 'Custom'];

export interface Cloud extends CloudEndpoints {
  readonly name: CloudName;
}

/**
 * The cloud a user names. Case is ignored, so azure/login's `environment` values for the same clouds (azurecloud,
 * azureusgovernment, azurechinacloud) are accepted as they are copied from an azure/login step; its azurestack and
 * azuregermancloud are not clouds this action knows.
 */
export function cloudNamed(text: string): CloudName | undefined {
  return CLOUD_NAMES.find((name) => name.toLowerCase() === text.trim().toLowerCase());
}

interface CustomEndpoints {
  readonly authorityHost: string;
  readonly resourceManagerEndpoint: string;
}

export function cloudFor(name: CloudName, custom?: CustomEndpoints): Cloud {
  if (name !== 'Custom') return { name, ...KNOWN[name] };
  if (!custom) throw new Error('cloud Custom needs its endpoints');
  return {
    name,
    authorityHost: custom.authorityHost,
    resourceManagerEndpoint: custom.resourceManagerEndpoint,
    oidcAudience: KNOWN.AzureCloud.oidcAudience,
    // A private cloud's data-plane hosts are unknown until the user names an endpoint.
    dataPlaneHostSuffixes: [],
    knownAuthority: false,
  };
}

export function armScope(cloud: Cloud): string {
  return `${cloud.resourceManagerEndpoint}/.default`;
}
