/**
 * The code and message of a service's error body, whichever of the shapes Azure services use: ARM's and the
 * data plane's `{"error":{"code","message"}}`, the same without the wrapper (`{"code","message"}`,
 * `{"statusCode":401,"message"}`), or OAuth's `{"error":"…","error_description":"…"}`.
 */
export function serviceError(text: string): { code?: string; message?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const outer = body as Record<string, unknown>;
  const inner = typeof outer.error === 'object' && outer.error !== null && !Array.isArray(outer.error) ? (outer.error as Record<string, unknown>) : undefined;
  const source = inner ?? outer;
  const text_ = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);
  const code = text_(source.code) ?? (inner ? undefined : text_(outer.error));
  const message = text_(source.message) ?? text_(outer.error_description) ?? text_(outer.Message);
  return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
}
