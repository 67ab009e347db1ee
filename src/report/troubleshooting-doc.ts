import { fixLines, NOTES, SDK_GUIDANCE, TABLE, type DiagnosisRow, type FixStep } from '../decide/diagnosis.js';
import { MARKDOWN_FIX } from './markdown.js';

const OUTCOME: Record<DiagnosisRow['outcome'], string> = {
  granted: 'granted',
  denied: 'denied: the identity lacks access',
  error: 'error: the check could not decide',
};

const RETRY: Record<DiagnosisRow['retry'], string> = {
  transient: 'yes',
  propagation: 'while a role assignment takes effect',
  never: 'no',
};

/** A real answer that leads to a code: the words the service used, and where they were recorded. */
interface RecordedExample {
  readonly code: string;
  readonly message: string;
  readonly source: string;
}

/** Inline code that holds any text: backticks inside become quotes, line breaks spaces. */
const inline = (text: string): string => `\`${text.replace(/`/g, "'").replace(/\s+/g, ' ').trim()}\``;

/**
 * docs/troubleshooting.md, rendered from the table with placeholders where a run fills in real values, and under
 * each code the real messages that lead to it (the corpus of recorded answers, read when the docs are generated).
 */
export function troubleshootingMarkdown(examples: readonly RecordedExample[] = []): string {
  const lines = [
    '<!-- Generated from src/decide/diagnosis.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    '# Troubleshooting',
    '',
    'Every run ends with one `diagnosis` code from this table. The job summary and the error annotation show the same text, with the',
    'real IDs in place of the `<placeholders>`.',
    '',
    '| Code | Meaning | Outcome | Waiting helps |',
    '| --- | --- | --- | --- |',
    ...TABLE.map((row) => `| [\`${row.code}\`](#${row.code}) | ${row.title} | ${OUTCOME[row.outcome]} | ${RETRY[row.retry]} |`),
    '',
    `> ${SDK_GUIDANCE}`,
    '',
  ];
  const fixSteps = (steps: readonly FixStep[]): void => {
    if (steps.length === 0) return;
    lines.push('**Fix**', '', ...fixLines(steps, MARKDOWN_FIX), '');
  };
  for (const row of TABLE) {
    lines.push(`## ${row.code}`, '', `**${row.title}.** ${row.cause({})}`, '', `*Recognised by:* ${row.recognisedBy}`, '');
    const seen = examples.filter((e) => e.code === row.code);
    if (seen.length > 0) {
      lines.push('*Real answers that lead here:*', '');
      for (const example of seen) lines.push(`- ${inline(example.message.length > 240 ? `${example.message.slice(0, 240)}…` : example.message)} (${example.source})`);
      lines.push('');
    }
    fixSteps(row.fix({}));
  }
  lines.push('# Notes', '', 'A note is shown beside a resource in the job summary; it never changes the verdict.', '');
  for (const note of NOTES) {
    lines.push(`## ${note.code}`, '', `**${note.title}.** ${note.text({})}`, '', `*Recognised by:* ${note.recognisedBy}`, '');
    fixSteps(note.fix({}));
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}
