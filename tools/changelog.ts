/**
 * CHANGELOG.md, read the way the release workflow needs it: the section of one version, which becomes the notes of
 * its GitHub release. Sections are `## [X.Y.Z]` headings (Keep a Changelog), optionally followed by ` - DATE`.
 */

/** The body of the `## [version]` section, trimmed; undefined when there is none or it is empty. */
export function releaseNotes(changelog: string, version: string): string | undefined {
  const lines = changelog.replace(/\r\n?/g, '\n').split('\n');
  const heading = /^## \[([^\]]+)\]/;
  const start = lines.findIndex((line) => heading.exec(line)?.[1] === version);
  if (start === -1) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => heading.test(line));
  const body = (end === -1 ? rest : rest.slice(0, end)).join('\n').trim();
  return body === '' ? undefined : body;
}
