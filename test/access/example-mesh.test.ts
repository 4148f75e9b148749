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

/** Every column of each of `tables`, and DESCRIBE on them. */
function allOf(...tables: string[]): AccessEntry['tables'] {
  return Object.fromEntries(tables.map((t) => [t, { describe: true, select: 'all' }]));
}

/** Expected entry of a domain's writer role: every column, write access, no link (pipelines name the governance catalog). */
function writer(principal: string, domain: string, product: string, ...tables: string[]): AccessEntry {
  const prefix = `catalog-${domain}/Catalog${product}Writer`;
  const account = principal.split(':')[4];
  return {
    principal, catalogId: GOV, database: `${domain}_${product}`, describe: true, write: true, tables: allOf(...tables),
    // DATA_LOCATION_ACCESS is re-granted in the producer account by its administrator (access stack).
    via: [`access-${account}-eu-west-1/Locations${domain}WriterLocationGrant${product}`, `${prefix}DatabaseGrant`, `${prefix}TablesGrant`],
    crossAccount: true,
  };
}

/**
 * Expected entry of a producer account: the governance account grants it DATA_LOCATION_ACCESS on each product
 * location with the grant option (a cross-account location grant goes to an account), nothing else.
 */
function producerAccount(account: string, domain: string, product: string): AccessEntry {
  return {
    principal: account, catalogId: GOV, database: `${domain}_${product}`, describe: false, write: true, tables: {},
    via: [`catalog-${domain}/Catalog${product}ProducerLocationGrant`], crossAccount: true,
  };
}

/** The role that evaluates the data quality rulesets of the contract product marketing.leads, in the governance account. */
const LEADS_QUALITY_ROLE = role(GOV, 'marketing-leads-dq');

const CUSTOMERS_WITHOUT_EMAIL = { customers: { describe: true, select: ['country', 'customer_id', 'segment'] } } as const;
const ORDER_LINES = { order_lines: { describe: true, select: 'all' } } as const;
const CAMPAIGNS = { daily_performance: { describe: true, select: 'all' } } as const;
/** marketing.leads (contract examples/contracts/leads.odcs.yaml, classified internal) without its pii email column. */
const LEADS_WITHOUT_EMAIL = {
  lead_conversions: { describe: true, select: 'all' },
  leads: { describe: true, select: ['campaign_id', 'consent_marketing', 'created_at', 'created_date', 'lead_id', 'score', 'source'] },
} as const;

describe('the example mesh (mesh.yaml)', () => {
  it('synthesizes a catalog without problems', () => {
    expect(synth.model.warnings).toEqual([]);
    expect(synth.matrix.warnings).toEqual([]);
  });

  it('gives exactly the hand-computed access', () => {
    const own = (domain: string, product: string, grants: string[]) => grants.map((g) => `catalog-${domain}/Catalog${product}Query${g}`);
    // One access stack per account (access-<account>-<region>); each reading domain's link grants sit under a
    // construct named after it (Access/<domain>/LinkGrant-<database>), so the logical ID is Access<domain>LinkGrant<database>.
    const link = (account: string, consumer: string, db: string) => `access-${account}-eu-west-1/Access${consumer}LinkGrant${db.replace(/_/g, '')}`;
    const sub = (consumer: string, name: string, grants: string[]) => grants.map((g) => `subscriptions-${consumer}/Subscription${name}${g}`);
    expect(synth.matrix.entries.map(withoutHashes)).toEqual([
      producerAccount(SALES, 'sales', 'customers'),
      producerAccount(SALES, 'sales', 'orders'),
      producerAccount(MARKETING, 'marketing', 'campaigns'),
      producerAccount(MARKETING, 'marketing', 'leads'),
      // The data quality run of marketing.leads reads every column of its checked tables, in the governance account.
      {
        principal: LEADS_QUALITY_ROLE, catalogId: GOV, database: 'marketing_leads', describe: true, write: false,
        tables: allOf('lead_conversions', 'leads'),
        via: ['DatabaseGrant', 'TableGrantleadconversions', 'TableGrantleads'].map((g) => `catalog-marketing/CatalogleadsQuality${g}`), crossAccount: false,
      },
      // Producers' query roles read their own products minus pii columns (queryRoleMaxClassification: confidential).
      viaLink(SALES, role(SALES, 'sales-query'), 'sales_customers', CUSTOMERS_WITHOUT_EMAIL,
        [...own('sales', 'customers', ['DatabaseGrant', 'TableGrantcustomers', 'ColumnsGrantcustomers']), link(SALES, 'sales', 'sales_customers')]),
      viaLink(SALES, role(SALES, 'sales-query'), 'sales_orders', ORDER_LINES,
        [...own('sales', 'orders', ['DatabaseGrant', 'TableGrantorderlines']), link(SALES, 'sales', 'sales_orders')]),
      writer(role(SALES, 'sales-writer'), 'sales', 'customers', 'customers'),
      writer(role(SALES, 'sales-writer'), 'sales', 'orders', 'order_lines'),
      // Marketing: its own products, and every sales product classified public or internal, without the pii email columns.
      viaLink(MARKETING, role(MARKETING, 'marketing-query'), 'marketing_campaigns', CAMPAIGNS,
        [...own('marketing', 'campaigns', ['DatabaseGrant', 'TableGrantdailyperformance']), link(MARKETING, 'marketing', 'marketing_campaigns')]),
      viaLink(MARKETING, role(MARKETING, 'marketing-query'), 'marketing_leads', LEADS_WITHOUT_EMAIL,
        [...own('marketing', 'leads', ['DatabaseGrant', 'TableGrantleadconversions', 'TableGrantleads', 'ColumnsGrantleads']),
          link(MARKETING, 'marketing', 'marketing_leads')]),
      viaLink(MARKETING, role(MARKETING, 'marketing-query'), 'sales_customers', CUSTOMERS_WITHOUT_EMAIL,
        [...sub('marketing', 'salesinternal', ['DatabaseGrant', 'TableGrant']), link(MARKETING, 'marketing', 'sales_customers')]),
      viaLink(MARKETING, role(MARKETING, 'marketing-query'), 'sales_orders', ORDER_LINES,
        [...sub('marketing', 'salesinternal', ['DatabaseGrant', 'TableGrant']), link(MARKETING, 'marketing', 'sales_orders')]),
      writer(role(MARKETING, 'marketing-writer'), 'marketing', 'campaigns', 'daily_performance'),
      writer(role(MARKETING, 'marketing-writer'), 'marketing', 'leads', 'lead_conversions', 'leads'),
      // Finance: public marketing products by tag (not leads, classified internal), sales_orders by name.
      viaLink(FINANCE, role(FINANCE, 'finance-query'), 'marketing_campaigns', CAMPAIGNS,
        [...sub('finance', 'marketingpublic', ['DatabaseGrant', 'TableGrant']), link(FINANCE, 'finance', 'marketing_campaigns')]),
      viaLink(FINANCE, role(FINANCE, 'finance-query'), 'sales_orders', ORDER_LINES,
        [...sub('finance', 'orderssalesorders', ['DatabaseGrant', 'TableGrantorderlines']), link(FINANCE, 'finance', 'sales_orders')]),
    ]);
  });

  it('lets only the pipelines and the data quality run read the pii email columns', () => {
    const email = (database: string, table: string) => ({ catalogId: GOV, database, table, column: 'email', classification: 'pii' });
    expect(sensitiveColumnReaders(synth.model, synth.matrix, ['pii'])).toEqual([
      { principal: LEADS_QUALITY_ROLE, ...email('marketing_leads', 'leads') },
      { principal: role(SALES, 'sales-writer'), ...email('sales_customers', 'customers') },
      { principal: role(MARKETING, 'marketing-writer'), ...email('marketing_leads', 'leads') },
    ]);
    expect(sensitiveColumnReaders(synth.model, synth.matrix)).toEqual(sensitiveColumnReaders(synth.model, synth.matrix, ['pii']));
  });

  it('gives accounts only the data location grants of their own products, and no access to anyone else', () => {
    expect(synth.matrix.entries.filter((e) => !e.principal.startsWith('arn:')).every((e) => e.describe === false && Object.keys(e.tables).length === 0)).toBe(true);
    expect([...new Set(synth.matrix.entries.map((e) => e.principal))]).toEqual([
      SALES, MARKETING, LEADS_QUALITY_ROLE, role(SALES, 'sales-query'), role(SALES, 'sales-writer'), role(MARKETING, 'marketing-query'), role(MARKETING, 'marketing-writer'),
      role(FINANCE, 'finance-query'),
    ]);
  });
});
