import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataDomain, DataProduct, LakeFormationSettings, MeshGovernance, ProductStorage } from '../../constructs';
import { DataFormat, TableSpec } from '../../lib/table-schema';
import { ENV, MESH, newApp } from './app';

/** Orders: Parquet, partitioned by date and channel with projection. */
export const ORDER_LINES: TableSpec = {
  name: 'order_lines',
  description: 'Order lines',
  columns: [
    { name: 'order_id', type: 'string', comment: 'Order identifier' },
    { name: 'amount', type: 'decimal(12,2)' },
    { name: 'order_date', type: 'date' },
    { name: 'channel', type: 'string' },
  ],
  partitionKeys: ['order_date', 'channel'],
  projection: {
    order_date: { type: 'date', range: 'NOW-3YEARS,NOW', format: 'yyyy-MM-dd' },
    channel: { type: 'enum', values: ['web', 'store'] },
  },
};

/** Refunds: CSV, confidential table with PII and internal columns. */
export const REFUNDS: TableSpec = {
  name: 'refunds',
  format: DataFormat.CSV,
  classification: 'confidential',
  columns: [
    { name: 'refund_id', type: 'string' },
    { name: 'iban', type: 'string', classification: 'pii' },
    { name: 'reason', type: 'string', classification: 'internal' },
    { name: 'card_last4', type: 'char(4)', classification: 'pii' },
  ],
};

/** Clicks: JSON, partitioned, no projection. */
export const CLICKS: TableSpec = {
  name: 'clicks',
  format: DataFormat.JSON,
  columns: [{ name: 'url', type: 'string' }, { name: 'attrs', type: 'map<string,string>' }, { name: 'day', type: 'date' }],
  partitionKeys: ['day'],
};

/**
 * One stack `Mesh` with settings, governance (custom LF-tag `team`), the domain `sales` and four products:
 * `orders` (three tables, custom tag, contact, parameters), `customers` (confidential, PII columns),
 * `secrets` (classified pii: the query role gets no table) and `notes` (stored as a prefix of the domain bucket).
 * A role `Reader` gets `grantRead` on orders, a role `Loader` gets `grantWrite` on notes.
 */
export function buildRichMesh() {
  const app = newApp();
  const stack = new Stack(app, 'Mesh', { env: ENV });
  const settings = new LakeFormationSettings(stack, 'Settings');
  const governance = new MeshGovernance(stack, 'Governance', { meshName: MESH, tags: { team: ['core', 'growth'] } });
  const domain = new DataDomain(stack, 'Domain', { meshName: MESH, domainName: 'sales' });
  const orders = new DataProduct(stack, 'Orders', {
    domain, governance, productName: 'orders', description: 'Every confirmed order', owner: 'sales-data-team',
    contact: 'sales-data@example.com', tags: { team: 'core' }, parameters: { sla: 'daily' },
    tables: [ORDER_LINES, REFUNDS, CLICKS],
  });
  const customers = new DataProduct(stack, 'Customers', {
    domain, governance, productName: 'customers', description: 'Customer master data', owner: 'crm-team', classification: 'confidential',
    tables: [{
      name: 'customers',
      columns: [
        { name: 'customer_id', type: 'string' }, { name: 'email', type: 'string', classification: 'pii' },
        { name: 'phone', type: 'string', classification: 'pii' }, { name: 'country', type: 'string' },
      ],
    }],
  });
  const secrets = new DataProduct(stack, 'Secrets', {
    domain, governance, productName: 'secrets', description: 'Identity documents', owner: 'kyc-team', classification: 'pii',
    tables: [{ name: 'documents', columns: [{ name: 'doc_id', type: 'string' }, { name: 'scan', type: 'binary' }] }],
  });
  const notes = new DataProduct(stack, 'Notes', {
    domain, governance, productName: 'notes', description: 'Sales notes', owner: 'sales-ops', storage: ProductStorage.DOMAIN_PREFIX,
    tables: [{ name: 'notes', columns: [{ name: 'note_id', type: 'string' }, { name: 'text', type: 'string' }] }],
  });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  const loader = new iam.Role(stack, 'Loader', { assumedBy: new iam.AccountRootPrincipal() });
  const readGrant = orders.grantRead(reader);
  const writeGrant = notes.grantWrite(loader);
  return { app, stack, settings, governance, domain, orders, customers, secrets, notes, reader, loader, readGrant, writeGrant };
}
