/**
 * Integration test: a single-account mesh (governance and one producing + querying domain in one account),
 * composed from the constructs. Assertions, run as the domain's own roles: the writer role writes a Parquet
 * object into the product's table, the query role's Athena query returns its rows, and the query role's query
 * of the pii column is refused. See README.md beside this file.
 *
 *   snapshot check (offline):  npm run integ:snapshots
 *   deploy for real:           see README.md
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { DataDomain, DomainRole } from '../../constructs/data-domain';
import { DataProduct } from '../../constructs/data-product';
import { LakeFormationSettings } from '../../constructs/lake-formation-settings';
import { MeshGovernance } from '../../constructs/mesh-governance';
import { addMeshAssertions, AsRoleHelper, CUSTOMERS_TABLE, destroyHandlerLogs, emptyOnDelete, integApp, integEnv, writerTrust } from './integ-common';

const app = integApp();
const { account, region } = integEnv();
const env = { account, region };
const meshName = 'integ-one';
const removalPolicy = RemovalPolicy.DESTROY;

const lfStack = new Stack(app, 'integ-one-lakeformation', { env, description: 'cdk-data-mesh integ: Lake Formation settings' });
const settings = new LakeFormationSettings(lfStack, 'Settings', { removalPolicy });

const govStack = new Stack(app, 'integ-one-governance', { env, description: 'cdk-data-mesh integ: governance' });
govStack.addStackDependency(lfStack);
// The audit trail is left out: its bucket fills continuously and a second trail costs money; it is not under test.
const governance = new MeshGovernance(govStack, 'Governance', { meshName, lakeFormationSettings: settings, auditTrail: false, removalPolicy });
// The account's catalog stays encrypted with this key if CloudFormation leaves the encryption setting in place
// on delete: keep the key rather than risk a catalog encrypted with a key pending deletion (see README.md).
governance.catalogKey?.applyRemovalPolicy(RemovalPolicy.RETAIN);

const salesStack = new Stack(app, 'integ-one-sales', { env, description: 'cdk-data-mesh integ: domain sales' });
salesStack.addStackDependency(govStack);
const helper = new AsRoleHelper(salesStack, 'AsRole', `${meshName}-integ-as-role`);
const sales = new DataDomain(salesStack, 'Domain', {
  meshName,
  domainName: 'sales',
  role: DomainRole.BOTH,
  description: 'Integration test domain',
  writerAssumedBy: writerTrust(helper),
  lakeFormationSettings: settings,
  removalPolicy,
});
helper.allowAssume(sales);
const customers = new DataProduct(salesStack, 'Customers', {
  domain: sales,
  governance,
  productName: 'customers',
  description: 'Customers written by the integration test',
  owner: 'integ',
  classification: 'confidential',
  tables: [CUSTOMERS_TABLE],
  removalPolicy,
});
emptyOnDelete([customers.bucket, sales.resultsBucket, sales.logBucket]);

destroyHandlerLogs([lfStack, govStack, salesStack], [governance.catalogKey]);

// Assertions run in the domain's account and region, where the helper is.
const assertionStack = new Stack(app, 'integ-one-assertions', { env, description: 'cdk-data-mesh integ: assertions' });
const integ = new IntegTest(app, 'SingleAccountMesh', {
  assertionStack,
  testCases: [lfStack, govStack, salesStack],
  regions: [region],
  diffAssets: false,
  stackUpdateWorkflow: false,
});
addMeshAssertions(integ, { helper, domain: sales, product: customers, database: customers.databaseName });
app.synth();
