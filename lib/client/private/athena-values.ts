const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const FLOAT_TYPES = new Set(['double', 'float', 'real', 'decimal']);

/**
 * Converts one Athena result cell (always text, `undefined` for SQL NULL) into a JavaScript value by the
 * column's Athena type: integers → number (string beyond Number.MAX_SAFE_INTEGER, so no digit is lost),
 * double/float/real/decimal → number, boolean → boolean, everything else (date, timestamp, varchar, arrays,
 * maps, rows, JSON...) → the text as Athena rendered it.
 */
export function athenaValue(type: string | undefined, text: string | undefined): unknown {
  if (text === undefined) return null;
  const base = (type ?? '').trim().toLowerCase().replace(/\(.*$/, '');
  if (INTEGER_TYPES.has(base)) {
    if (!/^[+-]?\d+$/.test(text.trim())) return text;
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text.trim();
  }
  if (FLOAT_TYPES.has(base)) {
    const t = text.trim();
    // Number('') is 0: keep anything that is not a number as Athena wrote it.
    if (t === '' || (Number.isNaN(Number(t)) && t !== 'NaN')) return text;
    return Number(t);
  }
  if (base === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
    return text;
  }
  return text;
}
