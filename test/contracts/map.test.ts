import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { GLUE_MAX_COMMENT_LENGTH } from '../../lib/defaults';
import { ContractProductSpec, mapContract } from '../../lib/contracts/map';
import { loadContract } from '../../lib/contracts/parse';
import { DataFormat } from '../../lib/table-schema';
import {
  CONTRACT_COMMENT_CLIPPED, CONTRACT_DEFAULTED, CONTRACT_FORMAT_UNSUPPORTED, CONTRACT_LOCATION_TRIMMED, CONTRACT_NESTED_IGNORED,
  CONTRACT_RULE_UNSUPPORTED, CONTRACT_SERVER_UNSUPPORTED, CONTRACT_SLA_UNSUPPORTED, CONTRACT_TAG_IGNORED, CONTRACT_TYPE_APPROXIMATED,
} from '../../lib/contracts/warnings';
import {
  base, mapObject, OPTIONS, problemFor, problemsOfObject, problemsOfText, warningsOf, withProperties,
} from './helpers';

const EXAMPLES = join(__dirname, '..', '..', 'examples', 'contracts');

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('mapContract of examples/contracts/orders.odcs.yaml', () => {
  const spec = mapContract(loadContract(join(EXAMPLES, 'orders.odcs.yaml')), OPTIONS);
  const orders = spec.tables.find((t) => t.name === 'orders')!;
  const column = (name: string) => orders.columns.find((c) => c.name === name)!;

  it('maps the product fields', () => {
    // given the example contract, when it is mapped, then:
    expect(spec.productName).toBe('orders'); // dataProduct
    expect(spec.domain).toBe('sales');
    expect(spec.description).toBe('Every order placed in the web shop and in stores, one row per order.'); // description.purpose
    expect(spec.owner).toBe('jdoe'); // the team member with role Owner
    expect(spec.contact).toBe('sales-data@example.com'); // first email support channel
    expect(spec.classification).toBe('confidential'); // tag classification:confidential
    expect(spec.tags).toEqual({ cost_center: 'finance' }); // key of the ontology
    expect(spec.ignoredTags).toEqual(['retail']);
  });

  it('maps id, version, status, name and description into database parameters', () => {
    expect(spec.parameters).toEqual({
      contract_id: '5b1f4f3e-1c55-4a0c-9d43-7a0e6f0d2a11',
      contract_version: '1.2.0',
      contract_status: 'active',
      contract_name: 'orders_contract',
      odcs_api_version: 'v3.1.0',
      contract_domain: 'sales',
      contract_tenant: 'AcmeRetail',
      contract_limitations: 'Orders older than three years are archived and not included.',
      contract_usage: 'Revenue reporting, demand forecasting, customer service look-ups.',
      costCenter: '4711', // custom properties
      refreshSchedule: 'hourly',
    });
  });

  it('maps each schema object to a table, with description, classification and format', () => {
    expect(spec.tables.map((t) => t.name)).toEqual(['orders', 'order_events']);
    expect(orders.description).toBe('One row per order, updated when the order changes status.');
    expect(orders.classification).toBe('confidential'); // custom property classification
    expect(orders.format).toBe(DataFormat.PARQUET); // from the S3 server
    expect(spec.tables[1].format).toBe(DataFormat.JSON); // custom property format overrides the server
    expect(spec.tables[1].classification).toBeUndefined();
  });

  it('maps every logical and physical type to a Glue type', () => {
    expect(orders.columns.map((c) => [c.name, c.type])).toEqual([
      ['order_id', 'varchar(36)'],
      ['customer_email', 'string'],
      ['amount', 'decimal(12,2)'],
      ['discount', 'decimal(5,2)'], // logicalTypeOptions precision/scale
      ['quantity', 'int'],
      ['status', 'string'],
      ['is_gift', 'boolean'],
      ['placed_at', 'timestamp'],
      ['delivery_window', 'string'], // time
      ['shipping_address', 'struct<street:string,city:string,postal_code:string>'],
      ['line_items', 'array<struct<sku:string,qty:int>>'],
      ['coupon_codes', 'array<string>'],
      ['promo_code', 'varchar(16)'], // VARCHAR(16)
      ['order_date', 'date'],
      ['channel', 'string'],
    ]);
  });

  it('maps descriptions to comments (clipped) and classifications to columns', () => {
    expect(column('order_id').comment).toBe('Unique identifier of the order (UUID).');
    expect(column('is_gift').comment).toBeUndefined();
    expect(column('customer_email').comment).toHaveLength(GLUE_MAX_COMMENT_LENGTH);
    expect(column('customer_email').comment!.endsWith('...')).toBe(true);
    expect(column('customer_email').classification).toBe('pii');
    expect(column('amount').classification).toBeUndefined();
    expect(warningsOf(spec, CONTRACT_COMMENT_CLIPPED)).toEqual([
      expect.stringMatching(/^.*orders\.odcs\.yaml:\d+:\d+ `schema\[0\]\.properties\[1\]\.description` has 327 characters: the column comment is clipped to Glue's limit of 255\.$/),
    ]);
  });

  it('maps partitioned properties to partition keys in partitionKeyPosition order', () => {
    expect(orders.partitionKeys).toEqual(['order_date', 'channel']);
    expect(spec.tables[1].partitionKeys).toBeUndefined();
  });

  it('maps required, primaryKey, unique, criticalDataElement and businessName to column parameters', () => {
    expect(spec.columnParameters).toEqual({
      orders: {
        order_id: {
          required: 'true', primary_key: 'true', primary_key_position: '1', unique: 'true', critical_data_element: 'true', business_name: 'Order number',
        },
        amount: { required: 'true' },
        channel: { required: 'true' },
      },
      order_events: { event_id: { required: 'true' }, order_id: { required: 'true' } },
    });
  });

  it('maps the S3 server to location and format, and reports the other server', () => {
    expect(spec.location).toEqual({ bucket: 'acme-sales-orders', prefix: 'orders' });
    expect(spec.format).toBe(DataFormat.PARQUET);
    const w = warningsOf(spec, CONTRACT_SERVER_UNSUPPORTED);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('`servers[1].type` is "athena" (server "analytics"): only servers of type s3');
  });

  it('maps the SLA: latency wins over frequency, retention in days', () => {
    expect(spec.sla).toEqual({ freshness: { maxAgeSeconds: 4 * 3600, source: 'latency' }, retentionDays: 3 * 365 });
    expect(warningsOf(spec, CONTRACT_SLA_UNSUPPORTED)).toEqual([expect.stringContaining('"timeOfAvailability" is not acted on')]);
  });

  it('maps the team (current members only) and the support channels', () => {
    expect(spec.team).toEqual({
      name: 'Sales data team',
      members: [{ username: 'jdoe', name: 'Jane Doe', role: 'Owner' }, { username: 'asmith', name: 'Alex Smith', role: 'Data steward' }],
    });
    expect(spec.support).toEqual({
      emails: ['sales-data@example.com', 'orders-oncall@example.com'],
      others: [{ channel: '#sales-data', tool: 'slack', url: 'https://acme.slack.com/archives/C0123456' }],
    });
  });

  it('maps the quality rules to one DQDL ruleset per table and lists the unsupported ones', () => {
    expect(spec.quality.map((q) => q.table)).toEqual(['orders']);
    expect(spec.quality[0].dqdl).toBe(`Rules = [
    RowCount > 1000,
    IsPrimaryKey "order_id" "channel",
    ColumnValues "amount" between 0 and 100000,
    IsComplete "order_id",
    IsUnique "order_id",
    ColumnValues "customer_email" matches "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$" where "\`customer_email\` IS NOT NULL",
    Completeness "amount" > 0.99,
    ColumnValues "status" in ["placed", "paid", "shipped", "delivered", "cancelled", NULL] with threshold > 0.95,
    CustomSql "SELECT COUNT(*) FROM primary WHERE \`promo_code\` IS NULL OR \`promo_code\` IN ('', 'N/A')" < 100,
    ColumnValues "channel" in ["web", "store", NULL]
]`);
    expect(spec.quality[0].rules[3]).toEqual({
      path: 'schema[0].properties[0].quality[0]', column: 'order_id', dimension: 'completeness', severity: 'error',
      source: 'library', metric: 'nullValues', dqdl: ['IsComplete "order_id"'],
    });
    expect(spec.unsupportedRules.map((u) => [u.path, u.table])).toEqual([
      ['schema[0].quality[3]', 'orders'], ['schema[0].quality[4]', 'orders'], ['schema[0].quality[5]', 'orders'],
    ]);
    expect(warningsOf(spec, CONTRACT_RULE_UNSUPPORTED)).toHaveLength(3);
  });

  it('reports the other findings as warnings with their position', () => {
    expect(warningsOf(spec, CONTRACT_TYPE_APPROXIMATED)).toEqual([expect.stringContaining('`schema[0].properties[8].logicalType` is time')]);
    expect(warningsOf(spec, CONTRACT_TAG_IGNORED)).toHaveLength(2); // contract tag "retail" and the object tags
    for (const w of spec.warnings) expect(w.message).toMatch(/orders\.odcs\.yaml:\d+:\d+ `[^`]+` /);
  });
});

describe('mapContract of examples/contracts/customers.v3.0.odcs.yaml (ODCS v3.0.2)', () => {
  const spec = mapContract(loadContract(join(EXAMPLES, 'customers.v3.0.odcs.yaml')), OPTIONS);

  it('reads the v3.0 team list, rule names, valid values and ISO durations', () => {
    expect(spec.owner).toBe('crm-data@example.com'); // role "Data Owner"
    expect(spec.classification).toBe('pii');
    expect(spec.parameters.odcs_api_version).toBe('v3.0.2');
    expect(spec.tables[0].columns.map((c) => c.type)).toEqual(['bigint', 'string', 'string', 'decimal(14,2)', 'array<string>', 'timestamp']);
    expect(spec.quality[0].dqdl).toBe('Rules = [\n    RowCount between 1000 and 10000000,\n    IsUnique "customer_id",\n'
      + '    ColumnValues "segment" in ["premium", "standard", "basic", NULL]\n]');
    expect(spec.sla).toEqual({ freshness: { maxAgeSeconds: 86400, source: 'frequency' }, retentionDays: 90 });
    expect(spec.format).toBe(DataFormat.JSON);
    expect(spec.location).toEqual({ bucket: 'acme-crm-data', prefix: 'customers' });
    expect(warningsOf(spec, CONTRACT_LOCATION_TRIMMED)).toEqual([expect.stringContaining('("*.json"): the product uses the prefix before it')]);
  });
});

describe('mapContract: types', () => {
  const typeOf = (p: Record<string, unknown>): string => mapObject(withProperties([{ name: 'c', ...p }])).tables[0].columns[0].type;

  it.each([
    [{ logicalType: 'string' }, 'string'],
    [{ logicalType: 'string', physicalType: 'varchar(20)' }, 'varchar(20)'],
    [{ logicalType: 'string', physicalType: 'CHAR(2)' }, 'char(2)'],
    [{ logicalType: 'string', physicalType: 'nvarchar(10)' }, 'varchar(10)'],
    [{ logicalType: 'string', physicalType: 'text' }, 'string'],
    [{ logicalType: 'integer' }, 'bigint'],
    [{ logicalType: 'integer', physicalType: 'bigint' }, 'bigint'],
    [{ logicalType: 'integer', physicalType: 'long' }, 'bigint'],
    [{ logicalType: 'integer', physicalType: 'int' }, 'int'],
    [{ logicalType: 'integer', physicalType: 'INTEGER' }, 'int'],
    [{ logicalType: 'integer', physicalType: 'smallint' }, 'smallint'],
    [{ logicalType: 'integer', logicalTypeOptions: { format: 'i32' } }, 'int'],
    [{ logicalType: 'integer', logicalTypeOptions: { format: 'u64' } }, 'decimal(20,0)'],
    [{ logicalType: 'integer', physicalType: 'NUMBER(10,0)' }, 'decimal(10,0)'],
    [{ logicalType: 'number' }, 'double'],
    [{ logicalType: 'number', physicalType: 'decimal(12,2)' }, 'decimal(12,2)'],
    [{ logicalType: 'number', physicalType: 'NUMERIC(10, 4)' }, 'decimal(10,4)'],
    [{ logicalType: 'number', physicalType: 'float' }, 'float'],
    [{ logicalType: 'number', physicalType: 'int' }, 'int'],
    [{ logicalType: 'number', logicalTypeOptions: { precision: 9 } }, 'decimal(9,0)'],
    [{ logicalType: 'number', logicalTypeOptions: { precision: 9, scale: 3 } }, 'decimal(9,3)'],
    [{ logicalType: 'number', logicalTypeOptions: { format: 'f32' } }, 'float'],
    [{ logicalType: 'boolean' }, 'boolean'],
    [{ logicalType: 'date' }, 'date'],
    [{ logicalType: 'date', physicalType: 'timestamp_ntz' }, 'timestamp'],
    [{ logicalType: 'timestamp' }, 'timestamp'],
    [{ logicalType: 'timestamp', physicalType: 'datetime' }, 'timestamp'],
    [{ logicalType: 'time' }, 'string'],
    [{ logicalType: 'array', items: { logicalType: 'integer', physicalType: 'int' } }, 'array<int>'],
    [{ logicalType: 'array', physicalType: 'array<string>' }, 'array<string>'],
    [{ logicalType: 'array', items: { logicalType: 'array', items: { logicalType: 'date' } } }, 'array<array<date>>'],
    [{ logicalType: 'object', properties: [{ name: 'a', logicalType: 'string' }, { name: 'B', physicalName: 'b_x', logicalType: 'boolean' }] }, 'struct<a:string,b_x:boolean>'],
    [{ logicalType: 'object', physicalType: 'map<string,int>' }, 'map<string,int>'],
    [{ physicalType: 'decimal(5,1)' }, 'decimal(5,1)'], // no logicalType: a Glue physicalType is enough
    [{ items: { logicalType: 'string' } }, 'array<string>'],
  ])('maps %j to %s', (property, expected) => {
    expect(typeOf(property)).toBe(expected);
  });

  it('warns when a physicalType is not a Glue type and uses the logicalType', () => {
    const spec = mapObject(withProperties([{ name: 'c', logicalType: 'string', physicalType: 'VARCHAR2(20 CHAR)' }]));
    expect(spec.tables[0].columns[0].type).toBe('string');
    expect(warningsOf(spec, CONTRACT_TYPE_APPROXIMATED)).toEqual([
      expect.stringContaining('`schema[0].properties[0].physicalType` "VARCHAR2(20 CHAR)" is not a Glue type: the column is typed string from logicalType string.'),
    ]);
  });

  it('fails on a physicalType that contradicts the logicalType, with an example', () => {
    const problems = problemsOfObject(withProperties([{ name: 'c', logicalType: 'boolean', physicalType: 'int' }]));
    expect(problemFor(problems, 'schema[0].properties[0].physicalType')).toContain(
      'must fit logicalType boolean (a Glue boolean type), got: "int". Fix physicalType or logicalType; for logicalType boolean write e.g. physicalType: boolean.');
  });

  it('fails on arrays without items, objects without properties, and properties without any type', () => {
    const problems = problemsOfObject(withProperties([
      { name: 'a', logicalType: 'array' }, { name: 'o', logicalType: 'object' }, { name: 'x', physicalType: 'money' },
    ]));
    expect(problemFor(problems, 'schema[0].properties[0].items')).toContain('is required for logicalType array');
    expect(problemFor(problems, 'schema[0].properties[1].properties')).toContain('must list the fields of a property of logicalType object');
    expect(problemFor(problems, 'schema[0].properties[2].logicalType')).toContain('is required when physicalType is not a Glue type');
  });

  it('fails on an invalid decimal and on struct field names Glue refuses', () => {
    const problems = problemsOfObject(withProperties([
      { name: 'd', logicalType: 'number', logicalTypeOptions: { precision: 40, scale: 2 } },
      { name: 's', logicalType: 'object', properties: [{ name: 'first name', logicalType: 'string' }, { name: 'x', logicalType: 'string' }, { name: 'X', logicalType: 'string' }] },
    ]));
    expect(problemFor(problems, 'schema[0].properties[0].logicalType')).toContain('must give a valid Glue type (decimal precision must be 1-38');
    expect(problemFor(problems, 'schema[0].properties[1].properties[0].name')).toContain('must be a struct field name matching');
    expect(problemFor(problems, 'schema[0].properties[1].properties[2].name')).toContain('must be unique among the fields of the object');
  });

  it('warns about what nested fields declare but cannot carry', () => {
    const spec = mapObject(withProperties([{
      name: 'o', logicalType: 'object', properties: [{ name: 'secret', logicalType: 'string', classification: 'pii', quality: [{ metric: 'nullValues', mustBe: 0 }] }],
    }]));
    expect(warningsOf(spec, CONTRACT_NESTED_IGNORED)).toEqual([expect.stringContaining('`schema[0].properties[0].properties[0]` sets classification on a nested field')]);
    expect(spec.unsupportedRules).toEqual([{ path: 'schema[0].properties[0].properties[0].quality[0]', reason: expect.stringContaining('nested fields') }]);
  });
});

describe('mapContract: tables and columns', () => {
  it('uses physicalName over name for tables and columns', () => {
    const spec = mapObject(base({ schema: [{ name: 'Orders', physicalName: 'orders_v2', properties: [{ name: 'OrderId', physicalName: 'order_id', logicalType: 'string' }] }] }));
    expect(spec.tables[0].name).toBe('orders_v2');
    expect(spec.tables[0].columns[0].name).toBe('order_id');
  });

  it('fails on names Glue tables cannot have, at the name field, with a suggestion', () => {
    // given a column named in camel case on line 14 of the file
    const text = `apiVersion: v3.1.0
kind: DataContract
id: c
version: 1.0.0
status: active
dataProduct: orders
team: [{ username: a, role: owner }]
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: string
      - name: customerId
        logicalType: string
`;
    const problems = problemsOfText(text);
    expect(problems).toEqual(['orders.odcs.yaml:13:15 `schema[0].properties[1].name` must be a column name matching ^[a-z][a-z0-9_]*$ (lowercase letter first, '
      + 'then lowercase letters, digits or _), got: "customerId". Use for example "customer_id".']);
  });

  it('fails on repeated column and table names', () => {
    const problems = problemsOfObject(base({
      schema: [
        { name: 'orders', properties: [{ name: 'a', logicalType: 'string' }, { name: 'a', logicalType: 'string' }] },
        { name: 'orders', properties: [{ name: 'b', logicalType: 'string' }] },
      ],
    }));
    expect(problemFor(problems, 'schema[0].properties[1].name')).toContain('must be unique in table "orders"');
    expect(problemFor(problems, 'schema[1].name')).toContain('must be unique among the schema objects (also schema[0].name)');
  });

  it('fails when there is no schema or an object has no property', () => {
    expect(problemFor(problemsOfObject(base({ schema: [] })), 'schema')).toContain('must list at least one object');
    expect(problemFor(problemsOfObject(base({ schema: [{ name: 'orders' }] })), 'schema[0].properties')).toContain('must list at least one column');
  });

  it('clips a description longer than Glue allows and warns with the lengths', () => {
    // given a description of 300 characters
    const spec = mapObject(withProperties([{ name: 'c', logicalType: 'string', description: 'x'.repeat(300) }]));
    // then the comment is 255 characters ending with an ellipsis, and a warning says so
    expect(spec.tables[0].columns[0].comment).toBe(`${'x'.repeat(252)}...`);
    expect(warningsOf(spec, CONTRACT_COMMENT_CLIPPED)).toEqual([expect.stringContaining('has 300 characters: the column comment is clipped to Glue\'s limit of 255.')]);
  });

  it('keeps a description of exactly 255 characters without warning', () => {
    const spec = mapObject(withProperties([{ name: 'c', logicalType: 'string', description: 'y'.repeat(255) }]));
    expect(spec.tables[0].columns[0].comment).toHaveLength(255);
    expect(warningsOf(spec, CONTRACT_COMMENT_CLIPPED)).toEqual([]);
  });
});

describe('mapContract: partitions', () => {
  const part = (name: string, position?: number) => ({ name, logicalType: 'string', partitioned: true, ...(position !== undefined ? { partitionKeyPosition: position } : {}) });

  it('orders partition keys by partitionKeyPosition, whatever the property order', () => {
    const spec = mapObject(withProperties([{ name: 'v', logicalType: 'string' }, part('c', 3), part('a', 1), part('b', 2)]));
    expect(spec.tables[0].partitionKeys).toEqual(['a', 'b', 'c']);
  });

  it('puts partitioned properties without position after the others, in document order', () => {
    const spec = mapObject(withProperties([{ name: 'v', logicalType: 'string' }, part('y'), part('b', 2), part('x', -1), part('a', 1)]));
    expect(spec.tables[0].partitionKeys).toEqual(['a', 'b', 'y', 'x']);
  });

  it('fails on a repeated position and on a position without partitioned: true', () => {
    const problems = problemsOfObject(withProperties([
      { name: 'v', logicalType: 'string' }, part('a', 1), part('b', 1), { name: 'c', logicalType: 'string', partitionKeyPosition: 2 },
    ]));
    expect(problemFor(problems, 'schema[0].properties[2].partitionKeyPosition')).toContain('must be unique among the partitioned properties (also schema[0].properties[1])');
    expect(problemFor(problems, 'schema[0].properties[3].partitionKeyPosition')).toContain('must go with partitioned: true');
  });

  it('fails when a partition key has a complex type or every column is a partition key', () => {
    const complex = problemsOfObject(withProperties([{ name: 'v', logicalType: 'string' }, { name: 'p', logicalType: 'array', items: { logicalType: 'string' }, partitioned: true }]));
    expect(complex.join('\n')).toContain('must be a column of a primitive type');
    const all = problemsOfObject(withProperties([part('a', 1)]));
    expect(all.join('\n')).toContain('must leave at least one non-partition column');
  });

  it('reads partition projection from the custom property partitionProjection', () => {
    const projection = { d: { type: 'date', range: 'NOW-1YEARS,NOW', format: 'yyyy-MM-dd' } };
    const spec = mapObject(withProperties([{ name: 'v', logicalType: 'string' }, { name: 'd', logicalType: 'string', partitioned: true }],
      { customProperties: [{ property: 'partitionProjection', value: projection }] }));
    expect(spec.tables[0].projection).toEqual(projection);
    const problems = problemsOfObject(withProperties([{ name: 'v', logicalType: 'string' }, { name: 'd', logicalType: 'string', partitioned: true }],
      { customProperties: [{ property: 'partitionProjection', value: { d: { type: 'dates' } } }] }));
    expect(problemFor(problems, 'schema[0].customProperties[0].value')).toContain('must be one of date, integer, enum, injected');
  });
});

describe('mapContract: classification', () => {
  it('fails on column, table and product classifications outside the ontology, naming the allowed values', () => {
    // given "restricted" (an ODCS example value that the default ontology does not have) at three levels
    const problems = problemsOfObject(withProperties([{ name: 'c', logicalType: 'string', classification: 'restricted' }],
      { customProperties: [{ property: 'classification', value: 'secret' }] }, { tags: ['classification:top'] }));
    // then each names the allowed values
    expect(problemFor(problems, 'schema[0].properties[0].classification')).toMatch(new RegExp('^orders\\.odcs\\.yaml:\\d+:25 '
      + escape('`schema[0].properties[0].classification` must be a classification of the ontology (public, internal, confidential, pii), '
      + 'got: "restricted". Use one of the allowed values, or add the value to the classification LF-tag of the ontology.') + '$'));
    expect(problemFor(problems, 'schema[0].customProperties[0].value')).toContain('(public, internal, confidential, pii), got: "secret"');
    expect(problemFor(problems, 'tags[0]')).toContain('(public, internal, confidential, pii), got: "top"');
  });

  it('uses the classification values of the options, with a suggestion for near misses', () => {
    const obj = withProperties([{ name: 'c', logicalType: 'string', classification: 'restricted' }]);
    expect(mapObject(obj, { classificationValues: ['open', 'restricted'] }).tables[0].columns[0].classification).toBe('restricted');
    const problems = problemsOfObject(withProperties([{ name: 'c', logicalType: 'string', classification: 'confidental' }]));
    expect(problemFor(problems, 'schema[0].properties[0].classification')).toContain('Did you mean "confidential"?');
  });

  it('reads the table classification from the classification key of an object too (extension)', () => {
    expect(mapObject(withProperties([{ name: 'c', logicalType: 'string' }], { classification: 'public' })).tables[0].classification).toBe('public');
  });

  it('reads the product classification from the custom property and fails when the tag disagrees', () => {
    expect(mapObject(base({ customProperties: [{ property: 'classification', value: 'internal' }] })).classification).toBe('internal');
    const problems = problemsOfObject(base({ customProperties: [{ property: 'classification', value: 'internal' }], tags: ['classification:pii'] }));
    expect(problemFor(problems, 'tags[0]')).toContain('must agree with the classification custom property ("internal")');
  });

  it('leaves the product classification undefined when the contract gives none', () => {
    expect(mapObject(base()).classification).toBeUndefined();
  });
});

describe('mapContract: tags', () => {
  it('turns key:value and key=value tags of the ontology into LF-tags and reports the others', () => {
    // given tags with an ontology key, an unknown key, and a plain word
    const spec = mapObject(base({ tags: ['cost_center=marketing', 'region:eu', 'finance'] }));
    // then only the ontology tag is applied
    expect(spec.tags).toEqual({ cost_center: 'marketing' });
    expect(spec.ignoredTags).toEqual(['region:eu', 'finance']);
    expect(warningsOf(spec, CONTRACT_TAG_IGNORED)).toEqual([expect.stringMatching(/^orders\.odcs\.yaml:\d+:\d+ /)]);
    expect(warningsOf(spec, CONTRACT_TAG_IGNORED)[0]).toContain(
      '`tags` ["region:eu","finance"] are not LF-tags of the ontology and are not applied. Write key:value with a key of the ontology (cost_center) to tag the product.');
  });

  it('fails on a value outside the LF-tag values and on two values for one key', () => {
    const problems = problemsOfObject(base({ tags: ['cost_center:finanse', 'cost_center:finance', 'cost_center:marketing'] }));
    expect(problemFor(problems, 'tags[0]')).toContain('must use a value of LF-tag "cost_center" (finance, marketing), got: "cost_center:finanse". Did you mean "finance"?');
    expect(problemFor(problems, 'tags[2]')).toContain('must give LF-tag "cost_center" one value (already "finance")');
  });
});

describe('mapContract: owner, contact, team and support', () => {
  it('prefers the owner key, then the owner custom property, then a team member with an owner role', () => {
    expect(mapObject(base({ owner: 'sales-team' })).owner).toBe('sales-team');
    expect(mapObject(base({ customProperties: [{ property: 'owner', value: 'crm-team' }] })).owner).toBe('crm-team');
    expect(mapObject(base({ team: [{ username: 'x', role: 'steward' }, { username: 'po', role: 'Data Product Owner' }] })).owner).toBe('po');
    expect(mapObject(base({ team: { members: [{ name: 'Jane', role: 'data_owner' }] } })).owner).toBe('Jane');
  });

  it('falls back to the domain, then the data product, with a warning', () => {
    const spec = mapObject(base({ team: undefined }));
    expect(spec.owner).toBe('sales');
    expect(warningsOf(spec, CONTRACT_DEFAULTED)).toEqual([expect.stringContaining('names no member with role owner: the owner is taken from domain ("sales")')]);
    expect(mapObject(base({ team: undefined, domain: undefined })).owner).toBe('orders');
  });

  it('leaves out members whose dateOut is past', () => {
    const spec = mapObject(base({ team: [{ username: 'old', role: 'owner', dateOut: '2001-01-01' }, { username: 'new', role: 'owner', dateOut: '2999-01-01' }] }));
    expect(spec.owner).toBe('new');
    expect(spec.team.members).toEqual([{ username: 'new', role: 'owner' }]);
  });

  it('finds emails in mailto URLs, email tools and channels, and keeps the other channels', () => {
    const spec = mapObject(base({
      support: [
        { channel: 'chat', tool: 'teams', url: 'https://teams.example.com/x' },
        { channel: 'help', url: 'mailto:help@example.com?subject=orders' },
        { channel: 'ops', tool: 'email', url: 'ops@example.com' },
        { channel: 'dup@example.com' },
        { channel: 'again', url: 'mailto:help@example.com' },
      ],
    }));
    expect(spec.support.emails).toEqual(['help@example.com', 'ops@example.com', 'dup@example.com']);
    expect(spec.support.others).toEqual([{ channel: 'chat', tool: 'teams', url: 'https://teams.example.com/x' }]);
    expect(spec.contact).toBe('help@example.com');
  });

  it('prefers the contact custom property, and has no contact without email', () => {
    expect(mapObject(base({ customProperties: [{ property: 'contact', value: '#orders' }], support: [{ channel: 'a@b.io' }] })).contact).toBe('#orders');
    expect(mapObject(base({ support: [{ channel: '#orders', tool: 'slack' }] })).contact).toBeUndefined();
  });

  it('generates a description from the contract when there is no purpose, with a warning', () => {
    const spec = mapObject(base({ description: undefined }));
    expect(spec.description).toBe('Data product orders (contract sales-orders 1.0.0)');
    expect(warningsOf(spec, CONTRACT_DEFAULTED)).toEqual([expect.stringContaining('has no purpose')]);
  });
});

describe('mapContract: product name', () => {
  it('uses dataProduct, then name, then fails; the option overrides', () => {
    expect(mapObject(base({ dataProduct: undefined, name: 'orders_v1' })).productName).toBe('orders_v1');
    expect(problemFor(problemsOfObject(base({ dataProduct: undefined })), 'dataProduct')).toContain('is required to name the data product');
    const problems = problemsOfObject(base({ dataProduct: 'Web Orders' }));
    expect(problemFor(problems, 'dataProduct')).toContain('Use for example "web_orders". Or pass the productName option');
    expect(mapObject(base({ dataProduct: 'Web Orders' }), { productName: 'web_orders' }).productName).toBe('web_orders');
  });
});

describe('mapContract: servers', () => {
  const server = (s: Record<string, unknown>): ContractProductSpec => mapObject(base({ servers: [{ server: 'p', type: 's3', ...s }] }));

  it('parses s3 locations into bucket and prefix', () => {
    expect(server({ location: 's3://bucket-a/' }).location).toEqual({ bucket: 'bucket-a', prefix: '' });
    expect(server({ location: 's3://bucket-a' }).location).toEqual({ bucket: 'bucket-a', prefix: '' });
    expect(server({ location: 's3://bucket-a/a/b/' }).location).toEqual({ bucket: 'bucket-a', prefix: 'a/b' });
    expect(server({ location: 's3a://bucket-a/a' }).location).toEqual({ bucket: 'bucket-a', prefix: 'a' });
  });

  it('trims file names, globs and placeholders with a warning', () => {
    const spec = server({ location: 's3://bucket-a/data/{model}/part.parquet' });
    expect(spec.location).toEqual({ bucket: 'bucket-a', prefix: 'data' });
    expect(warningsOf(spec, CONTRACT_LOCATION_TRIMMED)).toEqual([expect.stringContaining('("{model}/part.parquet")')]);
    expect(server({ location: 's3://bucket-a/data/orders.parquet' }).location).toEqual({ bucket: 'bucket-a', prefix: 'data' });
  });

  it('fails on a location that is not an S3 URL and on a missing location', () => {
    expect(problemFor(problemsOfObject(base({ servers: [{ server: 'p', type: 's3', location: 'https://x.s3.amazonaws.com/a' }] })), 'servers[0].location'))
      .toContain('must be an S3 URL s3://<bucket>/<prefix> with a valid bucket name');
    expect(problemFor(problemsOfObject(base({ servers: [{ server: 'p', type: 's3', location: 's3://Bad_Bucket/a' }] })), 'servers[0].location')).toBeDefined();
    expect(problemFor(problemsOfObject(base({ servers: [{ server: 'p', type: 's3' }] })), 'servers[0].location')).toContain('is required for a server of type s3');
  });

  it('maps formats and warns about those the toolkit cannot store', () => {
    expect(server({ location: 's3://b-1/', format: 'Parquet' }).format).toBe(DataFormat.PARQUET);
    expect(server({ location: 's3://b-1/', format: 'csv' }).format).toBe(DataFormat.CSV);
    expect(server({ location: 's3://b-1/', format: 'jsonl' }).format).toBe(DataFormat.JSON);
    const delta = server({ location: 's3://b-1/', format: 'delta' });
    expect(delta.format).toBeUndefined();
    expect(delta.tables[0].format).toBeUndefined();
    expect(warningsOf(delta, CONTRACT_FORMAT_UNSUPPORTED)).toEqual([expect.stringContaining('is "delta": the toolkit stores parquet, json or csv')]);
    expect(warningsOf(server({ location: 's3://b-1/', format: 'csv', delimiter: ';' }), CONTRACT_FORMAT_UNSUPPORTED)).toHaveLength(1);
  });

  it('uses the production S3 server when there are several, and warns about the others and non-S3 servers', () => {
    const spec = mapObject(base({
      servers: [
        { server: 'dev', type: 's3', environment: 'dev', location: 's3://dev-bucket/o/' },
        { server: 'prod', type: 's3', environment: 'production', location: 's3://prod-bucket/o/' },
        { server: 'wh', type: 'snowflake', account: 'x', database: 'd', schema: 's' },
      ],
    }));
    expect(spec.location).toEqual({ bucket: 'prod-bucket', prefix: 'o' });
    const w = warningsOf(spec, CONTRACT_SERVER_UNSUPPORTED);
    expect(w).toHaveLength(2);
    expect(w.join('\n')).toContain('is a second S3 server ("dev"): the product uses servers[1] ("prod")');
    expect(w.join('\n')).toContain('is "snowflake" (server "wh")');
  });

  it('has no location without an S3 server', () => {
    const spec = mapObject(base());
    expect(spec.location).toBeUndefined();
    expect(spec.format).toBeUndefined();
  });
});

describe('mapContract: SLA', () => {
  const sla = (props: readonly Record<string, unknown>[]) => mapObject(base({ slaProperties: props })).sla;

  it.each([
    [{ value: 30, unit: 'm' }, 1800],
    [{ value: 2, unit: 'hours' }, 7200],
    [{ value: 1, unit: 'd' }, 86400],
    [{ value: '1', unit: 'day' }, 86400],
    [{ value: 1, unit: 'w' }, 604800],
    [{ value: 90, unit: 's' }, 90],
    [{ value: 'PT4H' }, 14400],
    [{ value: 'P1DT30M' }, 88200],
  ])('converts latency %j to %d seconds', (v, seconds) => {
    expect(sla([{ property: 'latency', ...v }])).toEqual({ freshness: { maxAgeSeconds: seconds, source: 'latency' } });
  });

  it('uses frequency when there is no latency, and latency when both are given (whatever the order)', () => {
    expect(sla([{ property: 'frequency', value: 'hourly' }])).toEqual({ freshness: { maxAgeSeconds: 3600, source: 'frequency' } });
    expect(sla([{ property: 'fy', value: 1, unit: 'd' }, { property: 'ly', value: 2, unit: 'h' }])).toEqual({ freshness: { maxAgeSeconds: 7200, source: 'latency' } });
  });

  it('converts retention to whole days, rounding up', () => {
    expect(sla([{ property: 'retention', value: 3, unit: 'y' }])).toEqual({ retentionDays: 1095 });
    expect(sla([{ property: 'retention', value: 2, unit: 'mo' }])).toEqual({ retentionDays: 60 });
    expect(sla([{ property: 'retention', value: 36, unit: 'h' }])).toEqual({ retentionDays: 2 });
  });

  it('warns about other properties and repeated ones', () => {
    const spec = mapObject(base({ slaProperties: [{ property: 'availability', value: '99.9%' }, { property: 'latency', value: 1, unit: 'h' }, { property: 'latency', value: 2, unit: 'h' }] }));
    expect(spec.sla.freshness?.maxAgeSeconds).toBe(3600);
    const w = warningsOf(spec, CONTRACT_SLA_UNSUPPORTED);
    expect(w).toHaveLength(2);
    expect(w[1]).toContain('repeats latency (first at slaProperties[1]); the first is used.');
  });

  it('fails on durations it cannot read', () => {
    const problems = problemsOfObject(base({
      slaProperties: [{ property: 'latency', value: 4, unit: 'fortnights' }, { property: 'retention', value: -1, unit: 'd' }, { property: 'frequency', value: 'P1X' }],
    }));
    expect(problemFor(problems, 'slaProperties[0].unit')).toContain('must be a time unit (s, sec,');
    expect(problemFor(problems, 'slaProperties[1].value')).toContain('must be a positive number');
    expect(problemFor(problems, 'slaProperties[2].value')).toContain('must be an ISO 8601 duration');
  });
});

describe('mapContract: in-memory contracts and error reporting', () => {
  it('maps an ODCS object directly, prefixing problems with "contract"', () => {
    expect(mapContract(base() as never, OPTIONS).tables[0].name).toBe('orders');
    const problems = problemsOfObject(withProperties([{ name: 'c', logicalType: 'string', classification: 'x' }]));
    expect(problems[0]).toMatch(/^orders\.odcs\.yaml:\d+:\d+ /);
    let message = '';
    try {
      mapContract(withProperties([{ name: 'c', logicalType: 'string', classification: 'x' }]) as never, OPTIONS);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('contract `schema[0].properties[0].classification` must be a classification of the ontology');
  });

  it('reports every mapping problem at once, sorted by position', () => {
    const text = `apiVersion: v3.1.0
kind: DataContract
id: c
version: 1.0.0
status: active
dataProduct: Orders
tags: [classification:secret]
schema:
  - name: orders
    properties:
      - name: a
        logicalType: boolean
        physicalType: int
      - name: b
        logicalType: string
        classification: nope
`;
    const problems = problemsOfText(text);
    expect(problems.map((p) => p.split(' ').slice(0, 2).join(' '))).toEqual([
      'orders.odcs.yaml:6:14 `dataProduct`',
      'orders.odcs.yaml:7:8 `tags[0]`',
      'orders.odcs.yaml:13:23 `schema[0].properties[0].physicalType`',
      'orders.odcs.yaml:16:25 `schema[0].properties[1].classification`',
    ]);
  });
});

describe('mapContract: parameters', () => {
  it('turns contract-level custom properties into database parameters, JSON for structured values', () => {
    const spec = mapObject(base({
      customProperties: [
        { property: 'costCenter', value: 4711 }, { property: 'labels', value: ['a', 'b'] }, { property: 'empty', value: null },
        { property: 'contract_id', value: 'spoof' }, { property: 'owner', value: 'crm-team' },
      ],
    }));
    expect(spec.parameters).toEqual({
      contract_id: 'sales-orders', contract_version: '1.0.0', contract_status: 'active', odcs_api_version: 'v3.1.0', contract_domain: 'sales',
      costCenter: '4711', labels: '["a","b"]',
    });
    expect(spec.warnings.map((w) => w.message).join('\n')).toContain('`customProperties[3].property` is a parameter derived from the contract (contract_id)');
  });
});
