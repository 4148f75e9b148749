import * as fc from 'fast-check';

/** Arbitraries shared by the property tests of contracts and contract-defined products. */

/** A table, column or product name. */
export const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
/** A struct field name. */
export const fieldName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,7}$/);

/** Primitive Glue types written canonically (lowercase, no spaces). `integer` is left out: it reads back as `int`. */
export const primitive = fc.oneof(
  fc.constantFrom('boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'string', 'date', 'timestamp', 'binary', 'decimal'),
  fc.integer({ min: 1, max: 38 }).chain((p) => fc.integer({ min: 0, max: p }).map((s) => `decimal(${p},${s})`)),
  fc.integer({ min: 1, max: 65535 }).map((n) => `varchar(${n})`),
  fc.integer({ min: 1, max: 255 }).map((n) => `char(${n})`),
);

/** Any Glue type: primitives, arrays, maps and structs, nested. */
export const glueType: fc.Arbitrary<string> = fc.letrec<{ type: string }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    tie('type').map((t) => `array<${t}>`),
    fc.tuple(primitive.filter((k) => k !== 'decimal'), tie('type')).map(([k, v]) => `map<${k},${v}>`),
    fc.uniqueArray(fc.tuple(fieldName, tie('type')), { minLength: 1, maxLength: 3, selector: ([n]) => n })
      .map((fields) => `struct<${fields.map(([n, t]) => `${n}:${t}`).join(',')}>`),
  ),
})).type;
