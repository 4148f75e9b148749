import { Stack } from 'aws-cdk-lib';
import { CatalogShard, DataDomain, DataProduct, LakeFormationSettings, MeshGovernance } from '../../constructs';
import { productBucketName } from '../../lib/naming';
import { ACCOUNT, ENV, MESH, REGION, newApp } from './app';

export interface ShardedMeshOptions {
  /** Account of governance (and, unless `shardAccount` says otherwise, of the catalog shard). @default ACCOUNT */
  readonly catalogAccount?: string;
  /** Account of the catalog shard; no Lake Formation settings are created for it unless it is ACCOUNT or catalogAccount. */
  readonly shardAccount?: string;
}

/**
 * The multi-stack layout of ARCHITECTURE section 2 for one producer: `lakeformation` stacks, `governance`,
 * `sales` (storage) and `catalog-sales` (a CatalogShard holding the catalog half of the product `orders`).
 * No stack dependency is declared by hand: the constructs must create them.
 */
export function buildShardedMesh(o: ShardedMeshOptions = {}) {
  const catalogAccount = o.catalogAccount ?? ACCOUNT;
  const shardAccount = o.shardAccount ?? catalogAccount;
  const catalogEnv = { account: catalogAccount, region: REGION };
  const app = newApp();
  new LakeFormationSettings(new Stack(app, 'lakeformation', { env: ENV }), 'Settings');
  if (catalogAccount !== ACCOUNT) new LakeFormationSettings(new Stack(app, 'lakeformation-catalog', { env: catalogEnv }), 'Settings');
  const govStack = new Stack(app, 'governance', { env: catalogEnv });
  const governance = new MeshGovernance(govStack, 'Governance', { meshName: MESH });
  const catalogStack = new Stack(app, 'catalog-sales', { env: { account: shardAccount, region: REGION } });
  const shard = new CatalogShard(catalogStack, 'Shard', { domainName: 'sales' });
  const salesStack = new Stack(app, 'sales', { env: ENV });
  const domain = new DataDomain(salesStack, 'Domain', { meshName: MESH, domainName: 'sales', catalogAccount });
  const product = new DataProduct(salesStack, 'Orders', {
    domain, governance, catalog: shard, productName: 'orders', description: 'Orders', owner: 'sales-data-team',
    tables: [{ name: 'orders', columns: [{ name: 'order_id', type: 'string' }, { name: 'email', type: 'string', classification: 'pii' }] }],
  });
  const bucketName = productBucketName(MESH, 'sales', 'orders', ACCOUNT, REGION);
  return { app, govStack, catalogStack, salesStack, governance, shard, domain, product, bucketName };
}
