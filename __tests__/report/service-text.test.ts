/** The log sink and the Markdown escaping, directly: every renderer of service text relies on these two modules. */
import { describe, expect, it } from 'vitest';
import { logText, oneLine } from '../../src/report/log-sink.js';
import { markdownCode, markdownText } from '../../src/report/markdown.js';
import { keepSecret, scrub } from '../../src/lib/secrets.js';

describe('logText', () => {
  it.each([
    ['a\n::stop-commands::x', 'a\n:\u200B:stop-commands::x'],
    ['a\r::add-mask::x', 'a\n:\u200B:add-mask::x'],
    ['a\r\n  ::error::x', 'a\n  :\u200B:error::x'],
    ['a\u2028::warning::x', 'a\n:\u200B:warning::x'],
    ['##[group]x', '#\u200B#[group]x'],
    ['red \u001b[31m bell \u0007', 'red \uFFFD[31m bell \uFFFD'],
    ['plain text: with :: inside', 'plain text: with :: inside'],
  ])('neutralises %j', (input, expected) => {
    expect(logText(input)).toBe(expected);
  });

  it('flattens to one line on request', () => {
    expect(oneLine('a\n::b')).toBe('a :\u200B:b');
  });
});

describe('markdownText', () => {
  it('escapes HTML, mentions, links, pipes and backticks, on one line', () => {
    expect(markdownText('<img src=x> @octocat [a](b) | `c`\n## d')).toBe("&lt;img src=x&gt; @\u200Boctocat \\[a\\](b) \\| 'c' ## d");
  });

  it('cuts long text', () => {
    expect(markdownText('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it('keeps a code span closed and its table cell whole', () => {
    expect(markdownCode('a`b|c\nd')).toBe("`a'b\\|c d`");
  });
});

describe('scrub', () => {
  it('removes kept secrets and anything shaped like a JWT, even cut short', () => {
    keepSecret('ghs_0123456789abcdef');
    expect(scrub('token ghs_0123456789abcdef and eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl and eyJhbGciOiJSUzI1Ni')).toBe('token *** and *** and ***');
  });
});
