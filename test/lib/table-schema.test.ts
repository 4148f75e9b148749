import { describe, expect, it } from 'vitest';
import { DEFAULT_CLASSIFICATION_VALUES, GLUE_MAX_COMMENT_LENGTH } from '../../lib/defaults';
import { ProblemCollector, formatProblem } from '../../lib/errors';
import {
  CSV_LAZY_SIMPLE_FORMAT, CSV_LAZY_SIMPLE_SERDE_WARNING, DATA_FORMATS, DataFormat, PRIMITIVE_TYPES, TableSpec, csvLazySimpleSerdeWarning, glueTypeProblem,
  isPrimitiveType, primitiveTypeNames, projectionParameters, storageFormatOf, temporalDataColumns, validateClassification, validateTable,
} from '../../lib/table-schema';

const CLASSIFICATIONS = DEFAULT_CLASSIFICATION_VALUES;

/** A valid partitioned table; tests break one thing at a time. */
const ORDERS: TableSpec = {
  name: 'orders',
  columns: [
    { name: 'order_id', type: 'string', comment: 'Order identifier' },
    { name: 'amount', type: 'decimal(12,2)' },
    { name: 'email', type: 'string', classification: 'pii' },
    { name: 'order_date', type: 'date' },
    { name: 'channel', type: 'string' },
  ],
  partitionKeys: ['order_date', 'channel'],
  projection: {
    order_date: { type: 'date', range: 'NOW-3YEARS,NOW', format: 'yyyy-MM-dd' },
    channel: { type: 'enum', values: ['web', 'store'] },
  },
};

function problemsOf(table: TableSpec, prefix = 'tables[0]'): string[] {
  const c = new ProblemCollector(prefix);
  validateTable(c, table, CLASSIFICATIONS);
  return c.list.map(formatProblem);
}

/** The one problem for `field`, failing when there is none. */
function problemFor(problems: string[], field: string): string {
  const p = problems.find((x) => x.startsWith(`\`${field}\` `));
  expect(p, `no problem for ${field} in ${JSON.stringify(problems, null, 1)}`).toBeDefined();
  return p!;
}

describe('glueTypeProblem', () => {
  it.each([
    ...PRIMITIVE_TYPES,
    'decimal', 'decimal(10,2)', 'decimal(38,38)', 'decimal( 5 , 0 )', 'decimal(10)', 'decimal(1)', 'decimal(38)', 'char(1)', 'char(255)', 'varchar(1)', 'varchar(65535)',
    'INT', 'String', 'Array<String>', 'MAP<STRING,BIGINT>', 'Struct<Id:BigInt>', 'DECIMAL(10,2)', 'Decimal', 'VARCHAR(20)',
    'map<decimal,string>', 'map<decimal(10),string>', 'map<DECIMAL(10,2),int>',
    'array<int>', 'array<array<string>>', 'map<string,int>', 'map<int, array<string>>', 'map<decimal(10,2),string>',
    'struct<a:int>', 'struct<a:int,b:string>', 'struct< a : int , b : array<struct<c:map<string,double>>> >',
    'array<map<string,struct<id:bigint,tags:array<varchar(20)>>>>',
    '  string  ',
  ])('accepts %j', (type) => {
    expect(glueTypeProblem(type)).toBeUndefined();
  });

  it.each([
    ['text', '"text" is not a Glue type'],
    ['varchar', 'varchar needs a length, e.g. varchar(255)'],
    ['char', 'char needs a length, e.g. char(255)'],
    ['decimal(0,0)', 'decimal precision must be 1-38 and scale at most the precision, got decimal(0,0)'],
    ['decimal(39,2)', 'decimal precision must be 1-38'],
    ['decimal(10,11)', 'scale at most the precision'],
    ['decimal(39)', 'decimal precision must be 1-38 and scale at most the precision, got decimal(39)'],
    ['decimal(0)', 'decimal precision must be 1-38'],
    ['decimal(10,)', '"decimal(10,)" is not valid'],
    ['char(0)', 'char length must be 1-255, got char(0)'],
    ['char(256)', 'char length must be 1-255, got char(256)'],
    ['CHAR(0)', 'char length must be 1-255, got char(0)'],
    ['varchar(0)', 'varchar length must be 1-65535, got varchar(0)'],
    ['varchar(65536)', 'varchar length must be 1-65535, got varchar(65536)'],
    ['array<char(0)>', 'char length must be 1-255'],
    ['TEXT', '"text" is not a Glue type'],
    ['varchar(a)', '"varchar(a)" is not valid'],
    ['array<int', 'expected ">" at "end of type"'],
    ['array int', 'expected "<"'],
    ['array<>', 'expected a type name'],
    ['map<string>', 'expected ","'],
    ['map<array<int>,string>', 'map keys must be primitive, got "array<int>"'],
    ['map<struct<a:int>,string>', 'map keys must be primitive'],
    ['struct<>', 'struct fields must be written name:type'],
    ['struct<a int>', 'struct fields must be written name:type'],
    ['struct<a:int,a:string>', 'struct field "a" appears twice'],
    ['struct<a:unknown>', '"unknown" is not a Glue type'],
    ['array<map<string,struct<a:text>>>', '"text" is not a Glue type'],
    ['int int', 'unexpected "int"'],
    ['string>', 'unexpected ">"'],
    ['', 'expected a type name'],
  ])('rejects %j with %j', (type, message) => {
    const problem = glueTypeProblem(type);
    expect(problem).toBeDefined();
    expect(problem).toContain(message);
  });
});

describe('isPrimitiveType', () => {
  it.each(['int', 'STRING', ' date ', 'decimal(10,2)', 'decimal', 'DECIMAL', 'decimal(10)', 'Decimal(10,2)', 'varchar(3)', 'VARCHAR(3)', 'char(2)', 'timestamp'])('%j is primitive', (t) => {
    expect(isPrimitiveType(t)).toBe(true);
  });

  it.each(['array<int>', 'Array<Int>', 'map<string,int>', 'struct<a:int>', 'text', 'decimal(10,2,1)'])('%j is not primitive', (t) => {
    expect(isPrimitiveType(t)).toBe(false);
  });
});

describe('validateTable', () => {
  it('accepts a valid partitioned table with projection', () => {
    expect(problemsOf(ORDERS)).toEqual([]);
  });

  it('accepts every format and a classification of the ontology', () => {
    for (const format of Object.values(DataFormat)) {
      expect(problemsOf({ ...ORDERS, format, classification: 'confidential' })).toEqual([]);
    }
  });

  it('fails if the table name breaks the pattern, with a suggestion', () => {
    const p = problemFor(problemsOf({ ...ORDERS, name: 'Orders-2024' }), 'tables[0].name');
    expect(p).toContain('must be a table name matching');
    expect(p).toContain('got: "Orders-2024".');
    expect(p).toContain('Use for example "orders_2024".');
  });

  it('fails if the format is unknown', () => {
    const p = problemFor(problemsOf({ ...ORDERS, format: 'avro' as DataFormat }), 'tables[0].format');
    expect(p).toBe('`tables[0].format` must be one of parquet, json, csv, got: "avro". Pick a supported format.');
  });

  it('fails if the table classification is not in the ontology', () => {
    const p = problemFor(problemsOf({ ...ORDERS, classification: 'secret' }), 'tables[0].classification');
    expect(p).toBe('`tables[0].classification` must be a classification of the ontology (public, internal, confidential, pii), got: "secret". '
      + 'Use one of the allowed values, or add the value to the classification LF-tag of the ontology.');
  });

  it('fails if there are no columns', () => {
    const p = problemFor(problemsOf({ name: 'empty', columns: [] }), 'tables[0].columns');
    expect(p).toBe('`tables[0].columns` must list at least one column, got: []. Declare the columns of the table.');
  });

  it('fails if a column name breaks the pattern', () => {
    const table = { ...ORDERS, columns: [...ORDERS.columns, { name: 'Total Amount', type: 'double' }] };
    const p = problemFor(problemsOf(table), 'tables[0].columns[5].name');
    expect(p).toContain('must be a column name matching');
    expect(p).toContain('got: "Total Amount". Use for example "total_amount".');
  });

  it('fails if two columns share a name, naming the first one', () => {
    const table = { ...ORDERS, columns: [...ORDERS.columns, { name: 'amount', type: 'double' }] };
    const p = problemFor(problemsOf(table), 'tables[0].columns[5].name');
    expect(p).toBe('`tables[0].columns[5].name` must be unique in table "orders" (also used by columns[1]), got: "amount". Rename or remove one of the columns.');
  });

  it('fails if a column type is not a Glue type, with the parser problem and the supported types', () => {
    const table = { ...ORDERS, columns: [{ name: 'note', type: 'text' }, ...ORDERS.columns] };
    const p = problemFor(problemsOf(table), 'tables[0].columns[0].type');
    expect(p).toContain('must be a supported Glue type ("text" is not a Glue type), got: "text". Use a Glue type: boolean, tinyint');
    expect(p).toContain('decimal(p,s), char(n), varchar(n), array<T>, map<K,V> or struct<name:T,...>.');
  });

  it('fails if a column type is not a string', () => {
    const table = { ...ORDERS, columns: [{ name: 'note', type: 5 as unknown as string }, ...ORDERS.columns] };
    const p = problemFor(problemsOf(table), 'tables[0].columns[0].type');
    expect(p).toContain('must be a Glue type string, got: 5. Use a Glue type');
  });

  it(`fails if a column comment is longer than ${GLUE_MAX_COMMENT_LENGTH} characters`, () => {
    const long = 'c'.repeat(GLUE_MAX_COMMENT_LENGTH + 1);
    const table = { ...ORDERS, columns: [{ name: 'note', type: 'string', comment: long }, ...ORDERS.columns] };
    const p = problemFor(problemsOf(table), 'tables[0].columns[0].comment');
    expect(p).toContain(`must be a string of at most ${GLUE_MAX_COMMENT_LENGTH} characters (Glue's limit), got: "ccc`);
    expect(p).toContain('Shorten the comment; put longer documentation in the table description.');
    expect(problemsOf({ ...table, columns: [{ name: 'note', type: 'string', comment: long.slice(1) }, ...ORDERS.columns] })).toEqual([]);
  });

  it('fails if a column classification is not in the ontology', () => {
    const table = { ...ORDERS, columns: [{ name: 'ssn', type: 'string', classification: 'PII' }, ...ORDERS.columns] };
    const p = problemFor(problemsOf(table), 'tables[0].columns[0].classification');
    expect(p).toContain('got: "PII". Use one of the allowed values');
  });

  it('fails if a partition key is not a column, listing the columns', () => {
    const p = problemFor(problemsOf({ ...ORDERS, partitionKeys: ['order_date', 'dt'], projection: undefined }), 'tables[0].partitionKeys[1]');
    expect(p).toBe('`tables[0].partitionKeys[1]` must name a column of table "orders", got: "dt". '
      + 'Use one of: order_id, amount, email, order_date, channel, or add the column.');
  });

  it('fails if a partition key is repeated', () => {
    const p = problemFor(problemsOf({ ...ORDERS, partitionKeys: ['order_date', 'order_date'], projection: undefined }), 'tables[0].partitionKeys[1]');
    expect(p).toBe('`tables[0].partitionKeys[1]` must not repeat a partition key, got: "order_date". Remove the duplicate.');
  });

  it('fails if a partition key is not of a primitive type', () => {
    const table: TableSpec = { name: 't', columns: [{ name: 'id', type: 'string' }, { name: 'tags', type: 'array<string>' }], partitionKeys: ['tags'] };
    const p = problemFor(problemsOf(table), 'tables[0].partitionKeys[0]');
    expect(p).toBe('`tables[0].partitionKeys[0]` must be a column of a primitive type (partitions cannot be arrays, maps or structs), '
      + 'got: "tags: array<string>". Partition by a string, integer or date column.');
  });

  it('fails if every column is a partition key', () => {
    const table: TableSpec = { name: 't', columns: [{ name: 'day', type: 'date' }], partitionKeys: ['day'] };
    const p = problemFor(problemsOf(table), 'tables[0].partitionKeys');
    expect(p).toBe('`tables[0].partitionKeys` must leave at least one non-partition column, got: ["day"]. Add a data column or remove a partition key.');
  });

  it('accepts decimal partition keys, with or without precision, and types in any case', () => {
    const table: TableSpec = {
      name: 't',
      columns: [{ name: 'id', type: 'STRING' }, { name: 'price', type: 'decimal' }, { name: 'rate', type: 'Decimal(5)' }, { name: 'tags', type: 'Array<String>' }],
      partitionKeys: ['price', 'rate'],
    };
    expect(problemsOf(table)).toEqual([]);
  });

  it('fails if projection is configured without partition keys, on the field projection', () => {
    // given: a table without partitionKeys, and one with an empty list
    const projection = { day: { type: 'injected' as const } };
    for (const partitionKeys of [undefined, []]) {
      const table: TableSpec = { name: 't', columns: [{ name: 'id', type: 'string' }, { name: 'day', type: 'date' }], partitionKeys, projection };
      // when
      const problems = problemsOf(table);
      // then: one problem, on projection itself (not one per configured column)
      expect(problems, JSON.stringify(partitionKeys)).toEqual([
        '`tables[0].projection` needs partition keys: projection describes how partitions are laid out, got: {"day":{"type":"injected"}}. '
        + 'Add partitionKeys, or remove projection.',
      ]);
    }
  });

  it('fails if projection misses a partition key', () => {
    const table = { ...ORDERS, projection: { order_date: ORDERS.projection!.order_date } };
    const p = problemFor(problemsOf(table), 'tables[0].projection.channel');
    expect(p).toBe('`tables[0].projection.channel` must be configured for every partition key when projection is used, got: nothing. '
      + 'Add a projection for "channel" (type date, integer, enum or injected), or remove projection.');
  });

  it('fails if projection configures a column that is not a partition key', () => {
    const table = { ...ORDERS, projection: { ...ORDERS.projection, amount: { type: 'injected' as const } } };
    const p = problemFor(problemsOf(table), 'tables[0].projection.amount');
    expect(p).toBe('`tables[0].projection.amount` must configure a partition key, got: "amount". Partition keys are: order_date, channel.');
  });

  it.each([
    ['date without a range', { type: 'date', range: 'NOW', format: 'yyyy' }, 'range', 'must be "start,end"'],
    ['date without a format', { type: 'date', range: '2020-01-01,NOW', format: '' }, 'format', 'must be a date format'],
    ['date with a zero interval', { type: 'date', range: '2020-01-01,NOW', format: 'yyyy-MM-dd', interval: 0 }, 'interval', 'must be a positive integer, got: 0.'],
    ['integer with a bad range', { type: 'integer', range: '1-10' }, 'range', 'must be "min,max" integers, got: "1-10".'],
    ['enum without values', { type: 'enum', values: [] }, 'values', 'must list at least one value, got: [].'],
    ['unknown type', { type: 'list' }, 'type', 'must be one of date, integer, enum, injected, got: "list".'],
  ])('fails if the projection is a %s', (_what, projection, field, message) => {
    const table = { ...ORDERS, projection: { ...ORDERS.projection, channel: projection } } as unknown as TableSpec;
    const p = problemFor(problemsOf(table), `tables[0].projection.channel.${field}`);
    expect(p).toContain(message);
  });

  it('reports every problem of a table at once', () => {
    const table: TableSpec = {
      name: 'Bad',
      columns: [{ name: 'A', type: 'text' }, { name: 'b', type: 'int', classification: 'secret' }],
      partitionKeys: ['z'],
    };
    const fields = problemsOf(table).map((p) => p.slice(1, p.indexOf('`', 1)));
    expect(fields).toEqual([
      'tables[0].name', 'tables[0].columns[0].name', 'tables[0].columns[0].type', 'tables[0].columns[1].classification', 'tables[0].partitionKeys[0]',
    ]);
  });
});

describe('validateClassification', () => {
  it('accepts nothing and allowed values, rejects others and non-strings', () => {
    const run = (v: unknown) => {
      const c = new ProblemCollector();
      validateClassification(c, 'classification', v, CLASSIFICATIONS);
      return c.list.map(formatProblem);
    };
    expect(run(undefined)).toEqual([]);
    expect(run('pii')).toEqual([]);
    expect(run('restricted')).toHaveLength(1);
    expect(run(3)).toEqual([expect.stringContaining('got: 3.')]);
  });
});

describe('projectionParameters', () => {
  const LOCATION = 's3://bucket/orders';

  it('is empty without projection', () => {
    expect(projectionParameters({ ...ORDERS, projection: undefined }, LOCATION)).toEqual({});
  });

  it('renders date, integer, enum and injected projections and a template with every partition key in order', () => {
    // given
    const table: TableSpec = {
      name: 'events',
      columns: ['id', 'day', 'bucket', 'kind', 'tenant'].map((name) => ({ name, type: name === 'bucket' ? 'int' : 'string' })),
      partitionKeys: ['day', 'bucket', 'kind', 'tenant'],
      projection: {
        day: { type: 'date', range: 'NOW-1YEARS,NOW', format: 'yyyy/MM/dd', interval: 1, unit: 'DAYS' },
        bucket: { type: 'integer', range: '0,99', digits: 2 },
        kind: { type: 'enum', values: ['click', 'view'] },
        tenant: { type: 'injected' },
      },
    };
    // when
    const params = projectionParameters(table, 's3://bucket/events');
    // then
    expect(params).toEqual({
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.range': 'NOW-1YEARS,NOW',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'projection.bucket.type': 'integer',
      'projection.bucket.range': '0,99',
      'projection.bucket.digits': '2',
      'projection.kind.type': 'enum',
      'projection.kind.values': 'click,view',
      'projection.tenant.type': 'injected',
      'storage.location.template': 's3://bucket/events/day=${day}/bucket=${bucket}/kind=${kind}/tenant=${tenant}/',
    });
  });

  it('puts every partition key of a valid table into storage.location.template', () => {
    // given: the valid example table
    expect(problemsOf(ORDERS)).toEqual([]);
    // when
    const template = projectionParameters(ORDERS, LOCATION)['storage.location.template'];
    // then
    expect(template.startsWith(`${LOCATION}/`)).toBe(true);
    for (const k of ORDERS.partitionKeys!) expect(template).toContain(`${k}=\${${k}}`);
    expect(template).not.toContain('//order_date');
  });

  it('omits optional date and integer settings that are not given', () => {
    const params = projectionParameters(ORDERS, LOCATION);
    expect(Object.keys(params).filter((k) => k.startsWith('projection.order_date.'))).toEqual([
      'projection.order_date.type', 'projection.order_date.range', 'projection.order_date.format',
    ]);
  });
});

describe('DATA_FORMATS', () => {
  it('uses the Hive Parquet, OpenX JSON and OpenCSV SerDes', () => {
    expect(DATA_FORMATS.parquet.serializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(DATA_FORMATS.parquet.inputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
    expect(DATA_FORMATS.json.serializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(DATA_FORMATS.csv.serializationLibrary).toBe('org.apache.hadoop.hive.serde2.OpenCSVSerde');
  });
});

describe('storageFormatOf', () => {
  const csv = (columns: TableSpec['columns'], partitionKeys?: string[]): TableSpec => ({ name: 't', format: DataFormat.CSV, columns, partitionKeys });

  it.each([
    ['date', 'date'],
    ['timestamp', 'timestamp'],
    ['an array of dates', 'array<date>'],
    ['a timestamp in a struct', 'struct<a:string,at:timestamp>'],
    ['a date map value', 'map<string,date>'],
    ['an uppercase DATE', 'DATE'],
  ])('given a CSV table with %s, when the format is chosen, then it is LazySimpleSerDe', (_, type) => {
    const table = csv([{ name: 'id', type: 'string' }, { name: 'v', type }]);
    expect(storageFormatOf(table)).toBe(CSV_LAZY_SIMPLE_FORMAT);
    expect(temporalDataColumns(table)).toEqual(['v']);
  });

  it('reads text dates with LazySimpleSerDe: comma-delimited, backslash escape, header skipped', () => {
    expect(CSV_LAZY_SIMPLE_FORMAT.serializationLibrary).toBe('org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe');
    expect(CSV_LAZY_SIMPLE_FORMAT.serdeParameters).toEqual({ 'field.delim': ',', 'serialization.format': ',', 'escape.delim': '\\' });
    expect(CSV_LAZY_SIMPLE_FORMAT.tableParameters).toEqual({ 'skip.header.line.count': '1' });
    expect(CSV_LAZY_SIMPLE_FORMAT.inputFormat).toBe(DATA_FORMATS.csv.inputFormat);
  });

  it.each([
    ['no temporal column', [{ name: 'id', type: 'string' }, { name: 'n', type: 'bigint' }], undefined],
    ['a struct field named date', [{ name: 'id', type: 'string' }, { name: 's', type: 'struct<date:string,timestamp:int>' }], undefined],
    ['a date only as partition key (read from the path, not by the SerDe)', [{ name: 'id', type: 'string' }, { name: 'day', type: 'date' }], ['day']],
  ])('given a CSV table with %s, when the format is chosen, then it stays OpenCSVSerde', (_, columns, keys) => {
    const table = csv(columns, keys);
    expect(storageFormatOf(table)).toBe(DATA_FORMATS.csv);
    expect(temporalDataColumns(table)).toEqual([]);
  });

  it('keeps the format of parquet and json tables with dates', () => {
    const columns = [{ name: 'day', type: 'date' }, { name: 'at', type: 'timestamp' }];
    expect(storageFormatOf({ name: 't', columns })).toBe(DATA_FORMATS.parquet);
    expect(storageFormatOf({ name: 't', format: DataFormat.JSON, columns })).toBe(DATA_FORMATS.json);
  });

  it('names the warning and says what LazySimpleSerDe cannot do', () => {
    expect(CSV_LAZY_SIMPLE_SERDE_WARNING).toBe('cdk-data-mesh:csv-lazy-simple-serde');
    const message = csvLazySimpleSerdeWarning(csv([{ name: 'id', type: 'string' }, { name: 'day', type: 'date' }, { name: 'at', type: 'timestamp' }]));
    expect(message).toContain('(day, at)');
    expect(message).toContain('a comma inside it splits the field');
  });
});

describe('primitiveTypeNames', () => {
  it('lists the primitive types at every depth, not struct field names', () => {
    expect(primitiveTypeNames('struct<date:string,b:map<integer,array<timestamp>>>')).toEqual(['string', 'integer', 'timestamp']);
    expect(primitiveTypeNames('decimal(12,2)')).toEqual(['decimal']);
    expect(primitiveTypeNames('array<')).toBeUndefined();
  });
});
