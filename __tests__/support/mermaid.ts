/**
 * Mermaid's own parser, run in Node for the tests (a devDependency; the bundle never loads it). Mermaid sanitises
 * labels with DOMPurify, which needs a DOM window when it is first imported, so a jsdom window stands in for that
 * import only. Parsing goes through Mermaid's grammar and its flowchart database, so a test sees the nodes, edges
 * and classes Mermaid itself would draw.
 */
import { JSDOM } from 'jsdom';
import type mermaidApi from 'mermaid';

type Mermaid = typeof mermaidApi;

let loading: Promise<Mermaid> | undefined;

function load(): Promise<Mermaid> {
  loading ??= (async () => {
    const scope = globalThis as { window?: unknown };
    const had = 'window' in scope;
    scope.window = new JSDOM('').window;
    try {
      return (await import('mermaid')).default;
    } finally {
      if (!had) delete scope.window;
    }
  })();
  return loading;
}

export interface Vertex {
  readonly id: string;
  /** The label's lines as a reader sees them: entities decoded, `<b>` dropped, split at `<br>`. */
  readonly lines: readonly string[];
  readonly classes: readonly string[];
}

export interface Edge {
  readonly start: string;
  readonly end: string;
  readonly stroke: string;
}

export interface Flowchart {
  readonly type: string;
  readonly vertices: readonly Vertex[];
  readonly edges: readonly Edge[];
}

interface FlowDb {
  getVertices(): Map<string, { id: string; text?: string; classes: string[] }>;
  getEdges(): { start: string; end: string; stroke: string }[];
}

/** Mermaid keeps `#34;` entities as placeholders until it draws; this is what the drawing shows. */
function decode(text: string): string {
  return text.replace(/ﬂ°°(\d+)¶ß/g, (_, code: string) => String.fromCodePoint(Number(code))).replace(/ﬂ°(\w+)¶ß/g, (_, name: string) => `&${name};`);
}

/** Parses with Mermaid (throwing its own parse error on bad syntax) and returns the flowchart it understood. */
export async function parseFlowchart(source: string): Promise<Flowchart> {
  const mermaid = await load();
  await mermaid.parse(source);
  // The same parse again, keeping the flowchart database Mermaid filled.
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(source);
  const db = diagram.db as unknown as FlowDb;
  return {
    type: diagram.type,
    vertices: [...db.getVertices().values()].map((v) => ({
      id: v.id,
      lines: (v.text ?? '').split('<br>').map((line) => decode(line.replace(/<\/?b>/g, ''))),
      classes: v.classes,
    })),
    edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, stroke: e.stroke })),
  };
}

/** Every ```mermaid block of a Markdown text, in order. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1] ?? '');
}
