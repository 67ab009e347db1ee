/**
 * Azure RBAC action patterns: case-insensitive, and `*` matches any run of characters, `/` included
 * (so `Microsoft.CognitiveServices/*` reaches `Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action`).
 *
 * Required data actions may be patterns themselves (`…/MaaS/*`), so "is this granted" is a question about
 * sets of actions, not strings: a grant must cover every action the required pattern can stand for.
 */

const STAR = '*';

/**
 * The longest action pattern read as evidence. Azure's longest actions are under 200 characters; matching is
 * quadratic in pattern length, so a service's 1 MB pattern is refused before it is matched, never matched.
 */
export const MAX_PATTERN_LENGTH = 512;

function fold(pattern: string): string {
  return pattern.toLowerCase();
}

/**
 * True when every action that `required` can stand for is also matched by `granted`.
 *
 * Treating each `*` of `required` as a symbol that only a `*` of `granted` may absorb is exact: substitute a
 * character that `granted` never mentions for each of those stars, and `granted` can only match that string
 * by absorbing them with its own stars.
 */
export function covers(granted: string, required: string): boolean {
  const g = fold(granted);
  const r = fold(required);
  // reach[j]: granted[0..i) can absorb required[0..j)
  let reach: boolean[] = new Array<boolean>(r.length + 1).fill(false);
  reach[0] = true;
  for (let i = 0; i < g.length; i++) {
    const next: boolean[] = new Array<boolean>(r.length + 1).fill(false);
    if (g[i] === STAR) {
      let seen = false;
      for (let j = 0; j <= r.length; j++) {
        seen = seen || reach[j] === true;
        next[j] = seen;
      }
    } else {
      for (let j = 1; j <= r.length; j++) {
        next[j] = reach[j - 1] === true && r[j - 1] === g[i];
      }
    }
    reach = next;
  }
  return reach[r.length] === true;
}

/**
 * True when some action is matched by both patterns: how a `notDataActions` entry is tested against a required
 * pattern, since excluding any part of what is required means the requirement is not met in full.
 */
export function intersects(a: string, b: string): boolean {
  const x = fold(a);
  const y = fold(b);
  // A walk over pairs of positions in the two patterns; each step consumes one character of some common string.
  const seen = new Set<number>();
  const key = (i: number, j: number): number => i * (y.length + 1) + j;
  const stack: Array<[number, number]> = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop() as [number, number];
    if (seen.has(key(i, j))) continue;
    seen.add(key(i, j));
    if (i === x.length && j === y.length) return true;
    const xi = x[i];
    const yj = y[j];
    if (xi === STAR) stack.push([i + 1, j]);
    if (yj === STAR) stack.push([i, j + 1]);
    if (xi !== undefined && yj !== undefined) {
      if (xi !== STAR && yj !== STAR && xi === yj) stack.push([i + 1, j + 1]);
      if (xi === STAR && yj !== STAR) stack.push([i, j + 1]);
      if (yj === STAR && xi !== STAR) stack.push([i + 1, j]);
    }
  }
  return false;
}
