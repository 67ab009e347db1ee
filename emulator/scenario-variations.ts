/** Shipped scenarios as editable objects, and the variations several suites and the bench need. */
import { readFileSync } from 'node:fs';
import { scenarioFile, type ScenarioInput } from './index.js';

const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

/** A shipped scenario by name, as an object a test may change before starting the emulator with it. */
export function scenarioInput(name: string): ScenarioInput {
  return JSON.parse(readFileSync(scenarioFile(name), 'utf8')) as ScenarioInput;
}

/**
 * `propagating.json` with its Cognitive Services User assignment taking effect `seconds` after start; with
 * `readable`, the identity also holds Reader, so it can list its role assignments and see the one on its way.
 */
export function propagatingAfter(seconds: number, options: { readonly readable?: boolean } = {}): ScenarioInput {
  const base = scenarioInput('propagating');
  const [assignment] = base.roleAssignments ?? [];
  if (!assignment) throw new Error('propagating.json has no assignment');
  const reader = { ...assignment, id: undefined, roleDefinitionId: READER, effectiveAfterSeconds: 0 };
  return { ...base, roleAssignments: [{ ...assignment, effectiveAfterSeconds: seconds }, ...(options.readable ? [reader] : [])] };
}
