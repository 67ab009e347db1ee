/**
 * The one way text reaches a log, an annotation, an output or a terminal. Service text (role names, scopes, error
 * messages) is data: the runner reads any line that starts with `::` as a workflow command (`::stop-commands::`
 * would turn off masking for the rest of the job), and a terminal obeys escape sequences. So every line is
 * neutralised here, and every secret the run minted is scrubbed, whoever wrote the text.
 */
import * as core from '@actions/core';
import { scrub } from '../lib/secrets.js';

// C0 and C1 controls except tab and line feed; a carriage return, vertical tab, form feed, NEL and the
// Unicode line separators end a line for some reader, so they become line feeds first.
const LINE_BREAKS = /\r\n|[\r\v\f\x85\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]/g;
// `::name::` and the older `##[name]` forms.
const COMMAND = /^(\s*)(:(?=:)|#(?=#\[))/;

/** One line made safe: controls shown as U+FFFD, a leading `::` or `##[` broken up so the runner never reads a command. */
function neutraliseLine(line: string): string {
  return line.replace(CONTROLS, '\uFFFD').replace(COMMAND, '$1$2\u200B');
}

/** Text for the runner's log or a terminal: every line neutralised, secrets scrubbed. Line breaks stay line breaks. */
export function logText(text: string): string {
  return scrub(text).replace(LINE_BREAKS, '\n').split('\n').map(neutraliseLine).join('\n');
}

/** The same on one line, for a table cell or a single log line built around service text. */
export function oneLine(text: string): string {
  return logText(text).replace(/\n+/g, ' ');
}

/** The runner's log through the sink. Annotations are escaped by @actions/core too; scrubbing is still ours. */
export const runnerLog = {
  info: (text: string): void => core.info(logText(text)),
  warning: (text: string): void => core.warning(logText(text)),
  error: (text: string, properties?: core.AnnotationProperties): void => core.error(logText(text), properties),
  output: (name: string, value: string): void => core.setOutput(name, scrub(value)),
};
