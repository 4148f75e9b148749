import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { AccessEntry, sensitiveColumnReaders } from '../../lib/access';
import type { MeshDefinition } from '../../lib/mesh/definition';
import { SynthesizedMesh, synthesizeMesh, withoutHashes } from './synth';

const GOV = '111111111111';
const SALES = '222222222222';
const MARKETING = '333333333333';
const FINANCE = '444444444444';
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/acme-${name}`;

let synth: SynthesizedMesh;
beforeAll(() => {
  const definition = YAML.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'mesh.yaml'), 'utf8')) as MeshDefinition;
  synth = synthesizeMesh(definition);
});

/** Expected entry of a query role reading through its account's resource link. */
function viaLink(account: string, principal: string, database: string, tables: AccessEntry['tables'], via: string[]): AccessEntry {
  return {
    principal, catalogId: GOV, database, describe: true, write: false, tables, via: [...via].sort(),
    throughLink: `${account}:${database}`, crossAccount: true,
  };
}

/** Expected entry of a domain's writer role: every column, write access, no link (pipelines name the governance catalog). */
function writer(principal: string, domain: string, product: string, table: string): AccessEntry {
  const prefix = `catalog-${domain}/Catalog${product}Writer`;
  return {
    principal, catalogId: GOV, database: `${domain}_${product}`, describe: true, write: true,
    tables: { [table]: { describe: true, select: 'all' } },
    via: [`${prefix}DatabaseGrant`, `${prefix}LocationGrant`, `${prefix}TablesGrant`], crossAccount: true,
  };
}

const CUSTOMERS_WITHOUT_EMAIL = { customers: { describe: true, select: ['country', 'customer_id', 'segment'] } } as const;
const ORDER_LINES = { order_lines: { describe: true, select: 'all' } } as const;
const CAMPAIGNS = { daily_performance: { describe: true, select: 'all' } } as const;

describe('the example mesh (mesh.yaml)', () => {
  it('synthesizes a catalog without problems', () => {
    expect(synth.model.warnings).toEqual([]);
    expect(synth.matrix.warnings).toEqual([]);
  });

  it('gives exactly the hand-computed access', () => {
    const own = (domain: string, product: string, grants: string[]) => grants.map((g) => `catalog-${domain}/Catalog${product}Query${g}`);
    const link = (consumer: string, db: string) => `${consumer}-access/AccessLinkGrant${db.replace('_', '')}`;
    const sub = (consumer: string, name: string, grants: string[]) => grants.map((g) => `subscriptions-${consumer}/Subscription${name}${g}`);
    expect(synth.matrix.entries.map(withoutHashes)).toEqual([
      // Producers' query roles read their own products minus pii columns (queryRoleMaxClassification: confidential).
      viaLink(SALES, role(SALES, 'sales-query'), 'sales_customers', CUSTOMERS_WITHOUT_EMAIL,
        [...own('sales', 'customers', ['DatabaseGrant', 'TableGrantcustomers', 'ColumnsGrantcustomers']), link('sales', 'sales_customers')]),
      viaLink(SALES, role(SALES, 'sales-query'), 'sales_orders', ORDER_LINES,
        [...own('sales', 'orders', ['DatabaseGrant', 'TableGrantorderlines']), link('sales', 'sales_orders')]),
      writer(role(SALES, 'sales-writer'), 'sales', 'customers', 'customers'),
      writer(role(SALES, 'sales-writer'), 'sales', 'orders', 'order_lines'),
      // Marketing: its own product, and every sales product classified public or internal, without the pii email column.
      viaLink(MARKETING, role(MARKETING, 'marketing-query'), 'marketing_campaigns', CAMPAIGNS,
        [...own('marketing', 'campaigns', ['DatabaseGrant', 'TableGrantdailyperformance']), link('marketing', 'marketing_campaigns')]),
      viaLink(MARKETING, role(MARKETING, 'marketing-query'), 'sales_customers', CUSTOMERS_WITHOUT_EMAIL,
        [...sub('marketing', 'salesinternal', ['DatabaseGrant', 'TableGrant']), link('marketing', 'sales_customers')]),
      viaLink(MARKETING, role(MARKETING, 'marketing-query'), 'sales_orders', ORDER_LINES,
        [...sub('marketing', 'salesinternal', ['DatabaseGrant', 'TableGrant']), link('marketing', 'sales_orders')]),
      writer(role(MARKETING, 'marketing-writer'), 'marketing', 'campaigns', 'daily_performance'),
      // Finance: public marketing products by tag, sales_orders by name.
      viaLink(FINANCE, role(FINANCE, 'finance-query'), 'marketing_campaigns', CAMPAIGNS,
        [...sub('finance', 'marketingpublic', ['DatabaseGrant', 'TableGrant']), link('finance', 'marketing_campaigns')]),
      viaLink(FINANCE, role(FINANCE, 'finance-query'), 'sales_orders', ORDER_LINES,
        [...sub('finance', 'orderssalesorders', ['DatabaseGrant', 'TableGrantorderlines']), link('finance', 'sales_orders')]),
    ]);
  });

  it('lets only the sales pipeline read the pii email column', () => {
    expect(sensitiveColumnReaders(synth.model, synth.matrix, ['pii'])).toEqual([{
      principal: role(SALES, 'sales-writer'), catalogId: GOV, database: 'sales_customers', table: 'customers', column: 'email', classification: 'pii',
    }]);
    expect(sensitiveColumnReaders(synth.model, synth.matrix)).toEqual(sensitiveColumnReaders(synth.model, synth.matrix, ['pii']));
  });

  it('gives no account-wide grants and no access to anyone else', () => {
    expect([...new Set(synth.matrix.entries.map((e) => e.principal))]).toEqual([
      role(SALES, 'sales-query'), role(SALES, 'sales-writer'), role(MARKETING, 'marketing-query'), role(MARKETING, 'marketing-writer'), role(FINANCE, 'finance-query'),
    ]);
  });
});
