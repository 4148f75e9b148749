import { EntityNotFoundException, GetDatabaseCommand, GetDatabasesCommand, GetTablesCommand } from '@aws-sdk/client-glue';
import { GetResourceLFTagsCommand, SearchDatabasesByLFTagsCommand } from '@aws-sdk/client-lakeformation';
import { beforeEach, describe, expect, it } from 'vitest';
import { NotADataProductError } from '../../lib/client';
import { DataMeshValidationError } from '../../lib/errors';
import { fakeClock, inputs, meshClient, mockedClients } from './fakes';

const GOVERNANCE = '111111111111';
const CONSUMER = '333333333333';

const productParams = (domain: string, product: string, extra: Record<string, string> = {}) => ({
  data_product: 'true', mesh: 'acme', domain, product, owner: `${domain}-team`, classification_level: 'internal', producer_account: '444444444444', ...extra,
});
const tag = (key: string, value: string) => ({ CatalogId: GOVERNANCE, TagKey: key, TagValues: [value] });

let clients: ReturnType<typeof mockedClients>;
beforeEach(() => {
  clients = mockedClients();
});

describe('listProducts without tags', () => {
  beforeEach(() => {
    clients.glue.on(GetDatabasesCommand)
      .resolvesOnce({
        DatabaseList: [
          { Name: 'sales_orders', CatalogId: CONSUMER, Description: 'Orders', Parameters: productParams('sales', 'orders', { contact: 'sales@example.com' }) },
          { Name: 'scratch', CatalogId: CONSUMER, Parameters: { purpose: 'tmp' } },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        DatabaseList: [
          { Name: 'marketing_campaigns', CatalogId: CONSUMER, Parameters: productParams('marketing', 'campaigns', { classification_level: 'public' }) },
          { Name: 'sales_customers', CatalogId: CONSUMER, TargetDatabase: { CatalogId: GOVERNANCE, DatabaseName: 'sales_customers' } },
        ],
        NextToken: 'page-3',
      })
      .resolvesOnce({
        DatabaseList: [{ Name: 'raw_link', CatalogId: CONSUMER, TargetDatabase: { CatalogId: '555555555555', DatabaseName: 'raw' } }],
      });
    clients.glue.on(GetDatabaseCommand, { CatalogId: GOVERNANCE, Name: 'sales_customers' }).resolves({
      Database: { Name: 'sales_customers', CatalogId: GOVERNANCE, Description: 'Customers', Parameters: productParams('sales', 'customers') },
    });
    clients.glue.on(GetDatabaseCommand, { CatalogId: '555555555555', Name: 'raw' }).resolves({
      Database: { Name: 'raw', CatalogId: '555555555555', Parameters: { owner: 'someone' } },
    });
    clients.lf.on(GetResourceLFTagsCommand).resolves({});
    clients.lf.on(GetResourceLFTagsCommand, { Resource: { Database: { CatalogId: CONSUMER, Name: 'sales_orders' } } })
      .resolves({ LFTagOnDatabase: [tag('classification', 'confidential'), tag('domain', 'sales')] });
    clients.lf.on(GetResourceLFTagsCommand, { Resource: { Database: { CatalogId: GOVERNANCE, Name: 'sales_customers' } } })
      .resolves({ LFTagOnDatabase: [tag('classification', 'pii')] });
  });

  it('pages through every GetDatabases page, sending each NextToken', async () => {
    await meshClient(clients, fakeClock()).listProducts();
    expect(inputs(clients.glue, GetDatabasesCommand)).toEqual([{}, { NextToken: 'page-2' }, { NextToken: 'page-3' }]);
  });

  it('passes catalogId to GetDatabases', async () => {
    await meshClient(clients, fakeClock()).listProducts({ catalogId: CONSUMER });
    expect(inputs(clients.glue, GetDatabasesCommand)).toEqual([
      { CatalogId: CONSUMER }, { CatalogId: CONSUMER, NextToken: 'page-2' }, { CatalogId: CONSUMER, NextToken: 'page-3' },
    ]);
  });

  it('keeps products and links to products, sorted by name, with classification from LF-tags else the parameter', async () => {
    const products = await meshClient(clients, fakeClock()).listProducts();
    expect(products).toEqual([
      {
        name: 'marketing_campaigns', domain: 'marketing', product: 'campaigns', description: undefined, owner: 'marketing-team', contact: undefined,
        classification: 'public', catalogId: CONSUMER, isResourceLink: false,
      },
      {
        name: 'sales_customers', domain: 'sales', product: 'customers', description: 'Customers', owner: 'sales-team', contact: undefined,
        classification: 'pii', catalogId: CONSUMER, isResourceLink: true, target: { catalogId: GOVERNANCE, databaseName: 'sales_customers' },
      },
      {
        name: 'sales_orders', domain: 'sales', product: 'orders', description: 'Orders', owner: 'sales-team', contact: 'sales@example.com',
        classification: 'confidential', catalogId: CONSUMER, isResourceLink: false,
      },
    ]);
  });

  it('describes link targets in their own catalog and reads LF-tags of the target', async () => {
    await meshClient(clients, fakeClock()).listProducts();
    const getDatabase = inputs(clients.glue, GetDatabaseCommand);
    expect(getDatabase).toHaveLength(2);
    expect(getDatabase).toEqual(expect.arrayContaining([
      { CatalogId: GOVERNANCE, Name: 'sales_customers' },
      { CatalogId: '555555555555', Name: 'raw' },
    ]));
    const tagCalls = inputs(clients.lf, GetResourceLFTagsCommand);
    expect(tagCalls).toHaveLength(3);
    expect(tagCalls).toEqual(expect.arrayContaining([
      { Resource: { Database: { CatalogId: CONSUMER, Name: 'sales_orders' } } },
      { Resource: { Database: { CatalogId: CONSUMER, Name: 'marketing_campaigns' } } },
      { Resource: { Database: { CatalogId: GOVERNANCE, Name: 'sales_customers' } } },
    ]));
  });

  it('propagates a Glue error unchanged', async () => {
    const err = new EntityNotFoundException({ $metadata: { httpStatusCode: 400 }, message: 'Database raw not found' });
    clients.glue.on(GetDatabaseCommand, { CatalogId: '555555555555', Name: 'raw' }).rejects(err);
    await expect(meshClient(clients, fakeClock()).listProducts()).rejects.toBe(err);
  });
});

describe('listProducts with tags', () => {
  beforeEach(() => {
    clients.lf.on(SearchDatabasesByLFTagsCommand)
      .resolvesOnce({
        DatabaseList: [{ Database: { CatalogId: GOVERNANCE, Name: 'sales_orders' }, LFTags: [tag('domain', 'sales'), tag('classification', 'internal')] }],
        NextToken: 'more',
      })
      .resolvesOnce({
        DatabaseList: [
          { Database: { CatalogId: GOVERNANCE, Name: 'sales_customers' }, LFTags: [tag('domain', 'sales'), tag('classification', 'public')] },
          { Database: { CatalogId: GOVERNANCE, Name: 'sales_staging' }, LFTags: [tag('domain', 'sales')] },
        ],
      });
    clients.glue.on(GetDatabaseCommand, { Name: 'sales_orders' }).resolves({ Database: { Name: 'sales_orders', CatalogId: GOVERNANCE, Parameters: productParams('sales', 'orders') } });
    clients.glue.on(GetDatabaseCommand, { Name: 'sales_customers' }).resolves({ Database: { Name: 'sales_customers', CatalogId: GOVERNANCE, Parameters: productParams('sales', 'customers') } });
    clients.glue.on(GetDatabaseCommand, { Name: 'sales_staging' }).resolves({ Database: { Name: 'sales_staging', CatalogId: GOVERNANCE, Parameters: {} } });
  });

  it('searches by LF-tags over every page with a sorted expression, then describes each database', async () => {
    const products = await meshClient(clients, fakeClock()).listProducts({ tags: { domain: ['sales'], classification: ['public', 'internal'] }, catalogId: GOVERNANCE });
    const expression = [{ TagKey: 'classification', TagValues: ['internal', 'public'] }, { TagKey: 'domain', TagValues: ['sales'] }];
    expect(inputs(clients.lf, SearchDatabasesByLFTagsCommand)).toEqual([
      { CatalogId: GOVERNANCE, Expression: expression },
      { CatalogId: GOVERNANCE, Expression: expression, NextToken: 'more' },
    ]);
    expect(inputs(clients.glue, GetDatabaseCommand)).toEqual([
      { CatalogId: GOVERNANCE, Name: 'sales_orders' },
      { CatalogId: GOVERNANCE, Name: 'sales_customers' },
      { CatalogId: GOVERNANCE, Name: 'sales_staging' },
    ]);
    expect(clients.glue.commandCalls(GetDatabasesCommand)).toHaveLength(0);
    // The search already returned each database's LF-tags.
    expect(clients.lf.commandCalls(GetResourceLFTagsCommand)).toHaveLength(0);
    expect(products.map((p) => [p.name, p.classification])).toEqual([['sales_customers', 'public'], ['sales_orders', 'internal']]);
  });

  it('fails before calling AWS when a tag has no values', async () => {
    const client = meshClient(clients, fakeClock());
    await expect(client.listProducts({ tags: { domain: [] } })).rejects.toThrow(DataMeshValidationError);
    await expect(client.listProducts({ tags: {} })).rejects.toThrow(/`tags` must have at least one key/);
    expect(clients.lf.calls()).toHaveLength(0);
  });
});

describe('describeProduct', () => {
  const ordersTable = {
    Name: 'customers', DatabaseName: 'sales_customers', TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'parquet', EXTERNAL: 'TRUE' },
    PartitionKeys: [],
    StorageDescriptor: {
      Location: 's3://acme-sales-customers/customers/',
      Columns: [{ Name: 'id', Type: 'bigint', Comment: 'Customer id' }, { Name: 'email', Type: 'string' }],
    },
  };
  const eventsTable = {
    Name: 'events', DatabaseName: 'sales_customers', TableType: 'EXTERNAL_TABLE',
    Parameters: {
      'classification': 'json', 'projection.enabled': 'true', 'projection.dt.type': 'date', 'projection.dt.range': '2024-01-01,NOW',
      'projection.dt.format': 'yyyy-MM-dd', 'storage.location.template': 's3://acme-sales-customers/events/dt=${dt}/',
    },
    PartitionKeys: [{ Name: 'dt', Type: 'string', Comment: 'Event day' }],
    StorageDescriptor: { Location: 's3://acme-sales-customers/events/', Columns: [{ Name: 'payload', Type: 'string' }] },
  };

  beforeEach(() => {
    clients.glue.on(GetDatabaseCommand, { Name: 'sales_customers' }).resolves({
      Database: { Name: 'sales_customers', CatalogId: CONSUMER, TargetDatabase: { CatalogId: GOVERNANCE, DatabaseName: 'sales_customers', Region: 'eu-west-1' } },
    });
    clients.glue.on(GetDatabaseCommand, { CatalogId: GOVERNANCE, Name: 'sales_customers' }).resolves({
      Database: {
        Name: 'sales_customers', CatalogId: GOVERNANCE, Description: 'Customers', LocationUri: 's3://acme-sales-customers/',
        Parameters: productParams('sales', 'customers', {
          'sla_freshness_hours': '24', 'sla.availability': '99.9', 'quality_score': '0.98', 'quality.ruleset': 'customers_dq', 'slate': 'not sla',
        }),
      },
    });
    clients.glue.on(GetTablesCommand)
      .resolvesOnce({ TableList: [eventsTable], NextToken: 'tables-2' })
      .resolvesOnce({ TableList: [ordersTable] });
    clients.lf.on(GetResourceLFTagsCommand, { Resource: { Database: { CatalogId: GOVERNANCE, Name: 'sales_customers' } } })
      .resolves({ LFTagOnDatabase: [tag('classification', 'internal'), tag('domain', 'sales')] });
    clients.lf.on(GetResourceLFTagsCommand, { Resource: { Table: { CatalogId: GOVERNANCE, DatabaseName: 'sales_customers', Name: 'customers' } } })
      .resolves({
        LFTagsOnTable: [tag('classification', 'confidential')],
        LFTagsOnColumns: [{ Name: 'email', LFTags: [tag('classification', 'pii')] }, { Name: 'id', LFTags: [] }],
      });
    clients.lf.on(GetResourceLFTagsCommand, { Resource: { Table: { CatalogId: GOVERNANCE, DatabaseName: 'sales_customers', Name: 'events' } } })
      .resolves({ LFTagsOnTable: [], LFTagsOnColumns: [] });
  });

  it('follows the resource link and reads the target database, every table page and assigned LF-tags', async () => {
    await meshClient(clients, fakeClock()).describeProduct('sales_customers');
    expect(inputs(clients.glue, GetDatabaseCommand)).toEqual([{ Name: 'sales_customers' }, { CatalogId: GOVERNANCE, Name: 'sales_customers' }]);
    expect(inputs(clients.glue, GetTablesCommand)).toEqual([
      { CatalogId: GOVERNANCE, DatabaseName: 'sales_customers' },
      { CatalogId: GOVERNANCE, DatabaseName: 'sales_customers', NextToken: 'tables-2' },
    ]);
    expect(inputs(clients.lf, GetResourceLFTagsCommand)).toEqual([
      { Resource: { Database: { CatalogId: GOVERNANCE, Name: 'sales_customers' } }, ShowAssignedLFTags: true },
      { Resource: { Table: { CatalogId: GOVERNANCE, DatabaseName: 'sales_customers', Name: 'events' } }, ShowAssignedLFTags: true },
      { Resource: { Table: { CatalogId: GOVERNANCE, DatabaseName: 'sales_customers', Name: 'customers' } }, ShowAssignedLFTags: true },
    ]);
  });

  it('resolves each column classification from the column, else the table, else the database', async () => {
    const product = await meshClient(clients, fakeClock()).describeProduct('sales_customers');
    const customers = product.tables.find((t) => t.name === 'customers')!;
    const events = product.tables.find((t) => t.name === 'events')!;
    expect(customers.classification).toBe('confidential');
    expect(customers.columns).toEqual([
      { name: 'id', type: 'bigint', comment: 'Customer id', lfTags: {}, classification: 'confidential', classificationSource: 'table' },
      { name: 'email', type: 'string', lfTags: { classification: 'pii' }, classification: 'pii', classificationSource: 'column' },
    ]);
    expect(events.classification).toBe('internal');
    expect(events.columns).toEqual([{ name: 'payload', type: 'string', lfTags: {}, classification: 'internal', classificationSource: 'database' }]);
    expect(events.partitionKeys).toEqual([{ name: 'dt', type: 'string', comment: 'Event day', lfTags: {}, classification: 'internal', classificationSource: 'database' }]);
  });

  it('falls back to the classification_level parameter when no LF-tag classifies the product', async () => {
    clients.lf.on(GetResourceLFTagsCommand, { Resource: { Database: { CatalogId: GOVERNANCE, Name: 'sales_customers' } } }).resolves({ LFTagOnDatabase: [tag('domain', 'sales')] });
    const product = await meshClient(clients, fakeClock()).describeProduct('sales_customers');
    expect(product.classification).toBe('internal');
    const events = product.tables.find((t) => t.name === 'events')!;
    expect(events.columns[0]).toMatchObject({ classification: 'internal', classificationSource: 'parameter' });
  });

  it('returns format, location, partition projection, SLA and quality metadata and the link', async () => {
    const product = await meshClient(clients, fakeClock()).describeProduct('sales_customers');
    expect(product).toMatchObject({
      name: 'sales_customers', catalogId: CONSUMER, isResourceLink: true,
      target: { catalogId: GOVERNANCE, databaseName: 'sales_customers', region: 'eu-west-1' },
      domain: 'sales', product: 'customers', owner: 'sales-team', description: 'Customers', classification: 'internal',
      mesh: 'acme', producerAccount: '444444444444', locationUri: 's3://acme-sales-customers/',
      lfTags: { classification: 'internal', domain: 'sales' },
    });
    expect(product.sla).toEqual({ freshness_hours: '24', availability: '99.9' });
    expect(product.quality).toEqual({ score: '0.98', ruleset: 'customers_dq' });
    expect(product.tables.map((t) => [t.name, t.format, t.location])).toEqual([
      ['customers', 'parquet', 's3://acme-sales-customers/customers/'],
      ['events', 'json', 's3://acme-sales-customers/events/'],
    ]);
    expect(product.tables[0].projection).toBeUndefined();
    expect(product.tables[1].projection).toEqual({
      'projection.dt.format': 'yyyy-MM-dd', 'projection.dt.range': '2024-01-01,NOW', 'projection.dt.type': 'date', 'projection.enabled': 'true',
      'storage.location.template': 's3://acme-sales-customers/events/dt=${dt}/',
    });
  });

  it('throws NotADataProductError for a database that is not a product', async () => {
    clients.glue.on(GetDatabaseCommand, { Name: 'scratch' }).resolves({ Database: { Name: 'scratch', CatalogId: CONSUMER, Parameters: {} } });
    await expect(meshClient(clients, fakeClock()).describeProduct('scratch', { catalogId: CONSUMER })).rejects.toThrow(NotADataProductError);
    expect(inputs(clients.glue, GetDatabaseCommand)).toEqual([{ CatalogId: CONSUMER, Name: 'scratch' }]);
    expect(clients.glue.commandCalls(GetTablesCommand)).toHaveLength(0);
  });
});
