/**
 * Every secret the run holds (GitHub ID tokens, Entra access tokens, the github-token), so that whatever leaves
 * the process can be scrubbed of them. The runner masks its log, but not a pull-request comment, and a service
 * may echo a token back in its error text, whole or cut short.
 */
const kept = new Set<string>();

/** Remembers a secret for scrubbing; the caller masks it in the runner's log as well. */
export function keepSecret(secret: string): void {
  if (secret.length >= 8) kept.add(secret);
}

// A JWT or a sizeable piece of one (header, payload or signature), however it was cut: every token the run
// mints is one, and an echo may be truncated. A JWT header always starts with `eyJ` ('{"').
const JWT = /eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}/g;

const SCRUBBED = '***';

/** The text with every kept secret, and anything shaped like a JWT, replaced by `***`. */
export function scrub(text: string): string {
  let out = text;
  for (const secret of [...kept].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(SCRUBBED);
  }
  return out.replace(JWT, SCRUBBED);
}
