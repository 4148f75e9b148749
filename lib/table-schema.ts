import { ProblemCollector } from './errors';
import { GLUE_MAX_COMMENT_LENGTH } from './defaults';
import { validateName } from './naming';

/** Storage formats a product table can use. */
export enum DataFormat {
  PARQUET = 'parquet',
  JSON = 'json',
  CSV = 'csv',
}

/** How a table's files are read and written: Glue input/output formats, SerDe and table parameters. */
export interface StorageFormat {
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly serializationLibrary: string;
  readonly serdeParameters: Readonly<Record<string, string>>;
  readonly tableParameters: Readonly<Record<string, string>>;
}

const TEXT_INPUT_FORMAT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/**
 * Glue input/output formats and SerDe per {@link DataFormat}. A CSV table with date or timestamp data columns
 * uses {@link CSV_LAZY_SIMPLE_FORMAT} instead: see {@link storageFormatOf}.
 */
export const DATA_FORMATS: Readonly<Record<DataFormat, StorageFormat>> = {
  [DataFormat.PARQUET]: {
    inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    serdeParameters: { 'serialization.format': '1' },
    tableParameters: { 'parquet.compression': 'SNAPPY' },
  },
  [DataFormat.JSON]: {
    inputFormat: TEXT_INPUT_FORMAT,
    outputFormat: TEXT_OUTPUT_FORMAT,
    serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
    serdeParameters: { 'serialization.format': '1' },
    tableParameters: {},
  },
  [DataFormat.CSV]: {
    inputFormat: TEXT_INPUT_FORMAT,
    outputFormat: TEXT_OUTPUT_FORMAT,
    serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
    serdeParameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\\' },
    tableParameters: { 'skip.header.line.count': '1' },
  },
};

/**
 * CSV read by LazySimpleSerDe, for CSV tables with date or timestamp data columns. OpenCSVSerde reads a `date`
 * only as days since 1970-01-01 and a `timestamp` only as epoch milliseconds; LazySimpleSerDe reads them as text,
 * `yyyy-MM-dd` and `yyyy-MM-dd HH:mm:ss[.fffffffff]` (java.sql.Timestamp).
 * https://docs.aws.amazon.com/athena/latest/ug/serde-csv-choices.html
 *
 * What LazySimpleSerDe cannot do: it has no quote character. A field in double quotes keeps its quotes, and a
 * comma inside it splits the field (every later column shifts). Write such values unquoted with the comma
 * escaped (`\,`, the `escape.delim`), or store the product as parquet or json.
 * https://docs.aws.amazon.com/athena/latest/ug/lazy-simple-serde.html
 */
export const CSV_LAZY_SIMPLE_FORMAT: StorageFormat = {
  inputFormat: TEXT_INPUT_FORMAT,
  outputFormat: TEXT_OUTPUT_FORMAT,
  serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
  // The SERDEPROPERTIES of `ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' ESCAPED BY '\\'`.
  // https://docs.aws.amazon.com/athena/latest/ug/serde-create-a-table.html
  serdeParameters: { 'field.delim': ',', 'serialization.format': ',', 'escape.delim': '\\' },
  tableParameters: { 'skip.header.line.count': '1' },
};

/** ID of the warning given for a CSV table read by LazySimpleSerDe (see {@link CSV_LAZY_SIMPLE_FORMAT}). */
export const CSV_LAZY_SIMPLE_SERDE_WARNING = 'cdk-data-mesh:csv-lazy-simple-serde';

/** Types that OpenCSVSerde reads only as epoch numbers. */
const EPOCH_ONLY_IN_OPEN_CSV: readonly string[] = ['date', 'timestamp'];

/**
 * The data columns of a table whose type has a `date` or `timestamp` at any depth (`array<date>`,
 * `struct<at:timestamp>`; a struct field merely named `date` does not count). Partition keys are left out:
 * their values come from the partition (the S3 path), never from the SerDe.
 */
export function temporalDataColumns(table: TableSpec): string[] {
  const keys = table.partitionKeys ?? [];
  return table.columns
    .filter((col) => !keys.includes(col.name) && typeof col.type === 'string')
    .filter((col) => primitiveTypeNames(col.type)?.some((n) => EPOCH_ONLY_IN_OPEN_CSV.includes(n)) ?? false)
    .map((col) => col.name);
}

/**
 * How a table is stored: {@link DATA_FORMATS} of its format, except a CSV table with date or timestamp data
 * columns (nested ones included), which is read by LazySimpleSerDe ({@link CSV_LAZY_SIMPLE_FORMAT}) so that
 * text dates and timestamps are read at all. Nested values are covered too: OpenCSVSerde reads no nested
 * type, LazySimpleSerDe reads their dates as text.
 */
export function storageFormatOf(table: TableSpec): StorageFormat {
  const format = table.format ?? DataFormat.PARQUET;
  if (format === DataFormat.CSV && temporalDataColumns(table).length > 0) return CSV_LAZY_SIMPLE_FORMAT;
  return DATA_FORMATS[format];
}

/** The message of {@link CSV_LAZY_SIMPLE_SERDE_WARNING} for a table. */
export function csvLazySimpleSerdeWarning(table: TableSpec): string {
  return `Table "${table.name}" is CSV with date or timestamp columns (${temporalDataColumns(table).join(', ')}): it is read with LazySimpleSerDe, `
    + 'which reads dates as yyyy-MM-dd and timestamps as yyyy-MM-dd HH:mm:ss[.f...] but does not handle quotes: a quoted field keeps its quotes '
    + 'and a comma inside it splits the field. Write values unquoted with commas escaped as \\, (backslash comma), or store the table as parquet or json.';
}

/** A column of a product table. */
export interface ColumnSpec {
  /** Lowercase column name. */
  readonly name: string;
  /**
   * Glue (Hive) type: `boolean`, `tinyint`, `smallint`, `int`, `bigint`, `float`, `double`,
   * `decimal(p,s)`, `string`, `char(n)`, `varchar(n)`, `date`, `timestamp`, `binary`,
   * `array<T>`, `map<K,V>`, `struct<name:T,...>`. Case-insensitive; `integer` is accepted and written to the
   * Glue table as `int`, at any depth (Athena reads only the Hive name).
   */
  readonly type: string;
  /** Column comment shown in the catalog. @default - none */
  readonly comment?: string;
  /**
   * Classification of this column when it differs from the table's (e.g. `pii`). Becomes a column-level
   * `classification` LF-tag that overrides the inherited value.
   * @default - inherits the table's classification
   */
  readonly classification?: string;
}

/** Partition projection of one partition column (Athena `projection.<col>.*` parameters). */
export type PartitionProjection =
  | { readonly type: 'date'; readonly range: string; readonly format: string; readonly interval?: number; readonly unit?: 'YEARS' | 'MONTHS' | 'WEEKS' | 'DAYS' | 'HOURS' | 'MINUTES' | 'SECONDS' }
  | { readonly type: 'integer'; readonly range: string; readonly digits?: number }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'injected' };

/** A table of a data product. */
export interface TableSpec {
  /** Lowercase table name. */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  /** Every column, including the partition columns. */
  readonly columns: readonly ColumnSpec[];
  /** Names of columns that partition the table, in partition order. @default - not partitioned */
  readonly partitionKeys?: readonly string[];
  /**
   * Partition projection per partition column. When given, it must cover every partition key.
   * @default - no projection (partitions are registered by the pipeline)
   */
  readonly projection?: Readonly<Record<string, PartitionProjection>>;
  /** @default DataFormat.PARQUET */
  readonly format?: DataFormat;
  /** Classification of the table when it differs from the product's. @default - inherits the product's */
  readonly classification?: string;
  /**
   * Extra Glue table parameters, e.g. column constraints from a data contract (`contract.primary_key`).
   * The toolkit's own parameters (format, projection) take precedence.
   * @default - none
   */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** Primitive type names accepted in a column type; aliases (`integer`) are written canonically, see `normalizeGlueType`. */
export const PRIMITIVE_TYPES: readonly string[] = [
  'boolean', 'tinyint', 'smallint', 'int', 'integer', 'bigint', 'float', 'double', 'decimal', 'string', 'date', 'timestamp', 'binary',
];
const PARAMETERIZED = /^(decimal)\(\s*(\d+)\s*(,\s*(\d+)\s*)?\)$|^(char|varchar)\(\s*(\d+)\s*\)$/;
/** Hive's bounds: char(1-255), varchar(1-65535). */
const LENGTH_BOUNDS: Readonly<Record<string, number>> = { char: 255, varchar: 65535 };

/**
 * Returns a problem description when `type` is not a Glue type, otherwise undefined. Types are
 * case-insensitive (Glue stores them in lowercase, and so does the toolkit).
 */
export function glueTypeProblem(type: string): string | undefined {
  try {
    const rest = parseType(type.trim().toLowerCase(), () => undefined);
    if (rest.trim() !== '') return `unexpected "${rest.trim()}"`;
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The primitive type names a Glue type is made of, at every depth (`map<string,array<date>>` → string, date), or undefined when it is not a Glue type. */
export function primitiveTypeNames(type: string): string[] | undefined {
  const names: string[] = [];
  try {
    const rest = parseType(type.trim().toLowerCase(), (name) => names.push(name));
    return rest.trim() === '' ? names : undefined;
  } catch {
    return undefined;
  }
}

export function isPrimitiveType(type: string): boolean {
  const t = type.trim().toLowerCase();
  return PRIMITIVE_TYPES.includes(t) || PARAMETERIZED.test(t);
}

/**
 * Parses one type at the start of `s`, returns what follows it, and tells `primitive` the name of every
 * primitive type met (not struct field names). Throws on anything else.
 */
function parseType(s: string, primitive: (name: string) => void): string {
  const m = /^([a-z]+)/.exec(s);
  if (!m) throw new Error(`expected a type name at "${s.slice(0, 20)}"`);
  const name = m[1];
  let rest = s.slice(name.length);
  if (name === 'array') {
    rest = expect(rest, '<');
    rest = parseType(rest.trimStart(), primitive);
    return expect(rest, '>');
  }
  if (name === 'map') {
    rest = expect(rest, '<');
    const afterKey = parseType(rest.trimStart(), primitive);
    const keyType = rest.slice(0, rest.length - afterKey.length).trim();
    if (!isPrimitiveType(keyType)) throw new Error(`map keys must be primitive, got "${keyType}"`);
    rest = expect(afterKey, ',');
    rest = parseType(rest.trimStart(), primitive);
    return expect(rest, '>');
  }
  if (name === 'struct') {
    rest = expect(rest, '<');
    const seen = new Set<string>();
    for (;;) {
      const f = /^\s*([a-z_][a-z0-9_]*)\s*:/.exec(rest);
      if (!f) throw new Error('struct fields must be written name:type');
      if (seen.has(f[1])) throw new Error(`struct field "${f[1]}" appears twice`);
      seen.add(f[1]);
      rest = parseType(rest.slice(f[0].length).trimStart(), primitive);
      const t = rest.trimStart();
      if (t.startsWith(',')) { rest = t.slice(1); continue; }
      return expect(t, '>');
    }
  }
  if (name === 'decimal' || name === 'char' || name === 'varchar') {
    const p = /^\(([^)]*)\)/.exec(rest);
    if (!p) {
      if (name === 'decimal') {
        primitive(name);
        return rest; // decimal without precision is decimal(10,0)
      }
      throw new Error(`${name} needs a length, e.g. ${name}(255)`);
    }
    const whole = `${name}${p[0]}`;
    if (!PARAMETERIZED.test(whole)) throw new Error(`"${whole}" is not valid`);
    if (name === 'decimal') {
      const [prec, scale = 0] = p[1].split(',').map((x) => Number(x.trim()));
      if (prec < 1 || prec > 38 || scale > prec) throw new Error(`decimal precision must be 1-38 and scale at most the precision, got ${whole}`);
    } else {
      const length = Number(p[1].trim());
      if (length < 1 || length > LENGTH_BOUNDS[name]) throw new Error(`${name} length must be 1-${LENGTH_BOUNDS[name]}, got ${whole}`);
    }
    primitive(name);
    return rest.slice(p[0].length);
  }
  if (!PRIMITIVE_TYPES.includes(name)) throw new Error(`"${name}" is not a Glue type`);
  primitive(name);
  return rest;
}

function expect(s: string, token: string): string {
  const t = s.trimStart();
  if (!t.startsWith(token)) throw new Error(`expected "${token}" at "${t.slice(0, 20) || 'end of type'}"`);
  return t.slice(token.length);
}

const SUPPORTED_TYPES_HINT = `Use a Glue type: ${PRIMITIVE_TYPES.join(', ')}, decimal(p,s), char(n), varchar(n), array<T>, map<K,V> or struct<name:T,...>.`;

/**
 * Validates a table and reports every problem into `c` (fields relative to the table).
 * `allowedClassifications` is the ontology's classification values.
 */
export function validateTable(c: ProblemCollector, table: TableSpec, allowedClassifications: readonly string[]): void {
  validateName(c, 'name', 'table', table.name);
  if (table.format !== undefined && !Object.values(DataFormat).includes(table.format)) {
    c.add('format', `must be one of ${Object.values(DataFormat).join(', ')}`, table.format, 'Pick a supported format.');
  }
  validateClassification(c, 'classification', table.classification, allowedClassifications);
  if (!Array.isArray(table.columns) || table.columns.length === 0) {
    c.add('columns', 'must list at least one column', table.columns, 'Declare the columns of the table.');
    return;
  }
  const seen = new Map<string, number>();
  table.columns.forEach((col, i) => {
    const cc = c.nested(`columns[${i}]`);
    validateName(cc, 'name', 'column', col.name);
    if (seen.has(col.name)) {
      cc.add('name', `must be unique in table "${table.name}" (also used by columns[${seen.get(col.name)}])`, col.name, 'Rename or remove one of the columns.');
    } else {
      seen.set(col.name, i);
    }
    if (typeof col.type !== 'string') {
      cc.add('type', 'must be a Glue type string', col.type, SUPPORTED_TYPES_HINT);
    } else {
      const problem = glueTypeProblem(col.type);
      if (problem) cc.add('type', `must be a supported Glue type (${problem})`, col.type, SUPPORTED_TYPES_HINT);
    }
    if (col.comment !== undefined && (typeof col.comment !== 'string' || col.comment.length > GLUE_MAX_COMMENT_LENGTH)) {
      cc.add('comment', `must be a string of at most ${GLUE_MAX_COMMENT_LENGTH} characters (Glue's limit)`,
        col.comment, 'Shorten the comment; put longer documentation in the table description.');
    }
    validateClassification(cc, 'classification', col.classification, allowedClassifications);
  });
  const keys = table.partitionKeys ?? [];
  const seenKeys = new Set<string>();
  keys.forEach((k, i) => {
    const col = table.columns.find((x) => x.name === k);
    if (seenKeys.has(k)) c.add(`partitionKeys[${i}]`, 'must not repeat a partition key', k, 'Remove the duplicate.');
    seenKeys.add(k);
    if (!col) {
      c.add(`partitionKeys[${i}]`, `must name a column of table "${table.name}"`, k,
        `Use one of: ${table.columns.map((x) => x.name).join(', ')}, or add the column.`);
    } else if (typeof col.type === 'string' && !isPrimitiveType(col.type)) {
      c.add(`partitionKeys[${i}]`, 'must be a column of a primitive type (partitions cannot be arrays, maps or structs)',
        `${k}: ${col.type}`, 'Partition by a string, integer or date column.');
    }
  });
  if (table.partitionKeys !== undefined && keys.length === table.columns.length) {
    c.add('partitionKeys', 'must leave at least one non-partition column', keys, 'Add a data column or remove a partition key.');
  }
  if (table.projection !== undefined) validateProjection(c, table, keys);
}

function validateProjection(c: ProblemCollector, table: TableSpec, keys: readonly string[]): void {
  const projection = table.projection ?? {};
  if (keys.length === 0) {
    c.add('projection', 'needs partition keys: projection describes how partitions are laid out', projection,
      'Add partitionKeys, or remove projection.');
    return;
  }
  for (const k of keys) {
    if (!(k in projection)) {
      c.add(`projection.${k}`, 'must be configured for every partition key when projection is used', undefined,
        `Add a projection for "${k}" (type date, integer, enum or injected), or remove projection.`);
    }
  }
  for (const [k, p] of Object.entries(projection)) {
    const pc = c.nested(`projection.${k}`);
    if (!keys.includes(k)) {
      pc.add('', 'must configure a partition key', k, `Partition keys are: ${keys.join(', ') || '(none)'}.`);
      continue;
    }
    switch (p?.type) {
      case 'date':
        if (typeof p.range !== 'string' || !p.range.includes(',')) pc.add('range', 'must be "start,end" (e.g. "NOW-3YEARS,NOW")', p.range, 'Set the range.');
        if (typeof p.format !== 'string' || p.format === '') pc.add('format', 'must be a date format such as yyyy-MM-dd', p.format, 'Set the format.');
        if (p.interval !== undefined && (!Number.isInteger(p.interval) || p.interval < 1)) pc.add('interval', 'must be a positive integer', p.interval, 'Fix the interval.');
        break;
      case 'integer':
        if (typeof p.range !== 'string' || !/^-?\d+,-?\d+$/.test(p.range)) pc.add('range', 'must be "min,max" integers', p.range, 'Set the range, e.g. "0,100".');
        break;
      case 'enum':
        if (!Array.isArray(p.values) || p.values.length === 0) pc.add('values', 'must list at least one value', p.values, 'List the partition values.');
        break;
      case 'injected':
        break;
      default:
        pc.add('type', 'must be one of date, integer, enum, injected', (p as { type?: unknown } | undefined)?.type, 'Pick a projection type.');
    }
  }
}

export function validateClassification(c: ProblemCollector, field: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    c.add(field, `must be a classification of the ontology (${allowed.join(', ')})`, value,
      'Use one of the allowed values, or add the value to the classification LF-tag of the ontology.');
  }
}

/** Athena partition projection table parameters for a table stored under `location` (no trailing slash). */
export function projectionParameters(table: TableSpec, location: string): Record<string, string> {
  if (!table.projection) return {};
  const keys = table.partitionKeys ?? [];
  const params: Record<string, string> = { 'projection.enabled': 'true' };
  for (const k of keys) {
    const p = table.projection[k];
    params[`projection.${k}.type`] = p.type;
    if (p.type === 'date') {
      params[`projection.${k}.range`] = p.range;
      params[`projection.${k}.format`] = p.format;
      if (p.interval !== undefined) params[`projection.${k}.interval`] = String(p.interval);
      if (p.unit !== undefined) params[`projection.${k}.interval.unit`] = p.unit;
    } else if (p.type === 'integer') {
      params[`projection.${k}.range`] = p.range;
      if (p.digits !== undefined) params[`projection.${k}.digits`] = String(p.digits);
    } else if (p.type === 'enum') {
      params[`projection.${k}.values`] = p.values.join(',');
    }
  }
  params['storage.location.template'] = `${location}/${keys.map((k) => `${k}=\${${k}}`).join('/')}/`;
  return params;
}
