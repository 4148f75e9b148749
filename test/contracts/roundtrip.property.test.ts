import * as fc from 'fast-check';
import { glueType, name } from '../helpers/glue-type-arbitraries';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLASSIFICATION_VALUES, GLUE_MAX_COMMENT_LENGTH } from '../../lib/defaults';
import { ProblemCollector } from '../../lib/errors';
import { exportContract, toYaml } from '../../lib/contracts/export';
import { mapContract } from '../../lib/contracts/map';
import { parseContract } from '../../lib/contracts/parse';
import { ColumnSpec, DataFormat, isPrimitiveType, PartitionProjection, TableSpec, validateTable } from '../../lib/table-schema';


const text = (max: number) => fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: max }));

const column: fc.Arbitrary<Omit<ColumnSpec, 'name'>> = fc.record({
  type: glueType,
  comment: text(GLUE_MAX_COMMENT_LENGTH),
  classification: fc.constantFrom(...DEFAULT_CLASSIFICATION_VALUES),
}, { requiredKeys: ['type'] });

const projection: fc.Arbitrary<PartitionProjection> = fc.oneof(
  fc.constant({ type: 'injected' } as const),
  fc.uniqueArray(name, { minLength: 1, maxLength: 3 }).map((values) => ({ type: 'enum', values }) as const),
  fc.constant({ type: 'integer', range: '0,100' } as const),
);

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

const tables = fc.uniqueArray(table, { minLength: 1, maxLength: 3, selector: (t) => t.name });

describe('exportContract → YAML → parseContract → mapContract', () => {
  it('gives back identical tables for random valid products', () => {
    fc.assert(fc.property(tables, fc.option(fc.record({ bucket: fc.constant('acme-data'), prefix: fc.constantFrom('', 'a', 'a/b') })), (ts, location) => {
      // given valid tables (as the project's validation sees them)
      for (const t of ts) {
        const c = new ProblemCollector();
        validateTable(c, t, DEFAULT_CLASSIFICATION_VALUES);
        expect(c.list).toEqual([]);
      }
      // when they are exported, written as YAML, parsed and mapped
      const yaml = toYaml(exportContract({
        domain: 'sales', productName: 'orders', description: 'Orders', owner: 'team', classification: 'internal', tables: ts, ...(location ? { location } : {}),
      }));
      const spec = mapContract(parseContract(yaml, 'generated.odcs.yaml'));
      // then the tables are the same: names, columns, types, comments, classifications, partition keys, projection, format
      expect(spec.tables).toEqual(ts);
      expect(spec.warnings).toEqual([]);
    }), { numRuns: 100 });
  });
});
