/** Small helpers shared by the contract modules. */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** Sets a property even when the key is `__proto__`. */
export function define(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Field path of a map key; keys that would make the path unreadable are quoted. */
export function childPath(parent: string, key: string): string {
  const shown = key === '' || /[\s`"[\].]/.test(key) ? JSON.stringify(key).replace(/`/g, '\\u0060') : key;
  return parent === '' ? shown : `${parent}.${shown}`;
}

/** `a.b[2].c` → `a.b[2]` → `a.b` → `a` → ``. */
export function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

/**
 * The closest candidate (case-insensitive): edit distance at most 2, or a third of the word for longer words
 * (`slaProperty` → `slaProperties`), or one is a prefix of the other.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= limit && bestDistance < w.length) return best;
  if (w.length < 3) return undefined;
  return candidates.find((c) => c.toLowerCase().startsWith(w) || w.startsWith(c.toLowerCase()));
}

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** `Did you mean "x"? ` or the fallback. */
export function didYouMean(word: string, candidates: readonly string[], fallback: string): string {
  const s = suggest(word, candidates);
  return s !== undefined && s !== word ? `Did you mean "${s}"?` : fallback;
}

/** Lowercase letters only, for comparing free-text values such as roles or units. */
export function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}
