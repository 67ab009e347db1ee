import type { FixFormat } from '../decide/diagnosis.js';
/**
 * Service text in Markdown (the job summary, the pull-request comment): data, never markup. HTML, `@mentions`,
 * links and table-breaking `|` from ARM, Entra, the data plane or a token's claims are escaped, line breaks
 * flattened, and each value cut to a length a reader can take in. Every renderer of Markdown uses these.
 */
import type { Facts } from '../decide/diagnosis.js';
import { oneLine } from './log-sink.js';

/** How much of one service-sourced value is shown; the `report` output keeps the whole of it. */
const MAX_SERVICE_TEXT = 300;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Service text for Markdown prose or a table cell: one line, cut, inert. */
export function markdownText(text: string, max = MAX_SERVICE_TEXT): string {
  return cut(oneLine(text), max)
    .replace(/`/g, "'")
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\[/g, '\\[')
    .replace(/\]/g, '\\]')
    // A zero-width space after `@` keeps the text and drops the notification.
    .replace(/@/g, '@\u200B');
}

/** A code span: backticks cannot close it early, a pipe cannot end the table cell it sits in. */
export function markdownCode(text: string, max = MAX_SERVICE_TEXT): string {
  return `\`${cut(oneLine(text), max).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/** Every fact a service supplied, made inert for Markdown before the table's sentences are filled in. */
export function markdownFacts(facts: Facts): Facts {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(facts)) {
    if (typeof value === 'string') out[name] = markdownText(value);
    else if (Array.isArray(value)) {
      out[name] = value.map((item: unknown) =>
        typeof item === 'string'
          ? markdownText(item)
          : typeof item === 'object' && item !== null
            ? Object.fromEntries(Object.entries(item).map(([k, v]) => [k, typeof v === 'string' ? markdownText(v) : v]))
            : item,
      );
    } else out[name] = value;
  }
  return out;
}

/** Numbered steps, each command in a fenced shell block: the job summary, the PR comment and the docs. */
export const MARKDOWN_FIX: FixFormat = {
  step: (text, index) => `${index + 1}. ${text}`,
  command: (command) => ['', '   ```sh', ...command.split('\n').map((l) => `   ${l}`), '   ```', ''],
};
