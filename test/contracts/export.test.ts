import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportContract, ExportContractInput, toYaml } from '../../lib/contracts/export';
import { ContractProductSpec, mapContract } from '../../lib/contracts/map';
import { contractFromObject, loadContract, parseContract } from '../../lib/contracts/parse';
import { DataFormat, TableSpec } from '../../lib/table-schema';
import { OPTIONS, problemsOf } from './helpers';

const EXAMPLES = join(__dirname, '..', '..', 'examples', 'contracts');

const ORDERS: TableSpec = {
  name: 'orders',
  description: 'One row per order',
  format: DataFormat.PARQUET,
  classification: 'confidential',
  columns: [
    { name: 'order_id', type: 'string', comment: 'Order identifier' },
    { name: 'amount', type: 'decimal(12,2)' },
    { name: 'email', type: 'varchar(320)', classification: 'pii' },
    { name: 'items', type: 'array<struct<sku:string,qty:int>>' },
    { name: 'attributes', type: 'map<string,string>' },
    { name: 'order_date', type: 'date' },
    { name: 'channel', type: 'string' },
  ],
  partitionKeys: ['order_date', 'channel'],
  projection: { order_date: { type: 'date', range: 'NOW-3YEARS,NOW', format: 'yyyy-MM-dd' }, channel: { type: 'enum', values: ['web', 'store'] } },
};

const INPUT: ExportContractInput = {
  domain: 'sales',
  productName: 'orders',
  description: 'Every order placed in the web shop',
  owner: 'sales-data-team',
  contact: 'sales-data@example.com',
  classification: 'confidential',
  tags: { cost_center: 'finance' },
  tables: [ORDERS, { name: 'refunds', format: DataFormat.PARQUET, columns: [{ name: 'refund_id', type: 'bigint' }] }],
  parameters: { costCenter: '4711', contract_version: '2.1.0' },
  columnParameters: { orders: { order_id: { required: 'true', primary_key: 'true', primary_key_position: '1', unique: 'true' } } },
  quality: [{ table: 'orders', dqdl: 'Rules = [ IsComplete "order_id", RowCount > 0 ]' }],
  sla: { freshness: { maxAgeSeconds: 7200, source: 'latency' }, retentionDays: 365 },
  location: { bucket: 'acme-sales-orders', prefix: '/orders/' },
};

function roundTrip(input: ExportContractInput): ContractProductSpec {
  return mapContract(parseContract(toYaml(exportContract(input)), 'exported.odcs.yaml'), OPTIONS);
}

describe('exportContract', () => {
  const contract = exportContract(INPUT) as unknown as Record<string, any>;

  it('writes the identity and product fields of an ODCS v3.1.0 contract', () => {
    expect(contract).toMatchObject({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'sales.orders',
      name: 'orders',
      version: '2.1.0', // from the contract_version parameter
      status: 'active',
      domain: 'sales',
      dataProduct: 'orders',
      description: { purpose: 'Every order placed in the web shop' },
      tags: ['classification:confidential', 'cost_center:finance'],
      team: { members: [{ username: 'sales-data-team', role: 'owner' }] },
      support: [{ channel: 'sales-data@example.com', tool: 'email', url: 'mailto:sales-data@example.com' }],
      servers: [{ server: 'production', type: 's3', environment: 'prod', location: 's3://acme-sales-orders/orders/', format: 'parquet' }],
      slaProperties: [{ property: 'latency', value: 2, unit: 'h' }, { property: 'retention', value: 365, unit: 'd' }],
      customProperties: [{ property: 'costCenter', value: '4711' }],
    });
  });

  it('writes tables as schema objects with typed properties', () => {
    const orders = contract.schema[0];
    expect(orders).toMatchObject({ name: 'orders', logicalType: 'object', physicalType: 'table', description: 'One row per order' });
    expect(orders.properties[0]).toEqual({
      name: 'order_id', description: 'Order identifier', logicalType: 'string', physicalType: 'string', required: true, unique: true, primaryKey: true, primaryKeyPosition: 1,
    });
    expect(orders.properties[1]).toEqual({ name: 'amount', logicalType: 'number', physicalType: 'decimal(12,2)' });
    expect(orders.properties[2]).toEqual({ name: 'email', logicalType: 'string', physicalType: 'varchar(320)', classification: 'pii' });
    expect(orders.properties[3]).toEqual({
      name: 'items', logicalType: 'array',
      items: { logicalType: 'object', properties: [{ name: 'sku', logicalType: 'string', physicalType: 'string' }, { name: 'qty', logicalType: 'integer', physicalType: 'int' }] },
    });
    expect(orders.properties[4]).toEqual({ name: 'attributes', logicalType: 'object', physicalType: 'map<string,string>' });
    expect(orders.properties[5]).toMatchObject({ name: 'order_date', partitioned: true, partitionKeyPosition: 1 });
    expect(orders.properties[6]).toMatchObject({ name: 'channel', partitioned: true, partitionKeyPosition: 2 });
    expect(orders.quality).toEqual([{ type: 'custom', engine: 'glue-data-quality', implementation: 'Rules = [ IsComplete "order_id", RowCount > 0 ]' }]);
    expect(orders.customProperties).toEqual([
      { property: 'classification', value: 'confidential' },
      { property: 'partitionProjection', value: ORDERS.projection },
    ]);
  });

  it('gives a contract that passes the structural validation without warning', () => {
    expect(contractFromObject(contract, 'exported').warnings).toEqual([]);
  });

  it('writes per-table formats when the tables differ, and a contact that is not an email as custom property', () => {
    const c = exportContract({ ...INPUT, contact: '#sales-data', tables: [ORDERS, { name: 'raw', format: DataFormat.JSON, columns: [{ name: 'x', type: 'string' }] }] }) as unknown as Record<string, any>;
    expect(c.servers[0]).not.toHaveProperty('format');
    const withDefault = exportContract({ ...INPUT, format: DataFormat.JSON }) as unknown as Record<string, any>;
    expect(withDefault.servers[0].format).toBe('json');
    expect(withDefault.schema[0].customProperties).toContainEqual({ property: 'format', value: 'parquet' });
    expect(c.schema[0].customProperties).toContainEqual({ property: 'format', value: 'parquet' });
    expect(c.schema[1].customProperties).toEqual([{ property: 'format', value: 'json' }]);
    expect(c).not.toHaveProperty('support');
    expect(c.customProperties).toContainEqual({ property: 'contact', value: '#sales-data' });
  });

  it('omits what is not given', () => {
    const c = exportContract({ domain: 'd', productName: 'p', description: 'x', owner: 'o', classification: 'public', tables: [{ name: 't', columns: [{ name: 'c', type: 'int' }] }] });
    expect(Object.keys(c)).toEqual(['apiVersion', 'kind', 'id', 'name', 'version', 'status', 'domain', 'dataProduct', 'description', 'tags', 'schema', 'team']);
  });

  it('fails on invalid input, listing every problem', () => {
    const problems = problemsOf(() => exportContract({
      ...INPUT,
      productName: 'Orders',
      classification: 'secret',
      tables: [ORDERS, { name: 'orders', columns: [{ name: 'x', type: 'Array<String>' }, { name: 'y', type: 'text' }] }],
      quality: [{ table: 'nope', dqdl: 'RowCount > 0' }, { table: 'orders', dqdl: 'IsComplete "zz"' }],
      location: { bucket: 'Bad_Bucket', prefix: '' },
    }));
    expect(problems).toHaveLength(8);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('`productName` must be a product name'),
      expect.stringContaining('`classification` must be a classification of the ontology (public, internal, confidential, pii), got: "secret"'),
      // (the project's validation may refuse uppercase types itself; either way there is one problem for the column)
      expect.stringMatching(/^`tables\[1\]\.columns\[0\]\.type` must (be a supported Glue type|be written in lowercase to export)/),
      expect.stringContaining('`tables[1].columns[1].type` must be a supported Glue type'),
      expect.stringContaining('`tables[1].name` must be unique among the tables'),
      expect.stringContaining('`quality[0].table` must name a table of the product (orders, orders)'),
      expect.stringContaining('`quality[1].dqdl` must be a DQDL ruleset the toolkit supports (IsComplete names column "zz"'),
      expect.stringContaining('`location.bucket` must be an S3 bucket name'),
    ]));
  });
});

describe('toYaml', () => {
  it('writes YAML that reads back to the same object, with a header comment', () => {
    const contract = exportContract(INPUT);
    const text = toYaml(contract);
    expect(text.startsWith('# ODCS data contract written by cdk-data-mesh\n')).toBe(true);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(contract)));
  });
});

describe('exportContract then mapContract', () => {
  it('gives back the same tables, quality, SLA, owner, contact, classification, tags, location and parameters', () => {
    // given a product, when it is exported to YAML and imported again
    const spec = roundTrip(INPUT);
    // then everything the contract can carry comes back
    expect(spec.tables).toEqual(INPUT.tables);
    expect(spec.quality.map((q) => [q.table, q.dqdl])).toEqual([['orders', 'Rules = [\n    IsComplete "order_id",\n    RowCount > 0\n]']]);
    expect(spec.sla).toEqual(INPUT.sla);
    expect(spec.owner).toBe(INPUT.owner);
    expect(spec.contact).toBe(INPUT.contact);
    expect(spec.classification).toBe(INPUT.classification);
    expect(spec.tags).toEqual(INPUT.tags);
    expect(spec.location).toEqual({ bucket: 'acme-sales-orders', prefix: 'orders' });
    expect(spec.columnParameters).toEqual(INPUT.columnParameters);
    expect(spec.parameters).toMatchObject({ costCenter: '4711', contract_version: '2.1.0', contract_id: 'sales.orders' });
    expect(spec.warnings).toEqual([]);
    expect(spec.unsupportedRules).toEqual([]);
  });

  it('gives back the example contract\'s product unchanged (import → export → import)', () => {
    // given the example contract mapped once
    const first = mapContract(loadContract(join(EXAMPLES, 'orders.odcs.yaml')), OPTIONS);
    // when the product is exported and imported again
    const second = roundTrip({
      domain: first.domain!, productName: first.productName, description: first.description, owner: first.owner, contact: first.contact,
      classification: first.classification!, tags: first.tags, tables: first.tables, parameters: first.parameters, columnParameters: first.columnParameters,
      quality: first.quality, sla: first.sla, location: first.location, format: first.format,
    });
    // then the deployable parts are identical
    for (const key of ['productName', 'description', 'owner', 'contact', 'classification', 'tags', 'parameters', 'tables', 'columnParameters', 'sla', 'location', 'format'] as const) {
      expect(second[key], key).toEqual(first[key]);
    }
    expect(second.quality.map((q) => q.dqdl)).toEqual(first.quality.map((q) => q.dqdl));
  });

  it('maps the exported object directly, without YAML', () => {
    expect(mapContract(exportContract(INPUT), OPTIONS).tables).toEqual(INPUT.tables);
  });
});
