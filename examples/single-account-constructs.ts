import { App, Stack } from 'aws-cdk-lib';
import { DataDomain, DataProduct, LakeFormationSettings, MeshGovernance } from '../constructs';
import { DataFormat } from '../lib/table-schema';

/**
 * A single-account mesh composed by hand from the constructs: one account, two domains (sales, marketing)
 * and three products, one of them with a PII column. Returns the app so that tests can inspect it.
 */
export function buildSingleAccountApp(app: App, account = '111111111111', region = 'eu-west-1'): App {
  const env = { account, region };
  const meshName = 'acme';

  const lf = new Stack(app, 'lakeformation', { env, description: 'Lake Formation settings of the account' });
  const settings = new LakeFormationSettings(lf, 'Settings');

  const gov = new Stack(app, 'governance', { env, description: 'Mesh governance: LF-tags, registration role, catalog encryption, audit' });
  gov.addStackDependency(lf);
  const governance = new MeshGovernance(gov, 'Governance', { meshName, lakeFormationSettings: settings });

  const salesStack = new Stack(app, 'sales', { env, description: 'Data domain sales' });
  salesStack.addStackDependency(gov);
  const sales = new DataDomain(salesStack, 'Domain', { meshName, domainName: 'sales', description: 'Orders and customers' });

  new DataProduct(salesStack, 'Orders', {
    domain: sales,
    governance,
    productName: 'orders',
    description: 'Every confirmed order, one row per order line',
    owner: 'sales-data-team',
    contact: 'sales-data@example.com',
    classification: 'internal',
    tables: [{
      name: 'order_lines',
      description: 'Order lines, partitioned by order date',
      columns: [
        { name: 'order_id', type: 'string', comment: 'Order identifier' },
        { name: 'line_number', type: 'int', comment: 'Position in the order' },
        { name: 'sku', type: 'string', comment: 'Product SKU' },
        { name: 'quantity', type: 'int' },
        { name: 'amount', type: 'decimal(12,2)', comment: 'Line amount in EUR' },
        { name: 'order_date', type: 'date', comment: 'Day the order was placed' },
      ],
      partitionKeys: ['order_date'],
      projection: { order_date: { type: 'date', range: 'NOW-3YEARS,NOW', format: 'yyyy-MM-dd' } },
    }],
  });

  new DataProduct(salesStack, 'Customers', {
    domain: sales,
    governance,
    productName: 'customers',
    description: 'Customer master data',
    owner: 'sales-data-team',
    classification: 'confidential',
    tables: [{
      name: 'customers',
      columns: [
        { name: 'customer_id', type: 'string' },
        { name: 'email', type: 'string', comment: 'Contact email', classification: 'pii' },
        { name: 'country', type: 'string' },
        { name: 'segment', type: 'string' },
      ],
    }],
  });

  const marketingStack = new Stack(app, 'marketing', { env, description: 'Data domain marketing' });
  marketingStack.addStackDependency(gov);
  const marketing = new DataDomain(marketingStack, 'Domain', { meshName, domainName: 'marketing', description: 'Campaigns' });
  new DataProduct(marketingStack, 'Campaigns', {
    domain: marketing,
    governance,
    productName: 'campaigns',
    description: 'Campaign performance per day',
    owner: 'marketing-analytics',
    classification: 'public',
    tables: [{
      name: 'daily_performance',
      format: DataFormat.JSON,
      columns: [
        { name: 'campaign_id', type: 'string' },
        { name: 'impressions', type: 'bigint' },
        { name: 'clicks', type: 'bigint' },
        { name: 'day', type: 'date' },
      ],
      partitionKeys: ['day'],
    }],
  });
  return app;
}
