import { editDistance, suggest } from '../suggest';

export { editDistance, suggest };
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

/** `Did you mean "x"? ` or the fallback. */
export function didYouMean(word: string, candidates: readonly string[], fallback: string): string {
  const s = suggest(word, candidates);
  return s !== undefined && s !== word ? `Did you mean "${s}"?` : fallback;
}

/** Lowercase letters only, for comparing free-text values such as roles or units. */
export function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}
