/**
 * The access chain as GitHub will draw it: every diagram goes through Mermaid's own parser (see
 * support/mermaid.ts), and the assertions are about the nodes, classes and edges Mermaid understood.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAUSES, displayText, LINK_TITLES, shortScope, type ChainLink } from '../../src/decide/chain.js';
import { TABLE, type DiagnosisCode } from '../../src/decide/diagnosis.js';
import { decideResource } from '../../src/decide/verdict.js';
import { chainMermaid, chainTree, reportChains } from '../../src/report/chain-view.js';
import { mermaidText } from '../../src/report/mermaid-text.js';
import { commentBody } from '../../src/report/pr-comment.js';
import { checkedReport, type RunReport } from '../../src/report/run-report.js';
import { summaryMarkdown } from '../../src/report/summary.js';
import { terminalReport } from '../../src/report/terminal.js';
import { keepSecret } from '../../src/lib/secrets.js';
import {
  account,
  assignment,
  CHECKED_AT,
  checked,
  config,
  CONTRIBUTOR,
  CONTRIBUTOR_ASSIGNMENT,
  COGNITIVE_SERVICES_USER,
  FIXTURES,
  FRESH,
  MAAS,
  PRESENTED,
  PRINCIPAL,
  readAssignments,
  readPermissions,
} from '../support/chain-fixtures.js';
import { mermaidBlocks, parseFlowchart, type Flowchart, type Vertex } from '../support/mermaid.js';

const STATES = new Set(['proven', 'broken', 'unknown', 'propagating', 'unreached']);

/** The node of a parsed chain that stands for a link, found by the title Mermaid will show. */
const vertexFor = (chart: Flowchart, link: ChainLink): Vertex | undefined =>
  chart.vertices.find((v) => v.lines[0]?.replace(/^\S+ /, '').split(' (')[0] === LINK_TITLES[link]);

/** The one node that carries a troubleshooting code, if any. */
const coded = (chart: Flowchart): Vertex[] => chart.vertices.filter((v) => v.lines.some((line) => TABLE.some((row) => line.startsWith(`${row.code}: `))));

async function firstChart(report: RunReport): Promise<Flowchart> {
  const [block] = mermaidBlocks(summaryMarkdown(report));
  if (block === undefined) throw new Error('the summary has no mermaid block');
  return parseFlowchart(block);
}

describe('every row of the troubleshooting table draws its cause', () => {
  it.each(TABLE.map((row) => [row.code, row] as const))('%s', async (code) => {
    const fixture = FIXTURES[code];
    const chart = await firstChart(fixture.report);
    expect(chart.type).toBe('flowchart-v2');
    // Every node has exactly one state class, and the nodes are linked one after the other.
    for (const vertex of chart.vertices) expect(vertex.classes.filter((c) => STATES.has(c)), vertex.id).toHaveLength(1);
    expect(chart.edges.map((e) => [e.start, e.end])).toEqual(chart.vertices.slice(1).map((v, i) => [chart.vertices[i]?.id, v.id]));

    const marked = coded(chart);
    if (fixture.link === null) {
      expect(marked).toEqual([]);
      expect(chart.vertices.flatMap((v) => v.classes).filter((c) => c === 'broken' || c === 'propagating')).toEqual([]);
      return;
    }
    const cause = vertexFor(chart, fixture.link);
    expect(marked.map((v) => v.id)).toEqual([cause?.id]);
    expect(cause?.classes).toEqual([CAUSES[code]?.state]);
    expect(cause?.lines.at(-1)).toBe(`${code}: ${TABLE.find((r) => r.code === code)?.title}`);
    // Nothing before the cause is broken; what comes after it was not reached.
    const before = chart.vertices.slice(0, chart.vertices.indexOf(cause as Vertex));
    expect(before.flatMap((v) => v.classes).every((c) => c === 'proven' || c === 'unknown')).toBe(true);
  });
});

describe('the main outcomes, as the summary draws them', () => {
  const states = (chart: Flowchart): [string, string][] => chart.vertices.map((v) => [v.lines[0] ?? '', v.classes.join()]);

  it('granted through a group: every link proven, the group drawn', async () => {
    const chart = await firstChart(FIXTURES.ok.report);
    expect(states(chart)).toEqual([
      ['✅ Workflow run', 'proven'],
      ['✅ OIDC token', 'proven'],
      ['✅ Federated credential', 'proven'],
      ['✅ Identity', 'proven'],
      ['✅ Group', 'proven'],
      ['✅ Role assignment', 'proven'],
      ['✅ Data actions', 'proven'],
      ['✅ Resource', 'proven'],
      ['✅ Model call', 'proven'],
    ]);
    expect(chart.edges.every((e) => e.stroke === 'normal')).toBe(true);
    expect(vertexFor(chart, 'assignment')?.lines).toContain('Cognitive Services User at resource group rg-foundry');
  });

  it('denied with Contributor only: the data actions are the broken link', async () => {
    const chart = await firstChart(FIXTURES['control-plane-role-only'].report);
    expect(coded(chart).map((v) => v.lines[0])).toEqual(['❌ Data actions (broken)']);
    expect(vertexFor(chart, 'assignment')).toMatchObject({ classes: ['proven'], lines: ['✅ Role assignment', 'Contributor at resource group rg-foundry'] });
    expect(vertexFor(chart, 'data-actions')?.lines).toContain(`lacks ${MAAS}`);
  });

  it('propagating: the assignment is on its way, with its age', async () => {
    const chart = await firstChart(FIXTURES['propagation-timeout'].report);
    expect(coded(chart).map((v) => v.lines[0])).toEqual(['⏳ Role assignment (on its way)']);
    expect(vertexFor(chart, 'assignment')).toMatchObject({ classes: ['propagating'] });
    expect(vertexFor(chart, 'assignment')?.lines).toContain('assigned 3 min ago');
  });

  it('federated-credential mismatch: the federated credential is the broken link, after a proven token', async () => {
    const chart = await firstChart(FIXTURES['federated-credential-mismatch'].report);
    expect(coded(chart).map((v) => v.lines[0])).toEqual(['❌ Federated credential (broken)']);
    expect(vertexFor(chart, 'subject')?.lines).toEqual(['✅ OIDC token', `subject ${PRESENTED.subject}`, `audience ${PRESENTED.audience}`]);
    expect(chart.vertices.at(-1)?.lines).toEqual(['Not reached: Identity, Role assignment, Data actions, Resource, Model call']);
  });

  it('network blocked: the resource is the broken link, after proven data actions, with what the service said', async () => {
    const chart = await firstChart(FIXTURES['network-blocked'].report);
    expect(coded(chart).map((v) => v.lines[0])).toEqual(['❌ Resource (broken)']);
    expect(vertexFor(chart, 'resource')?.lines).toContain('Access denied due to Virtual Network/Firewall rules.');
    expect(vertexFor(chart, 'data-actions')).toMatchObject({ classes: ['proven'] });
    expect(chart.vertices.at(-1)?.lines).toEqual(['Not reached: Model call']);
  });

  it('puts the fix right under the picture', () => {
    const md = summaryMarkdown(FIXTURES['control-plane-role-only'].report);
    const after = md.slice(md.indexOf('```\n', md.indexOf('```mermaid')));
    expect(after.split('\n').slice(1, 6).join('\n')).toMatch(/^\n\*\*Only management roles are assigned\*\* \(`control-plane-role-only`\)[\s\S]*\*\*Fix\*\*/);
  });

  it('shows a README example that Mermaid parses, with the broken link GitHub will draw', async () => {
    const blocks = mermaidBlocks(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
    expect(blocks).toHaveLength(1);
    const chart = await parseFlowchart(blocks[0] ?? '');
    expect(coded(chart).map((v) => v.lines.at(-1))).toEqual(['control-plane-role-only: Only management roles are assigned']);
  });

  it('draws the same picture in the pull-request comment', () => {
    const report = FIXTURES['federated-credential-mismatch'].report;
    expect(mermaidBlocks(commentBody(report, '<!-- m -->'))).toEqual(mermaidBlocks(summaryMarkdown(report)));
  });
});

describe('many resources', () => {
  const many = (count: number, broken: (i: number) => boolean): RunReport => {
    const ids = Array.from({ length: count }, (_, i) => account(`acct-${String(i).padStart(2, '0')}`));
    const verdicts = ids.map((resourceId, i) =>
      decideResource({ resourceId, required: [MAAS], permissions: readPermissions(...(broken(i) ? CONTRIBUTOR : COGNITIVE_SERVICES_USER)), facts: { principalId: PRINCIPAL, clientId: 'c' }, assignments: readAssignments(broken(i) ? CONTRIBUTOR_ASSIGNMENT : assignment({ scope: resourceId })) }),
    );
    return checkedReport(config(ids), verdicts, PRINCIPAL, PRESENTED, 1, 0, CHECKED_AT);
  };

  it('fifty resources with two stories draw two pictures, the failing one first, and keep every resource in the table', async () => {
    const md = summaryMarkdown(many(50, (i) => i % 10 === 3));
    const blocks = mermaidBlocks(md);
    expect(blocks).toHaveLength(2);
    for (const block of blocks) await parseFlowchart(block);
    expect(md).toMatch(/^### 5 resources: `acct-03`, `acct-13`, `acct-23`, `acct-33`, `acct-43`: ❌ `control-plane-role-only`$/m);
    expect(md).toMatch(/^### 45 resources: `acct-00`, `acct-01`, .* and 37 more: ✅ `ok`$/m);
    expect(md.indexOf('control-plane-role-only`\n')).toBeLessThan(md.indexOf('✅ `ok`\n'));
    expect(md.match(/^\| `acct-\d\d` \|/gm)).toHaveLength(50);
    // One fix in full, the other resources' commands folded under it.
    expect(md).toContain('<details><summary>The same fix for the other 4 resources</summary>');
    expect(md).toContain(`--scope ${account('acct-43')}`);
  });

  it('never draws more than five pictures', () => {
    const ids = Array.from({ length: 50 }, (_, i) => account(`acct-${i}`));
    const codes: readonly DiagnosisCode[] = ['role-missing', 'cannot-verify', 'resource-not-found', 'throttled', 'service-unavailable', 'control-plane-role-only', 'ok'];
    const evidence = {
      'role-missing': readPermissions(),
      'cannot-verify': { kind: 'refused', status: 403 },
      'resource-not-found': { kind: 'refused', status: 404 },
      throttled: { kind: 'refused', status: 429 },
      'service-unavailable': { kind: 'refused', status: 503 },
      'control-plane-role-only': readPermissions(...CONTRIBUTOR),
      ok: readPermissions(...COGNITIVE_SERVICES_USER),
    } as const;
    const verdicts = ids.map((resourceId, i) => decideResource({ resourceId, required: [MAAS], permissions: evidence[codes[i % codes.length] as keyof typeof evidence], facts: { principalId: PRINCIPAL } }));
    const report = checkedReport(config(ids), verdicts, PRINCIPAL, PRESENTED, 1, 0, CHECKED_AT);
    expect(reportChains(report)).toHaveLength(7);
    const md = summaryMarkdown(report);
    expect(mermaidBlocks(md)).toHaveLength(5);
    expect(md.match(/^### /gm)).toHaveLength(7);
  });
});

describe('service text in the picture is text', () => {
  const HOSTILE = [
    'Role "quoted" name',
    'x"] --> evil["owned',
    'a]; click n0 "https://evil.example" _blank; %% hidden',
    '%%{init: {"theme": "dark"}}%%',
    'line one\nline two\r\nflowchart LR',
    '<img src=x onerror=alert(1)><script>alert(1)</script><b>bold</b>',
    '`markdown **string**`',
    '@mona please merge; n0@{ shape: circle }',
    'e1@--> n9 ::: broken',
    '#quot; #35; #lt;b#gt; &amp; &lt;',
    '{braces} (parens) [[sub]] ((circle)) >flag]',
    'ﬂ°°35¶ß placeholder lookalike',
    'café 中文 🚀 \u202eevil\u202c',
    'A'.repeat(300),
  ];

  /** A denied run whose role name, subject and workflow are the given text. */
  const withText = (text: string): RunReport => {
    const hostile = assignment({ ...CONTRIBUTOR_ASSIGNMENT, roleName: text, principalId: text, principalType: 'Group', scope: `/subscriptions/${text}` });
    const report = checked(readPermissions(...CONTRIBUTOR), readAssignments(hostile));
    return { ...report, presented: { ...PRESENTED, subject: text, workflowRef: text } };
  };

  const shape = (chart: Flowchart) => ({
    vertices: chart.vertices.map((v) => [v.id, v.classes.join(), v.lines.length]),
    edges: chart.edges.map((e) => [e.start, e.end, e.stroke]),
  });

  it.each(HOSTILE.map((text) => [JSON.stringify(text).slice(0, 60), text] as const))('%s', async (_, text) => {
    const benign = shape(await firstChart(withText('Contributor')));
    const chart = await firstChart(withText(text));
    expect(shape(chart)).toEqual(benign);
    const shown = displayText(text);
    expect(vertexFor(chart, 'run')?.lines).toContain(shown);
    expect(vertexFor(chart, 'subject')?.lines).toContain(displayText(`subject ${text}`));
    expect(vertexFor(chart, 'assignment')?.lines[1]).toBe(displayText(`${text} at ${shortScope(`/subscriptions/${text}`, '')}`));
  });

  it('holds for any text (property)', async () => {
    const benign = shape(await firstChart(withText('Contributor')));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom(...'"\'`<>[](){}|#;%@:-!&*\\/\n\r\t =.aZ9é🚀'.split(/(?:)/u)), maxLength: 60 }), async (text) => {
        fc.pre(displayText(text) !== '');
        const chart = await firstChart(withText(text));
        expect(shape(chart)).toEqual(benign);
        expect(vertexFor(chart, 'run')?.lines.slice(1)).toEqual(displayText(text) ? [displayText(text)] : []);
      }),
      { numRuns: 60 },
    );
  });

  it('escapes everything Mermaid or HTML could read as syntax', () => {
    expect(mermaidText('a"b')).toBe('a#34;b');
    expect(mermaidText('x --> y')).toBe('x --#62; y');
    expect(mermaidText('%%')).toBe('#37;#37;');
    expect(mermaidText('`@<&#;')).toBe('#96;#64;#60;#38;#35;#59;');
    expect(mermaidText('[a]{b}(c)|d')).toBe('#91;a#93;#123;b#125;#40;c#41;#124;d');
    expect(mermaidText('a\nb\r\nc')).toBe('a b c');
    expect(mermaidText('Cognitive Services User at resource-group rg_1/x.y')).toBe('Cognitive Services User at resource-group rg_1/x.y');
  });

  it('draws only our own node IDs, whatever the text', () => {
    const source = chainMermaid({ diagnosis: 'ok', nodes: [{ link: 'run', state: 'proven', details: ['n1 --> n2'] }], notReached: [] });
    expect(source.split('\n').filter((l) => l.includes('-->'))).toEqual([]);
    expect(source.split('\n').slice(0, 6)).toEqual(['---', 'config:', '  flowchart:', '    wrappingWidth: 400', '---', 'flowchart TD']);
  });
});

describe('the text tree for terminals', () => {
  const plain = { mark: { proven: (t: string) => t, broken: (t: string) => t, unknown: (t: string) => t, propagating: (t: string) => t }, dim: (t: string) => t };

  it('indents one level per link, with the same states and the code on the broken link', () => {
    const [group] = reportChains(FIXTURES['control-plane-role-only'].report);
    expect(chainTree(group!.chain, plain)).toEqual([
      `✔ Workflow run: ${PRESENTED.workflowRef}`,
      `└─ ✔ OIDC token: subject ${PRESENTED.subject}; audience ${PRESENTED.audience}`,
      '   └─ ✔ Federated credential: on app 1b6e4f2a-9c3d-4e7f-8a5b-6c2d1e0f9a8b',
      `      └─ ✔ Identity: client ID 1b6e4f2a-9c3d-4e7f-8a5b-6c2d1e0f9a8b; object ID ${PRINCIPAL}`,
      '         └─ ✔ Role assignment: Contributor at resource group rg-foundry',
      `            └─ ✘ Data actions (broken): lacks ${MAAS}`,
      '                 ← control-plane-role-only: Only management roles are assigned',
      '               └─ · Not reached: Resource, Model call',
    ]);
  });

  it('shows a propagating link as on its way in the CLI report', () => {
    const text = terminalReport(FIXTURES['propagation-timeout'].report, { color: false });
    expect(text).toContain('└─ … Role assignment (on its way): Cognitive Services User at this resource; assigned 3 min ago');
    expect(text).toContain('← propagation-timeout: A role assignment exists but was not effective in time');
  });

  it('scrubs a token a service echoed into the chain from the CLI report', () => {
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.chain-test-secret.sig';
    keepSecret(token);
    const report = checked({ kind: 'refused', status: 404, code: 'ResourceNotFound', message: `no such resource for ${token}` });
    const text = terminalReport(report, { color: false });
    expect(text).toContain('no such resource for');
    expect(text).not.toContain(token);
    expect(summaryMarkdown(report)).not.toContain(token);
  });

  it('prints no control character a service sent', () => {
    const report = checked(readPermissions(...CONTRIBUTOR), readAssignments(assignment({ ...CONTRIBUTOR_ASSIGNMENT, roleName: 'x\x1b]0;pwned\x07\ny', createdOn: FRESH })));
    const tree = reportChains(report).flatMap((g) => chainTree(g.chain, plain));
    const controls = [...tree.join('')].filter((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\x7f');
    expect(controls).toEqual([]);
    expect(tree.join('\n')).toContain('x ]0;pwned y at resource group rg-foundry');
  });
});
