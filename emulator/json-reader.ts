const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads untrusted JSON field by field, collecting every problem instead of stopping at the first. */
export class JsonReader {
  readonly problems: string[] = [];

  problem(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    this.problem(path, 'must be an object');
    return {};
  }

  onlyKnown(o: Record<string, unknown>, path: string, known: readonly string[]): void {
    for (const key of Object.keys(o)) {
      if (!known.includes(key)) this.problem(`${path}.${key}`, `unknown field (known fields: ${known.join(', ')})`);
    }
  }

  list(o: Record<string, unknown>, key: string, path: string): unknown[] {
    const value = o[key];
    if (value === undefined) return [];
    if (Array.isArray(value)) return value as unknown[];
    this.problem(`${path}.${key}`, 'must be an array');
    return [];
  }

  string(o: Record<string, unknown>, key: string, path: string, fallback?: string): string {
    const value = o[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && value !== '') return value;
    this.problem(`${path}.${key}`, value === undefined ? 'is required' : 'must be a non-empty string');
    return fallback ?? '';
  }

  guid(o: Record<string, unknown>, key: string, path: string, fallback?: string): string {
    const value = this.string(o, key, path, fallback);
    if (value && !GUID.test(value)) this.problem(`${path}.${key}`, `'${value}' is not a GUID`);
    return value;
  }

  strings(o: Record<string, unknown>, key: string, path: string, fallback?: string[]): string[] {
    const value = o[key];
    if (value === undefined && fallback !== undefined) return [...fallback];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [...value];
    this.problem(`${path}.${key}`, value === undefined ? 'is required' : 'must be an array of strings');
    return fallback ?? [];
  }

  boolean(o: Record<string, unknown>, key: string, path: string, fallback: boolean): boolean {
    const value = o[key];
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.problem(`${path}.${key}`, 'must be true or false');
    return fallback;
  }

  number(o: Record<string, unknown>, key: string, path: string, fallback: number, min = -Infinity, max = Infinity): number {
    const value = o[key];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
    const range = max === Infinity ? `>= ${min}` : `between ${min} and ${max}`;
    this.problem(`${path}.${key}`, `must be a number ${range}`);
    return fallback;
  }

  oneOf<T extends string>(o: Record<string, unknown>, key: string, path: string, allowed: readonly T[], fallback?: T): T {
    const value = o[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problem(`${path}.${key}`, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}${value === undefined ? '' : `, got ${JSON.stringify(value)}`}`);
    return allowed[0] as T;
  }

  unique(values: string[], path: string, what: string): void {
    const seen = new Set<string>();
    for (const value of values) {
      if (value && seen.has(value)) this.problem(path, `duplicate ${what} '${value}'`);
      seen.add(value);
    }
  }
}
