/**
 * `npm run demo`: the bundled action against the emulator, twice. First a run whose identity may call the
 * models, then a run over two resources where it may not call one of them, with the diagnosis and the fix.
 */
import { scenarioFile, startEmulator } from '../emulator/index.js';
import { runAction, type ActionRun } from '../emulator/run-action.js';
import { runnerLogPrinter } from '../emulator/runner-log.js';

const scenario = scenarioFile('demo');
const bar = (title: string): void => console.log(`\n\x1b[1m━━ ${title} ${'━'.repeat(Math.max(0, 72 - title.length))}\x1b[0m`);

function show(run: ActionRun): void {
  console.log('\n\x1b[2m--- job summary (GITHUB_STEP_SUMMARY) ---\x1b[0m');
  console.log(run.summary.trim());
  console.log('\n\x1b[2m--- outputs ---\x1b[0m');
  for (const name of ['granted', 'diagnosis', 'principal-id', 'attempts']) console.log(`${name}: ${run.outputs[name] ?? ''}`);
  console.log(`exit code: ${run.exitCode ?? 'killed'}`);
}

const emulator = await startEmulator(scenario);
try {
  const inputs = emulator.actionInputs();
  const [first] = emulator.scenario.resources;
  if (!first) throw new Error('the demo scenario has no resources');

  bar(`1. One resource the workflow identity may use: ${first.id.split('/').pop() ?? ''}`);
  const granted = await runAction({ ...inputs, 'resource-id': first.id, 'wait-timeout': '0' }, {
    env: emulator.runnerEnv(),
    echo: runnerLogPrinter((text) => process.stdout.write(text)),
  });
  show(granted);

  bar('2. Two resources: the second one has only management roles');
  const denied = await runAction({ ...inputs, 'wait-timeout': '0' }, { env: emulator.runnerEnv(), echo: runnerLogPrinter((text) => process.stdout.write(text)) });
  show(denied);

  const ok = granted.outputs.granted === 'true' && denied.outputs.granted === 'false';
  bar(ok ? 'Demo done: one granted and one denied verdict, as expected' : 'Demo did not give the expected verdicts');
  process.exitCode = ok ? 0 : 1;
} finally {
  await emulator.close();
}
