import * as fc from 'fast-check';
import { glueType, name } from './glue-type-arbitraries';
import { DEFAULT_CLASSIFICATION_VALUES, GLUE_MAX_COMMENT_LENGTH } from '../../lib/defaults';
import { RESERVED_PRODUCT_NAMES } from '../../lib/naming';
import { ColumnSpec, DataFormat, isPrimitiveType, PartitionProjection, TableSpec } from '../../lib/table-schema';
import { COST_CENTERS } from './contract-app';

/** Random valid data product definitions (what `new DataProduct` takes besides domain and governance). */


/** Non-empty text up to `max` UTF-16 units: ASCII, or any Unicode grapheme (accents, emoji). */
const text = (max: number) => fc.oneof(
  fc.string({ minLength: 1, maxLength: Math.min(max, 40) }),
  fc.string({ minLength: 1, maxLength: max }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 60) }),
).filter((s) => s.length <= max);

const column: fc.Arbitrary<Omit<ColumnSpec, 'name'>> = fc.record({
  type: glueType,
  comment: text(GLUE_MAX_COMMENT_LENGTH),
  classification: fc.constantFrom(...DEFAULT_CLASSIFICATION_VALUES),
}, { requiredKeys: ['type'] });

const projection: fc.Arbitrary<PartitionProjection> = fc.oneof(
  fc.constant({ type: 'injected' } as const),
  fc.uniqueArray(name, { minLength: 1, maxLength: 3 }).map((values) => ({ type: 'enum', values }) as const),
  fc.constant({ type: 'integer', range: '0,100' } as const),
  fc.constant({ type: 'date', range: 'NOW-3YEARS,NOW', format: 'yyyy-MM-dd' } as const),
);

/** Tables without `parameters`: DataProduct.toContract does not export extra table parameters. */
const table: fc.Arbitrary<TableSpec> = fc.record({
  name,
  description: text(200),
  format: fc.constantFrom(DataFormat.PARQUET, DataFormat.JSON, DataFormat.CSV),
  classification: fc.constantFrom(...DEFAULT_CLASSIFICATION_VALUES),
  columns: fc.uniqueArray(fc.tuple(name, column), { minLength: 1, maxLength: 6, selector: ([n]) => n })
    .map((cols) => cols.map(([n, c]) => ({ name: n, ...c }))),
}, { requiredKeys: ['name', 'columns'] }).chain((t) => {
  // Partition keys: primitive columns in any order, leaving one data column.
  const candidates = t.columns.filter((c) => isPrimitiveType(c.type)).map((c) => c.name).slice(0, t.columns.length - 1);
  if (candidates.length === 0) return fc.constant(t as TableSpec);
  return fc.tuple(fc.shuffledSubarray(candidates), fc.boolean(), fc.array(projection, { minLength: candidates.length, maxLength: candidates.length }))
    .map(([keys, project, projections]) => {
      if (keys.length === 0) return t as TableSpec;
      const out: TableSpec = { ...t, partitionKeys: keys };
      return project ? { ...out, projection: Object.fromEntries(keys.map((k, i) => [k, projections[i]])) } : out;
    });
});

export interface ProductDefinition {
  readonly productName: string;
  readonly description: string;
  readonly owner: string;
  readonly classification: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly tables: readonly TableSpec[];
  readonly quality: readonly { readonly table: string; readonly dqdl: string }[];
  readonly freshnessHours?: number;
  readonly retentionDays?: number;
  /** Import the contract as a YAML file rather than as the object. */
  readonly viaYaml: boolean;
}

/** A DQDL ruleset on a table: completeness of one of its columns and a row count. */
const ruleset = (t: TableSpec): fc.Arbitrary<{ table: string; dqdl: string }> => fc.tuple(fc.constantFrom(...t.columns.map((c) => c.name)), fc.nat(1000))
  .map(([col, n]) => ({ table: t.name, dqdl: `Rules = [ IsComplete "${col}", RowCount > ${n} ]` }));

export const productDefinition: fc.Arbitrary<ProductDefinition> = fc.record({
  productName: name.filter((n) => n.length <= 10 && !RESERVED_PRODUCT_NAMES.includes(n)),
  description: fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim() === s && s !== ''),
  owner: name,
  classification: fc.constantFrom(...DEFAULT_CLASSIFICATION_VALUES),
  tags: fc.option(fc.constantFrom(...COST_CENTERS), { nil: undefined }).map((v): Record<string, string> => (v === undefined ? {} : { cost_center: v })),
  tables: fc.uniqueArray(table, { minLength: 1, maxLength: 3, selector: (t) => t.name }),
  freshnessHours: fc.option(fc.integer({ min: 1, max: 7 * 24 }), { nil: undefined }),
  retentionDays: fc.option(fc.integer({ min: 1, max: 3650 }), { nil: undefined }),
  viaYaml: fc.boolean(),
}, { requiredKeys: ['productName', 'description', 'owner', 'classification', 'tags', 'tables', 'viaYaml'] })
  .chain((p) => fc.tuple(...p.tables.map((t) => fc.option(ruleset(t), { nil: undefined })))
    .map((rs) => ({ ...p, quality: rs.filter((r): r is { table: string; dqdl: string } => r !== undefined) })));
