import { parseArgs } from 'node:util';
import { check, type CheckIO } from './check.js';
import { parseInputs } from './config/inputs.js';
import { invalidInputReport, reportJson, type RunReport } from './report/run-report.js';
import { terminalReport } from './report/terminal.js';
import { logText } from './report/log-sink.js';
import { keepSecret } from './lib/secrets.js';

const USAGE = `Usage: foundry-keyless-check --resource-id ID [options]

Checks that the identity you are signed in as (az login, or any source of the Azure Identity
default chain) can call the models of a Microsoft Foundry resource, and says what to fix if not.

Options:
  --resource-id ID              ARM ID of the Foundry resource (repeat for several)
  --workload NAME               models, openai, agents or all (repeat; default models)
  --required-data-action ACTION custom data action to require (repeat; adds to --workload)
  --model NAME                  also call this model deployment (one output token at most)
  --endpoint URL                data-plane endpoint (default: read from the account)
  --token-scope SCOPE           data-plane token scope (default https://ai.azure.com/.default)
  --tenant-id ID                tenant to sign in to (default: the one az login chose)
  --client-id ID                user-assigned managed identity or workload identity to use
  --cloud NAME                  AzureCloud, AzureUSGovernment, AzureChinaCloud or Custom
  --authority-host URL          with --cloud Custom
  --resource-manager-endpoint URL  with --cloud Custom
  --wait-timeout SECONDS        keep checking while a new role assignment propagates (default 0)
  --json                        print the report as JSON
  --verbose                     print each stage as it runs
  --help                        show this help

Exit codes: 0 granted, 1 denied, 2 could not check (including invalid options).`;

/** The exit code people and scripts expect: 0 granted, 1 denied, 2 could not check. */
export function exitCode(report: RunReport): number {
  if (report.granted) return 0;
  return report.outcome === 'denied' ? 1 : 2;
}

interface Streams {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly color: boolean;
}

const defaultStreams: Streams = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
};

/** The local command: the same check as the action, signed in through the default chain. */
export async function runCli(argv: readonly string[], streams: Streams = defaultStreams): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    streams.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    streams.out(`${USAGE}\n`);
    return 0;
  }
  const inputs: Record<string, string | undefined> = {
    auth: 'default',
    'resource-id': values['resource-id']?.join('\n'),
    workload: values.workload?.join('\n'),
    'required-data-actions': values['required-data-action']?.join('\n'),
    model: values.model,
    endpoint: values.endpoint,
    'token-scope': values['token-scope'],
    'tenant-id': values['tenant-id'],
    'client-id': values['client-id'],
    cloud: values.cloud,
    'authority-host': values['authority-host'],
    'resource-manager-endpoint': values['resource-manager-endpoint'],
    'wait-timeout': values['wait-timeout'] ?? '0',
  };
  const config = parseInputs((name) => inputs[name] ?? '');
  const io: CheckIO = {
    info: (line) => {
      if (values.verbose) streams.err(`${logText(line)}\n`);
    },
    group: (name, run) => {
      if (values.verbose) streams.err(`▸ ${name}\n`);
      return run();
    },
    // There is no log to mask; the sink scrubs what is printed.
    mask: keepSecret,
  };
  const report = config.ok ? await check(config.value, io) : invalidInputReport(config.error);
  streams.out(values.json ? `${reportJson(report)}\n` : terminalReport(report, { color: streams.color }));
  return exitCode(report);
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      'resource-id': { type: 'string', multiple: true },
      workload: { type: 'string', multiple: true },
      'required-data-action': { type: 'string', multiple: true },
      model: { type: 'string' },
      endpoint: { type: 'string' },
      'token-scope': { type: 'string' },
      'tenant-id': { type: 'string' },
      'client-id': { type: 'string' },
      cloud: { type: 'string' },
      'authority-host': { type: 'string' },
      'resource-manager-endpoint': { type: 'string' },
      'wait-timeout': { type: 'string' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}
