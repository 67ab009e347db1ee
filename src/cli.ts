import { parseArgs } from 'node:util';
import { check, type CheckIO } from './check.js';
import { INPUTS, type InputName, type InputSpec } from './config/input-spec.js';
import { parseInputs } from './config/inputs.js';
import { invalidInputReport, reportJson, type RunReport } from './report/run-report.js';
import { terminalReport } from './report/terminal.js';
import { logText } from './report/log-sink.js';
import { keepSecret } from './lib/secrets.js';

/** The command's flags for the action's inputs, from the input table. */
const FLAGS = (Object.entries(INPUTS) as [InputName, InputSpec][]).flatMap(([input, spec]) =>
  spec.cli ? [{ input, flag: spec.cli.flag ?? input, cli: spec.cli, default: spec.cli.default ?? spec.default }] : [],
);

function flagLine(flag: string, text: string): string {
  const left = `  --${flag}`;
  return `${left.length < 32 ? left.padEnd(32) : `${left}  `}${text}`;
}

const USAGE = `Usage: foundry-keyless-check --resource-id ID [options]

Checks that the identity you are signed in as (az login, or any source of the Azure Identity
default chain) can call the models of a Microsoft Foundry resource, and says what to fix if not.

Options:
${FLAGS.map((f) => {
  const notes = [f.cli.repeats ? (f.default ? 'repeat' : 'repeat for several') : '', f.default ? `default ${f.default}` : ''].filter(Boolean).join('; ');
  return flagLine(`${f.flag} ${f.cli.value}`, notes ? `${f.cli.help} (${notes})` : f.cli.help);
}).join('\n')}
${flagLine('json', 'print the report as JSON')}
${flagLine('verbose', 'print each stage as it runs')}
${flagLine('help', 'show this help')}

Exit codes: 0 granted, 1 denied, 2 could not check (including invalid options).`;

/** The exit code people and scripts expect: 0 granted, 1 denied, 2 could not check. */
function exitCode(report: RunReport): number {
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
  const inputs: Record<string, string | undefined> = { auth: 'default' };
  for (const f of FLAGS) {
    const value = (values as Record<string, string | string[] | undefined>)[f.flag];
    inputs[f.input] = (Array.isArray(value) ? value.join('\n') : value) ?? f.cli.default;
  }
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
      ...Object.fromEntries(FLAGS.map((f) => [f.flag, { type: 'string', multiple: f.cli.repeats === true }] as const)),
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}
