/**
 * Integration test: a two-account mesh. The governance account (CDK_INTEG_ACCOUNT) holds the catalog, LF-tags and
 * grants; the domain account (CDK_INTEG_CROSS_ACCOUNT) holds the sales domain, which produces the `customers`
 * product and queries it through a resource link, as the mesh app wires it (lib/mesh/data-mesh.ts), composed here
 * from the constructs so that the test can set the writer role's trust and the removal policies. Assertions, run
 * in the domain account as the domain's own roles: the writer role writes a Parquet object into the product's
 * table, the query role's Athena query returns its rows, and its query of the pii column is refused.
 * See README.md beside this file.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { CatalogShard } from '../../constructs/catalog-shard';
import { ConsumerAccess } from '../../constructs/consumer-access';
import { DataDomain, DomainRole } from '../../constructs/data-domain';
import { DataProduct } from '../../constructs/data-product';
import { LakeFormationSettings } from '../../constructs/lake-formation-settings';
import { MeshGovernance } from '../../constructs/mesh-governance';
import { addMeshAssertions, AsRoleHelper, CUSTOMERS_TABLE, destroyHandlerLogs, emptyOnDelete, integApp, integEnv, writerTrust } from './integ-common';

const app = integApp();
const { account, crossAccount, region } = integEnv();
const govEnv = { account, region };
const domainEnv = { account: crossAccount, region };
const meshName = 'integ-two';
const removalPolicy = RemovalPolicy.DESTROY;

// 1. Lake Formation settings of both accounts.
const govLfStack = new Stack(app, 'integ-two-lakeformation-governance', { env: govEnv, description: 'cdk-data-mesh integ: Lake Formation settings (governance)' });
const govSettings = new LakeFormationSettings(govLfStack, 'Settings', { removalPolicy });
const domainLfStack = new Stack(app, 'integ-two-lakeformation-domain', { env: domainEnv, description: 'cdk-data-mesh integ: Lake Formation settings (domain)' });
const domainSettings = new LakeFormationSettings(domainLfStack, 'Settings', { removalPolicy });

// 2. The domain's storage, roles and workgroup (domain account), with the helper that acts as its roles.
const salesStack = new Stack(app, 'integ-two-sales-storage', { env: domainEnv, description: 'cdk-data-mesh integ: domain sales' });
salesStack.addStackDependency(domainLfStack);
const helper = new AsRoleHelper(salesStack, 'AsRole', `${meshName}-integ-as-role`);
const sales = new DataDomain(salesStack, 'Domain', {
  meshName,
  domainName: 'sales',
  role: DomainRole.BOTH,
  description: 'Integration test domain',
  catalogAccount: account,
  writerAssumedBy: writerTrust(helper),
  lakeFormationSettings: domainSettings,
  removalPolicy,
});
helper.allowAssume(sales);

// 3. Governance (governance account).
const govStack = new Stack(app, 'integ-two-governance', { env: govEnv, description: 'cdk-data-mesh integ: governance' });
govStack.addStackDependency(govLfStack);
// The audit trail is left out: its bucket fills continuously and a second trail costs money; it is not under test.
const governance = new MeshGovernance(govStack, 'Governance', { meshName, lakeFormationSettings: govSettings, auditTrail: false, removalPolicy });
// Kept on delete: see integ.single-account.ts and README.md.
governance.catalogKey?.applyRemovalPolicy(RemovalPolicy.RETAIN);
governance.allowCatalogKeyUse(crossAccount);
governance.ontology.addDomain('sales');

// 4. The product's catalog half, in a catalog stack of the governance account.
const catalogStack = new Stack(app, 'integ-two-catalog-sales', { env: govEnv, description: 'cdk-data-mesh integ: catalog of domain sales' });
catalogStack.addStackDependency(govStack);
catalogStack.addStackDependency(salesStack);
const shard = new CatalogShard(catalogStack, 'Catalog', { domainName: 'sales' });
const customers = new DataProduct(salesStack, 'Product-customers', {
  domain: sales,
  governance,
  productName: 'customers',
  description: 'Customers written by the integration test',
  owner: 'integ',
  classification: 'confidential',
  tables: [CUSTOMERS_TABLE],
  catalog: shard,
  removalPolicy,
});
emptyOnDelete([customers.bucket, sales.resultsBucket, sales.logBucket]);

// 5. The domain account's resource link to its product and the RAM invitation acceptance.
const accessStack = new Stack(app, 'integ-two-access', { env: domainEnv, description: 'cdk-data-mesh integ: resource links of the domain account' });
accessStack.addStackDependency(domainLfStack);
accessStack.addStackDependency(salesStack);
accessStack.addStackDependency(catalogStack);
new ConsumerAccess(accessStack, 'Access', {
  readers: [{ domain: sales, products: [{ domainName: 'sales', productName: 'customers' }] }],
  governanceAccount: account,
  governanceRegion: region,
  lakeFormationSettings: domainSettings,
});

destroyHandlerLogs([govLfStack, domainLfStack, salesStack, govStack, catalogStack, accessStack], [governance.catalogKey]);

// Assertions run in the domain account, where the helper and the roles are.
const assertionStack = new Stack(app, 'integ-two-assertions', { env: domainEnv, description: 'cdk-data-mesh integ: assertions' });
const integ = new IntegTest(app, 'TwoAccountMesh', {
  testCases: [govLfStack, domainLfStack, salesStack, govStack, catalogStack, accessStack],
  assertionStack,
  regions: [region],
  diffAssets: false,
  stackUpdateWorkflow: false,
});
// The resource link in the domain account has the product database's name.
addMeshAssertions(integ, { helper, domain: sales, product: customers, database: customers.databaseName });
app.synth();
