/**
 * The corpus: real answers of the services, recorded in public sources (issue threads, SDK test recordings,
 * REST spec examples, Microsoft Learn), one JSON file each in __tests__/corpus/. Each is replayed through the
 * emulator and the bundled action end to end (e2e/corpus.test.ts); docs/troubleshooting.md quotes them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteName } from './routes.js';
import { repoRoot } from './repo-root.js';

export type Plane = 'github-oidc' | 'entra' | 'arm' | 'data-plane' | 'transport';

export interface RecordedPage {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export interface CorpusFixture {
  readonly id: string;
  readonly plane: Plane;
  readonly route: RouteName;
  readonly source: { readonly kind: string; readonly ref: string; readonly quote: string };
  /** verbatim: status, headers and body as recorded; rebuilt: what was rebuilt is in fidelityNote. */
  readonly fidelity: 'verbatim' | 'rebuilt';
  readonly fidelityNote: string;
  readonly answer: RecordedPage & {
    readonly pages?: readonly RecordedPage[];
    /** Transport faults only: what the client saw instead of an answer. */
    readonly transportError?: string;
  };
  /** What else is true when the answer arrives, in words; `setup` says it to the emulator. */
  readonly context: string;
  readonly expected: {
    readonly diagnosis: string;
    readonly retried: boolean;
    readonly why: string;
    /** Where the expectation differs from the researcher's first reading, and why. */
    readonly corrected?: string;
  };
  /** How the end-to-end test arranges the rest of the run; every field has a default per route. */
  readonly setup?: {
    /** A shipped emulator scenario. Default `granted-builtin`: everything else succeeds. */
    readonly scenario?: string;
    /** Inputs on top of the emulator's; `{data}` stands for the emulated data plane's URL. */
    readonly inputs?: Record<string, string>;
    /** Default 3: long enough to see a retry, short enough to keep the suite quick. */
    readonly waitTimeout?: number;
    /** Built-in role GUIDs assigned to the identity at the account, in place of the scenario's assignments. */
    readonly roles?: readonly string[];
  };
}

/** A GitHub token the runner never offered: no request is made at all, so there is no answer to replay. */
export function notOffered(fixture: CorpusFixture): boolean {
  return fixture.route === 'github-oidc-token' && (fixture.answer?.status ?? null) === null && !fixture.answer?.transportError;
}

export const CORPUS_DIRECTORY = join(repoRoot(), '__tests__', 'corpus');

const PLANES = new Set<Plane>(['github-oidc', 'entra', 'arm', 'data-plane', 'transport']);

/** Every fixture, by file name order; a fixture missing a required field fails loudly here, not mid-test. */
export function loadCorpus(directory: string = CORPUS_DIRECTORY): CorpusFixture[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const fixture = JSON.parse(readFileSync(join(directory, name), 'utf8')) as CorpusFixture;
      const problems = [
        fixture.id === name.slice(0, -'.json'.length) ? undefined : 'id differs from the file name',
        PLANES.has(fixture.plane) ? undefined : `unknown plane ${String(fixture.plane)}`,
        typeof fixture.source?.ref === 'string' && fixture.source.ref !== '' ? undefined : 'no source.ref',
        typeof fixture.source?.quote === 'string' && fixture.source.quote !== '' ? undefined : 'no source.quote',
        fixture.fidelity === 'verbatim' || fixture.fidelity === 'rebuilt' ? undefined : 'fidelity is neither verbatim nor rebuilt',
        typeof fixture.answer?.status === 'number' || fixture.answer?.transportError || notOffered(fixture) ? undefined : 'no answer.status',
        typeof fixture.expected?.diagnosis === 'string' ? undefined : 'no expected.diagnosis',
        typeof fixture.expected?.retried === 'boolean' ? undefined : 'no expected.retried',
      ].filter((p) => p !== undefined);
      if (problems.length > 0) throw new Error(`__tests__/corpus/${name}: ${problems.join('; ')}`);
      return fixture;
    });
}

/** The message a person would search for: the error text inside the recorded body, else the body's first line. */
export function recordedMessage(fixture: CorpusFixture): string {
  if (fixture.answer.transportError) return fixture.answer.transportError;
  const body = fixture.answer.body;
  if (typeof body === 'string') return body.split('\n').find((l) => l.trim() !== '')?.trim() ?? body;
  const b = body as { error_description?: unknown; error?: { message?: unknown } | string; message?: unknown } | undefined;
  const text =
    typeof b?.error_description === 'string'
      ? b.error_description
      : typeof b?.error === 'object' && typeof b.error.message === 'string'
        ? b.error.message
        : typeof b?.message === 'string'
          ? b.message
          : JSON.stringify(body);
  return text.split(/\r?\n| Trace ID:/)[0]?.trim() ?? text;
}

/** Where a fixture's answer was recorded, as a Markdown link when the reference is a URL or a GitHub path. */
function sourceLink(fixture: CorpusFixture): string {
  const ref = fixture.source.ref;
  if (/^https:\/\//.test(ref)) return `[${fixture.source.kind}](${ref.split(' ')[0]})`;
  const thread = /^([\w.-]+\/[\w.-]+)#(\d+)/.exec(ref);
  if (thread) return `[${thread[1]}#${thread[2]}](https://github.com/${thread[1]}/issues/${thread[2]})`;
  return `${fixture.source.kind}: ${ref.replace(/[`|]/g, '')}`;
}

/** The recorded messages, one per fixture, by the code each leads to: what docs/troubleshooting.md quotes. */
export function corpusExamples(directory?: string): { code: string; message: string; source: string }[] {
  // A 2xx list or definition is data, not a message: only refusals and failures are quoted.
  const refusal = (f: CorpusFixture): boolean => !(typeof f.answer.status === 'number' && f.answer.status < 300) || typeof f.answer.body === 'string';
  return loadCorpus(directory).filter(refusal).map((fixture) => ({ code: fixture.expected.diagnosis, message: recordedMessage(fixture), source: sourceLink(fixture) }));
}
