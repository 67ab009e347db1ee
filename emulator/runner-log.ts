/**
 * Shows an action's raw stdout the way the Actions log viewer does: masks and debug lines hidden, groups as
 * headings, annotations as labelled lines. For people watching the demo; tests read the raw stream.
 */
function unescape(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

export function renderRunnerLine(line: string): string | undefined {
  if (line.startsWith('::add-mask::') || line.startsWith('::debug::') || line === '::endgroup::') return undefined;
  if (line.startsWith('::group::')) return `\x1b[1m▸ ${line.slice('::group::'.length)}\x1b[0m`;
  const annotation = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
  if (annotation) {
    const [, level = '', props = '', message = ''] = annotation;
    const title = /title=([^,]*)/.exec(props)?.[1];
    const colour = level === 'error' ? '\x1b[31m' : '\x1b[33m';
    return `${colour}${level.toUpperCase()}${title ? ` [${unescape(title)}]` : ''}\x1b[0m ${unescape(message).replace(/\n/g, '\n  ')}`;
  }
  return line;
}

/** A line-buffered writer: feed it chunks, it prints whole rendered lines. */
export function runnerLogPrinter(write: (text: string) => void): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const rendered = renderRunnerLine(line);
      if (rendered !== undefined) write(`${rendered}\n`);
    }
  };
}
