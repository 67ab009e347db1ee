/**
 * Text inside a quoted Mermaid label. Mermaid reads `"` as the label's end, `#…;` as an entity, backticks as a
 * Markdown string, `%%` as a comment, and renders labels as HTML; `-->`, brackets, `@` and `:::` are syntax outside
 * quotes. So everything but letters, digits and a few plain punctuation marks becomes a numeric entity (`#34;`),
 * which Mermaid turns back into the same character when it draws: the text shows as written and never acts.
 */
const PLAIN = /[\p{L}\p{N} .,:/_+=?!*'-]/u;

export function mermaidText(text: string): string {
  let out = '';
  for (const char of text.replace(/[\p{C}\p{Zl}\p{Zp}\r\n]+/gu, ' ')) {
    out += PLAIN.test(char) ? char : `#${char.codePointAt(0) ?? 32};`;
  }
  return out;
}
