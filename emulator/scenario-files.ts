import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory of the shipped JSON scenarios. Found by walking up from this module, because it runs
 * both from source (`emulator/`) and compiled (`build/tools/emulator/`, where tsc copies
 * no JSON).
 */
export function scenariosDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'scenarios');
  if (isDirectory(beside)) return beside;
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'emulator', 'scenarios');
    if (isDirectory(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`Cannot find emulator/scenarios above ${here}.`);
}

/** Names of the shipped scenarios, e.g. `granted-builtin`. */
export function scenarioNames(): string[] {
  return readdirSync(scenariosDirectory())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Resolves a shipped scenario's name, or any path to a JSON scenario file, to a file path. */
export function scenarioFile(nameOrPath: string): string {
  if (existsSync(nameOrPath) && statSync(nameOrPath).isFile()) return resolve(nameOrPath);
  const shipped = join(scenariosDirectory(), `${nameOrPath.replace(/\.json$/i, '')}.json`);
  if (existsSync(shipped)) return shipped;
  throw new Error(`No scenario '${nameOrPath}': not a file, and not one of the shipped scenarios (${scenarioNames().join(', ')}).`);
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
