/** The first non-blank line of a text: enough to name a failure in a log line or a table cell. */
export function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}

/** The first line of an error's message, or of its string form when it is not an Error. */
export function errorLine(error: unknown): string {
  return error instanceof Error ? firstLine(error.message) || error.name : firstLine(String(error));
}
