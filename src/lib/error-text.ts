/** The first non-blank line of a text: enough to name a failure in a log line or a table cell. */
export function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}

/** Longer than any message a person reads whole; a client library may put a whole answer's body in its message. */
const MAX_ERROR_LINE = 1000;

/** The first line of an error's message, or of its string form when it is not an Error, cut to a readable length. */
export function errorLine(error: unknown): string {
  const line = error instanceof Error ? firstLine(error.message) || error.name : firstLine(String(error));
  return line.length > MAX_ERROR_LINE ? `${line.slice(0, MAX_ERROR_LINE)}…` : line;
}
