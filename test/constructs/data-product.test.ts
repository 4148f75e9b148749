import { RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataDomain, DataProduct, DataProductProps, DomainRole, ProductStorage } from '../../constructs';
import { DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, LF_MAX_TAGS_PER_RESOURCE } from '../../lib/defaults';
import { RESERVED_PRODUCT_NAMES } from '../../lib/naming';
import { grantChainOf } from '../../lib/private/grant-chain';
import { ALLOW_DESTROY_CONTEXT_KEY } from '../../lib/private/removal';
import {
  GLUE_CATALOG_READ_ACTIONS, GLUE_CATALOG_WRITE_ACTIONS, KMS_DECRYPT_ACTIONS, KMS_ENCRYPT_ACTIONS, S3_READ_ACTIONS, S3_REGISTRATION_ACTIONS, S3_WRITE_ACTIONS,
} from '../../lib/perms';
import { DataFormat, TableSpec } from '../../lib/table-schema';
import { ACCOUNT, DOMAIN, MESH, REGION, SIMPLE_TABLE, buildMinimalMesh, expectProblem, productProps } from '../helpers/app';
import { catalogTargets, databaseId, grantChain, partitionArn, tableId } from '../helpers/lake-formation';
import { describeFindings, nagFindings } from '../helpers/nag';
import { CLICKS, ORDER_LINES, REFUNDS, buildRichMesh } from '../helpers/rich-mesh';
import { buildShardedMesh } from '../helpers/sharded-mesh';
import { CfnTemplate, Json, actionsOf, asArray, dependsOn, isOrderedAfter, logicalIdOf, resourcesOfType } from '../helpers/template';

const WRITER_ARN = partitionArn(`:iam::${ACCOUNT}:role/${MESH}-sales-writer`);
const QUERY_ARN = partitionArn(`:iam::${ACCOUNT}:role/${MESH}-sales-query`);
const REGISTRATION_ARN = partitionArn(`:iam::${ACCOUNT}:role/${MESH}-${DOMAIN}-lf-reg`);
const ORDERS_BUCKET = `${MESH}-sales-orders-${ACCOUNT}-${REGION}`;
const DATA_BUCKET = `${MESH}-sales-data-${ACCOUNT}-${REGION}`;
const BLOCK_ALL = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
/** S3 actions on a bucket itself; every other S3 action of a product is on its objects. */
const BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucket'];
const objectActionsOf = (actions: readonly string[]) => actions.filter((a) => !BUCKET_ACTIONS.includes(a));
const bucketArn = (bucket: Parameters<typeof logicalIdOf>[0]) => ({ 'Fn::GetAtt': [logicalIdOf(bucket), 'Arn'] });
const objectsArn = (bucket: Parameters<typeof logicalIdOf>[0], below: string) => ({ 'Fn::Join': ['', [bucketArn(bucket), below]] });

type RichMesh = ReturnType<typeof buildRichMesh>;

let mesh: RichMesh;
let template: Template;
let json: CfnTemplate;

beforeAll(() => {
  mesh = buildRichMesh();
  template = Template.fromStack(mesh.stack);
  json = template.toJSON() as CfnTemplate;
});

function res(id: string): CfnTemplate['Resources'][string] {
  const r = json.Resources[id];
  expect(r, id).toBeDefined();
  return r;
}

function grantsOf(principal: Json, filter: (resource: Json) => boolean = () => true): Json[] {
  return resourcesOfType(json, 'AWS::LakeFormation::PrincipalPermissions')
    .map(([, r]) => r.Properties)
    .filter((p) => JSON.stringify(p.Principal.DataLakePrincipalIdentifier) === JSON.stringify(principal) && filter(p.Resource));
}

function associationsOn(predicate: (resource: Json) => boolean): Json[] {
  return resourcesOfType(json, 'AWS::LakeFormation::TagAssociation').map(([, r]) => r.Properties).filter((p) => predicate(p.Resource));
}

describe('DataProduct storage', () => {
  it('stores data in a bucket with every security default', () => {
    const bucket = res(logicalIdOf(mesh.orders.bucket));
    expect(bucket.Properties.BucketName).toBe(ORDERS_BUCKET);
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(mesh.domain.key), 'Arn'] } },
      }],
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logicalIdOf(mesh.domain.logBucket) }, LogFilePrefix: 'products/orders/' });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual(BLOCK_ALL);
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({
      Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS },
    }));
    expect(mesh.orders.prefix).toBe('');
  });

  it('denies requests without TLS and trusts the registration role by name through aws:PrincipalArn, objects and bucket apart', () => {
    const policy = resourcesOfType(json, 'AWS::S3::BucketPolicy').find(([, r]) => r.Properties.Bucket.Ref === logicalIdOf(mesh.orders.bucket))!;
    const statements: Json[] = policy[1].Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const trust = statements.filter((s) => s.Effect === 'Allow');
    expect(trust.map((s) => s.Sid)).toEqual(['LakeFormationRegistrationObjects', 'LakeFormationRegistrationBucket']);
    for (const s of trust) {
      expect(s.Principal, s.Sid).toEqual({ AWS: partitionArn(`:iam::${ACCOUNT}:root`) });
      // a dedicated bucket: no prefix condition
      expect(s.Condition, s.Sid).toEqual({ ArnEquals: { 'aws:PrincipalArn': REGISTRATION_ARN } });
    }
    const [objects, bucket] = trust;
    expect(new Set(actionsOf(objects))).toEqual(new Set(objectActionsOf(S3_REGISTRATION_ACTIONS)));
    expect(objects.Resource).toEqual(objectsArn(mesh.orders.bucket, '/*'));
    expect(new Set(actionsOf(bucket))).toEqual(new Set(BUCKET_ACTIONS));
    expect(bucket.Resource).toEqual(bucketArn(mesh.orders.bucket));
    expect(new Set([...actionsOf(objects), ...actionsOf(bucket)])).toEqual(new Set(S3_REGISTRATION_ACTIONS));
  });

  it('lets the domain writer role read and write the product objects, and list the bucket, through its product policy', () => {
    // given
    const productsPolicy = res(logicalIdOf(mesh.domain.node.findChild('WriterProductsPolicy')));
    expect(productsPolicy.Properties.Roles).toEqual([{ Ref: logicalIdOf(mesh.domain.writerRole!) }]);
    const statements: Json[] = productsPolicy.Properties.PolicyDocument.Statement;
    // then: object actions on the objects, bucket actions on the bucket, without condition on a dedicated bucket
    const objects = statements.find((s) => s.Sid === 'WriteordersObjects');
    expect(new Set(actionsOf(objects))).toEqual(new Set(objectActionsOf([...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS])));
    expect(objects.Resource).toEqual(objectsArn(mesh.orders.bucket, '/*'));
    expect(objects.Condition).toBeUndefined();
    const bucket = statements.find((s) => s.Sid === 'WriteordersBucket');
    expect(new Set(actionsOf(bucket))).toEqual(new Set(BUCKET_ACTIONS));
    expect(bucket.Resource).toEqual(bucketArn(mesh.orders.bucket));
    expect(bucket.Condition).toBeUndefined();
    // and the base writer policy holds no product storage
    const base = JSON.stringify(res(logicalIdOf(mesh.domain.node.findChild('WriterPolicy'))));
    for (const product of [mesh.orders, mesh.customers, mesh.secrets, mesh.notes]) expect(base).not.toContain(logicalIdOf(product.bucket));
  });

  it('lets the domain writer role maintain exactly the databases of its products and their tables', () => {
    const statements: Json[] = res(logicalIdOf(mesh.domain.node.findChild('WriterProductsPolicy'))).Properties.PolicyDocument.Statement;
    const glue = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('glue:')));
    for (const s of glue) expect(new Set(actionsOf(s))).toEqual(new Set([...GLUE_CATALOG_READ_ACTIONS, ...GLUE_CATALOG_WRITE_ACTIONS]));
    const databases = ['sales_customers', 'sales_notes', 'sales_orders', 'sales_secrets'];
    expect(new Set(glue.flatMap((s) => asArray<Json>(s.Resource)).map((r) => JSON.stringify(r)))).toEqual(new Set(databases.flatMap((db) => [
      partitionArn(`:glue:${REGION}:${ACCOUNT}:database/${db}`), partitionArn(`:glue:${REGION}:${ACCOUNT}:table/${db}/*`),
    ]).map((r) => JSON.stringify(r))));
  });

  it('stores a DOMAIN_PREFIX product under <product>/ of the domain data bucket', () => {
    // then: the bucket is the domain's, the location a prefix of it
    expect(mesh.notes.bucket).toBe(mesh.domain.dataBucket());
    expect(mesh.notes.prefix).toBe('notes');
    const bucket = res(logicalIdOf(mesh.notes.bucket));
    expect(bucket.Properties.BucketName).toBe(DATA_BUCKET);
    expect(resourcesOfType(json, 'AWS::S3::Bucket').filter(([, b]) => b.Properties.BucketName === `${MESH}-sales-notes-${ACCOUNT}-${REGION}`)).toEqual([]);
    template.hasResourceProperties('AWS::LakeFormation::Resource', { ResourceArn: partitionArn(`:s3:::${DATA_BUCKET}/notes`) });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'sales_notes', LocationUri: `s3://${DATA_BUCKET}/notes/` }) });
  });

  it('trusts the registration role on the shared bucket only for the product\'s objects, and lists only its prefix', () => {
    const policy = resourcesOfType(json, 'AWS::S3::BucketPolicy').find(([, r]) => r.Properties.Bucket.Ref === logicalIdOf(mesh.notes.bucket))!;
    const trust = (policy[1].Properties.PolicyDocument.Statement as Json[]).filter((s) => s.Effect === 'Allow');
    expect(trust.map((s) => s.Sid)).toEqual(['LakeFormationRegistrationnotesObjects', 'LakeFormationRegistrationnotesBucket', 'LakeFormationRegistrationnotesLocation']);
    const [objects, bucket, location] = trust;
    expect(new Set(actionsOf(objects))).toEqual(new Set(objectActionsOf(S3_REGISTRATION_ACTIONS)));
    expect(objects.Resource).toEqual(objectsArn(mesh.notes.bucket, '/notes/*'));
    expect(objects.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': REGISTRATION_ARN } });
    // Listing is limited to the product's folder ("notes/", so a sibling "notes_archive" stays hidden)...
    expect(actionsOf(bucket)).toEqual(['s3:ListBucket']);
    expect(bucket.Resource).toEqual(bucketArn(mesh.notes.bucket));
    expect(bucket.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': REGISTRATION_ARN }, StringLike: { 's3:prefix': ['notes/', 'notes/*'] } });
    // ...while GetBucketLocation carries no prefix, so it is not conditioned on one.
    expect(actionsOf(location)).toEqual(['s3:GetBucketLocation']);
    expect(location.Resource).toEqual(bucketArn(mesh.notes.bucket));
    expect(location.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': REGISTRATION_ARN } });
  });

  it('lets the writer role write a DOMAIN_PREFIX product\'s objects and list only its prefix', () => {
    const statements: Json[] = res(logicalIdOf(mesh.domain.node.findChild('WriterProductsPolicy'))).Properties.PolicyDocument.Statement;
    const objects = statements.find((s) => s.Sid === 'WritenotesObjects');
    expect(new Set(actionsOf(objects))).toEqual(new Set(objectActionsOf([...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS])));
    expect(objects.Resource).toEqual(objectsArn(mesh.notes.bucket, '/notes/*'));
    const bucket = statements.find((s) => s.Sid === 'WritenotesBucket');
    expect(actionsOf(bucket)).toEqual(['s3:ListBucket']);
    expect(bucket.Resource).toEqual(bucketArn(mesh.notes.bucket));
    expect(bucket.Condition).toEqual({ StringLike: { 's3:prefix': ['notes/', 'notes/*'] } });
    const location = statements.find((s) => s.Sid === 'WritenotesLocation');
    expect(actionsOf(location)).toEqual(['s3:GetBucketLocation']);
    expect(location.Condition).toBeUndefined();
  });
});

describe('DataProduct grantRead / grantWrite', () => {
  function grantStatements(role: Parameters<typeof logicalIdOf>[0]): Json[] {
    const policy = resourcesOfType(json, 'AWS::IAM::Policy').find(([, p]) => p.Properties.Roles[0].Ref === logicalIdOf(role))!;
    return policy[1].Properties.PolicyDocument.Statement;
  }

  it('grantRead allows reading the objects, locating and listing the bucket, and decrypting with the domain key', () => {
    const statements = grantStatements(mesh.reader);
    expect(statements).toHaveLength(3);
    const objects = statements.find((s) => actionsOf(s).includes('s3:GetObject'));
    expect(new Set(actionsOf(objects))).toEqual(new Set(objectActionsOf(S3_READ_ACTIONS)));
    expect(objects.Resource).toEqual(objectsArn(mesh.orders.bucket, '/*'));
    const bucket = statements.find((s) => actionsOf(s).includes('s3:ListBucket'));
    expect(new Set(actionsOf(bucket))).toEqual(new Set(BUCKET_ACTIONS));
    expect(bucket.Resource).toEqual(bucketArn(mesh.orders.bucket));
    expect(bucket.Condition).toBeUndefined();
    const kms = statements.find((s) => actionsOf(s).includes('kms:Decrypt'));
    expect(new Set(actionsOf(kms))).toEqual(new Set(KMS_DECRYPT_ACTIONS));
    expect(kms.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(mesh.domain.key), 'Arn'] });
    expect(statements.flatMap(actionsOf).some((a) => S3_WRITE_ACTIONS.includes(a) || KMS_ENCRYPT_ACTIONS.includes(a))).toBe(false);
    expect(mesh.readGrant.success).toBe(true);
  });

  it('grantWrite allows writing objects under the product prefix only, listing only that prefix, and encrypting with the domain key', () => {
    const statements = grantStatements(mesh.loader);
    expect(statements).toHaveLength(4);
    const objects = statements.find((s) => actionsOf(s).includes('s3:PutObject'));
    expect(new Set(actionsOf(objects))).toEqual(new Set(objectActionsOf([...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS])));
    expect(objects.Resource).toEqual(objectsArn(mesh.domain.dataBucket(), '/notes/*'));
    const bucket = statements.find((s) => actionsOf(s).includes('s3:ListBucket'));
    expect(actionsOf(bucket)).toEqual(['s3:ListBucket']);
    expect(bucket.Resource).toEqual(bucketArn(mesh.domain.dataBucket()));
    expect(bucket.Condition).toEqual({ StringLike: { 's3:prefix': ['notes/', 'notes/*'] } });
    const location = statements.find((s) => actionsOf(s).includes('s3:GetBucketLocation'));
    expect(actionsOf(location)).toEqual(['s3:GetBucketLocation']);
    expect(location.Condition).toBeUndefined();
    const kms = statements.find((s) => actionsOf(s).includes('kms:Encrypt'));
    expect(new Set(actionsOf(kms))).toEqual(new Set([...KMS_DECRYPT_ACTIONS, ...KMS_ENCRYPT_ACTIONS]));
    expect(mesh.writeGrant.success).toBe(true);
  });

  it('return the S3 grant combined with the key grant', () => {
    const actions = (grant: typeof mesh.readGrant) => new Set(grant.principalStatements.flatMap((s) => s.actions));
    expect(actions(mesh.readGrant)).toEqual(new Set([...S3_READ_ACTIONS, ...KMS_DECRYPT_ACTIONS]));
    expect(actions(mesh.writeGrant)).toEqual(new Set([...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS, ...KMS_DECRYPT_ACTIONS, ...KMS_ENCRYPT_ACTIONS]));
    for (const grant of [mesh.readGrant, mesh.writeGrant]) {
      expect(grant.principalStatements.some((s) => s.resources.some((r) => mesh.stack.resolve(r)?.['Fn::GetAtt']?.[0] === logicalIdOf(mesh.domain.key)))).toBe(true);
    }
  });
});

describe('ProductCatalog: registration and database', () => {
  it('registers the location with the registration role, not the service-linked role, and without hybrid access', () => {
    const registration = res(logicalIdOf(mesh.orders.catalog.registration)).Properties;
    expect(registration).toEqual({
      ResourceArn: partitionArn(`:s3:::${ORDERS_BUCKET}`),
      UseServiceLinkedRole: false,
      RoleArn: REGISTRATION_ARN,
      HybridAccessEnabled: false,
    });
  });

  it('creates the database <domain>_<product> with no default table permissions, its location and owner metadata', () => {
    const db = res(databaseId(json, 'sales_orders'));
    expect(mesh.orders.databaseName).toBe('sales_orders');
    expect(db.Properties.CatalogId).toBe(ACCOUNT);
    expect(db.Properties.DatabaseInput).toEqual({
      Name: 'sales_orders',
      Description: 'Every confirmed order',
      LocationUri: `s3://${ORDERS_BUCKET}/`,
      CreateTableDefaultPermissions: [],
      Parameters: {
        sla: 'daily',
        data_product: 'true',
        mesh: MESH,
        domain: 'sales',
        product: 'orders',
        owner: 'sales-data-team',
        contact: 'sales-data@example.com',
        classification_level: 'internal',
        producer_account: ACCOUNT,
      },
    });
    expect(db.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(dependsOn(db)).toContain(logicalIdOf(mesh.orders.catalog.registration));
  });

  it('leaves contact out when none is given', () => {
    expect(res(databaseId(json, 'sales_customers')).Properties.DatabaseInput.Parameters.contact).toBeUndefined();
  });

  it('creates the registration and the database after the Lake Formation settings', () => {
    for (const c of [mesh.orders.catalog.registration, mesh.orders.catalog.database]) {
      expect(isOrderedAfter(mesh.stack, dependsOn(res(logicalIdOf(c))), mesh.settings.resource)).toBe(true);
    }
  });
});

describe('ProductCatalog: tables', () => {
  it('uses Parquet formats and SerDe by default, with classification = the file format', () => {
    const input = res(tableId(json, 'sales_orders', 'order_lines')).Properties.TableInput;
    expect(input.TableType).toBe('EXTERNAL_TABLE');
    expect(input.Description).toBe(ORDER_LINES.description);
    expect(input.Parameters).toMatchObject({ EXTERNAL: 'TRUE', classification: 'parquet', 'parquet.compression': 'SNAPPY' });
    expect(input.StorageDescriptor).toMatchObject({
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
      Location: `s3://${ORDERS_BUCKET}/order_lines/`,
    });
  });

  it('moves partition columns out of Columns into PartitionKeys, in partition order', () => {
    const input = res(tableId(json, 'sales_orders', 'order_lines')).Properties.TableInput;
    expect(input.PartitionKeys).toEqual([{ Name: 'order_date', Type: 'date' }, { Name: 'channel', Type: 'string' }]);
    expect(input.StorageDescriptor.Columns).toEqual([
      { Name: 'order_id', Type: 'string', Comment: 'Order identifier' },
      { Name: 'amount', Type: 'decimal(12,2)' },
    ]);
  });

  it('writes the projection parameters with a location template naming every partition key', () => {
    const params = res(tableId(json, 'sales_orders', 'order_lines')).Properties.TableInput.Parameters;
    expect(params).toMatchObject({
      'projection.enabled': 'true',
      'projection.order_date.type': 'date',
      'projection.order_date.range': 'NOW-3YEARS,NOW',
      'projection.order_date.format': 'yyyy-MM-dd',
      'projection.channel.type': 'enum',
      'projection.channel.values': 'web,store',
      'storage.location.template': `s3://${ORDERS_BUCKET}/order_lines/order_date=\${order_date}/channel=\${channel}/`,
    });
  });

  it('keeps an empty PartitionKeys list on unpartitioned tables (Athena requires it)', () => {
    expect(res(tableId(json, 'sales_orders', 'refunds')).Properties.TableInput.PartitionKeys).toEqual([]);
    for (const [id, t] of resourcesOfType(json, 'AWS::Glue::Table')) expect(Array.isArray(t.Properties.TableInput.PartitionKeys), id).toBe(true);
  });

  it('uses OpenCSVSerde for CSV and skips the header line', () => {
    const input = res(tableId(json, 'sales_orders', 'refunds')).Properties.TableInput;
    expect(input.Parameters).toEqual({ EXTERNAL: 'TRUE', classification: 'csv', 'skip.header.line.count': '1' });
    expect(input.StorageDescriptor.SerdeInfo).toEqual({
      SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', Parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\\' },
    });
    expect(input.StorageDescriptor.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
  });

  it('uses the OpenX JSON SerDe for JSON, without projection when none is configured', () => {
    const input = res(tableId(json, 'sales_orders', 'clicks')).Properties.TableInput;
    expect(input.Parameters).toEqual({ EXTERNAL: 'TRUE', classification: 'json' });
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(input.PartitionKeys).toEqual([{ Name: 'day', Type: 'date' }]);
    expect(input.StorageDescriptor.Columns.map((c: Json) => c.Name)).toEqual(['url', 'attrs']);
  });

  it('never uses the classification parameter for data sensitivity', () => {
    for (const [id, t] of resourcesOfType(json, 'AWS::Glue::Table')) {
      expect(Object.values(DataFormat), id).toContain(t.Properties.TableInput.Parameters.classification);
    }
  });

  it('retains tables and creates them after their database', () => {
    for (const name of [ORDER_LINES.name, REFUNDS.name, CLICKS.name]) {
      const table = res(tableId(json, 'sales_orders', name));
      expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(dependsOn(table)).toContain(databaseId(json, 'sales_orders'));
      expect(table.Properties.CatalogId).toBe(ACCOUNT);
    }
    expect([...mesh.orders.catalog.tables.keys()]).toEqual(['order_lines', 'refunds', 'clicks']);
  });
});

describe('ProductCatalog: LF-tags', () => {
  it('tags the database with domain, classification and the product tags', () => {
    const [db] = associationsOn((r) => r.Database?.Name === 'sales_orders');
    expect(db.Resource).toEqual({ Database: { CatalogId: ACCOUNT, Name: 'sales_orders' } });
    expect(db.LFTags).toEqual([
      { CatalogId: ACCOUNT, TagKey: 'classification', TagValues: ['internal'] },
      { CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['sales'] },
      { CatalogId: ACCOUNT, TagKey: 'team', TagValues: ['core'] },
    ]);
  });

  it('tags a table with its own classification when it has one, and no other table', () => {
    const tables = associationsOn((r) => r.Table !== undefined);
    expect(tables).toHaveLength(1);
    expect(tables[0]).toEqual({
      Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', Name: 'refunds' } },
      LFTags: [{ CatalogId: ACCOUNT, TagKey: 'classification', TagValues: ['confidential'] }],
    });
  });

  it('tags classified columns with one association per classification value', () => {
    const columns = associationsOn((r) => r.TableWithColumns?.Name === 'refunds');
    expect(columns.map((a) => [a.LFTags[0].TagValues[0], a.Resource.TableWithColumns.ColumnNames])).toEqual([
      ['internal', ['reason']],
      ['pii', ['iban', 'card_last4']],
    ]);
    const customers = associationsOn((r) => r.TableWithColumns?.Name === 'customers');
    expect(customers).toHaveLength(1);
    expect(customers[0].Resource.TableWithColumns.ColumnNames).toEqual(['email', 'phone']);
  });

  it('gives every association exactly one resource, one value per key and every CatalogId', () => {
    const all = resourcesOfType(json, 'AWS::LakeFormation::TagAssociation');
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const [id, a] of all) {
      const kinds = ['Database', 'Table', 'TableWithColumns'].filter((k) => a.Properties.Resource[k] !== undefined);
      expect(kinds, id).toHaveLength(1);
      expect(Object.keys(a.Properties.Resource), id).toHaveLength(1);
      expect(a.Properties.Resource[kinds[0]].CatalogId, id).toMatch(/^\d{12}$/);
      const keys = a.Properties.LFTags.map((t: Json) => t.TagKey);
      expect(new Set(keys).size, id).toBe(keys.length);
      for (const t of a.Properties.LFTags) {
        expect(t.TagValues, `${id} ${t.TagKey}`).toHaveLength(1);
        expect(t.CatalogId, id).toMatch(/^\d{12}$/);
      }
    }
  });

  it('creates every association after its LF-tags, its database or table, and the settings', () => {
    const ontology = mesh.governance.ontology;
    for (const [id, a] of resourcesOfType(json, 'AWS::LakeFormation::TagAssociation')) {
      const deps = dependsOn(a);
      for (const target of catalogTargets(json, a.Properties.Resource)) expect(deps, id).toContain(target);
      for (const t of a.Properties.LFTags) expect(deps, `${id} after tag ${t.TagKey}`).toContain(logicalIdOf(ontology.tagResource(t.TagKey)));
      expect(isOrderedAfter(mesh.stack, deps, mesh.settings.resource), id).toBe(true);
    }
  });

  it('records its associations on the catalog construct', () => {
    expect(mesh.orders.catalog.tagAssociations.map((a) => logicalIdOf(a)).sort())
      .toEqual(resourcesOfType(json, 'AWS::LakeFormation::TagAssociation').map(([id]) => id).filter((id) => id.startsWith('OrdersCatalog')).sort());
  });
});

describe('ProductCatalog: Lake Formation grants', () => {
  it('never uses the legacy AWS::LakeFormation::Permissions', () => {
    template.resourceCountIs('AWS::LakeFormation::Permissions', 0);
  });

  it('grants without grant option, after the database or table it names, and after the settings', () => {
    const grants = resourcesOfType(json, 'AWS::LakeFormation::PrincipalPermissions');
    expect(grants.length).toBeGreaterThan(10);
    for (const [id, g] of grants) {
      expect(g.Properties.PermissionsWithGrantOption, id).toEqual([]);
      for (const target of catalogTargets(json, g.Properties.Resource)) expect(dependsOn(g), id).toContain(target);
      expect(isOrderedAfter(mesh.stack, dependsOn(g), mesh.settings.resource), id).toBe(true);
      expect(JSON.stringify(g.Properties), id).not.toContain('IAM_ALLOWED_PRINCIPALS');
    }
  });

  it('chains every grant of the stack: each depends on exactly the one before it, in registration order', () => {
    // when
    const chain = grantChain(json);
    // then
    expect(chain).toEqual(grantChainOf(mesh.stack).map((g) => logicalIdOf(g)));
    // The domain (created first) grants its query role DESCRIBE on `default`; the products' grants follow.
    expect(chain[0]).toBe(logicalIdOf(mesh.domain.defaultDatabaseGrant));
    expect(chain[1]).toBe(logicalIdOf(mesh.orders.catalog.grants[0]));
  });

  it('grants the writer role data location access on the product location', () => {
    expect(grantsOf(WRITER_ARN, (r) => JSON.stringify(r.DataLocation ?? {}).includes(ORDERS_BUCKET))).toEqual([{
      Principal: { DataLakePrincipalIdentifier: WRITER_ARN },
      Resource: { DataLocation: { CatalogId: ACCOUNT, ResourceArn: partitionArn(`:s3:::${ORDERS_BUCKET}`) } },
      Permissions: ['DATA_LOCATION_ACCESS'],
      PermissionsWithGrantOption: [],
    }]);
  });

  it('grants the writer role CREATE_TABLE, ALTER and DESCRIBE on the database', () => {
    const [db] = grantsOf(WRITER_ARN, (r) => r.Database?.Name === 'sales_orders');
    expect(db.Permissions).toEqual(['CREATE_TABLE', 'ALTER', 'DESCRIBE']);
    expect(db.Resource).toEqual({ Database: { CatalogId: ACCOUNT, Name: 'sales_orders' } });
  });

  it('grants the writer role SELECT, INSERT, DELETE, DESCRIBE and ALTER on every table of the database', () => {
    const [tables] = grantsOf(WRITER_ARN, (r) => r.Table?.DatabaseName === 'sales_orders');
    expect(tables.Resource).toEqual({ Table: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', TableWildcard: {} } });
    expect(tables.Permissions).toEqual(['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER']);
  });

  it('creates the writer\'s table wildcard grant after every table of the product', () => {
    const grant = mesh.orders.catalog.grants.find((g) => g.node.id === 'WriterTablesGrant')!;
    const deps = dependsOn(res(logicalIdOf(grant)));
    for (const name of ['order_lines', 'refunds', 'clicks']) expect(deps).toContain(tableId(json, 'sales_orders', name));
  });

  it('grants the query role DESCRIBE on the database and SELECT on tables within its classification', () => {
    const [db] = grantsOf(QUERY_ARN, (r) => r.Database?.Name === 'sales_orders');
    expect(db.Permissions).toEqual(['DESCRIBE']);
    const [orderLines] = grantsOf(QUERY_ARN, (r) => r.Table?.Name === 'order_lines');
    expect(orderLines.Permissions).toEqual(['SELECT', 'DESCRIBE']);
    expect(orderLines.Resource).toEqual({ Table: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', Name: 'order_lines' } });
  });

  it('grants the columns within the query role\'s maximum by name (ColumnNames), never all columns but the excluded ones', () => {
    // then: the table itself is only described, its allowed columns selected by name, so a column added later is not readable
    const [table] = grantsOf(QUERY_ARN, (r) => r.Table?.Name === 'refunds');
    expect(table.Permissions).toEqual(['DESCRIBE']);
    const [columns] = grantsOf(QUERY_ARN, (r) => r.TableWithColumns?.Name === 'refunds');
    expect(columns.Permissions).toEqual(['SELECT']);
    expect(columns.Resource).toEqual({
      TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', Name: 'refunds', ColumnNames: ['refund_id', 'reason'] },
    });
    const [customers] = grantsOf(QUERY_ARN, (r) => r.TableWithColumns?.Name === 'customers');
    expect(customers.Resource.TableWithColumns).toEqual({ CatalogId: ACCOUNT, DatabaseName: 'sales_customers', Name: 'customers', ColumnNames: ['customer_id', 'country'] });
    for (const [id, g] of resourcesOfType(json, 'AWS::LakeFormation::PrincipalPermissions')) {
      expect(g.Properties.Resource.TableWithColumns?.ColumnWildcard, id).toBeUndefined();
    }
  });

  it('grants the query role no table of a product classified above its maximum', () => {
    expect(grantsOf(QUERY_ARN, (r) => (r.Table ?? r.TableWithColumns)?.DatabaseName === 'sales_secrets')).toEqual([]);
    expect(grantsOf(QUERY_ARN, (r) => r.Database?.Name === 'sales_secrets')).toHaveLength(1);
  });

  it('never grants the query role write permissions', () => {
    for (const g of grantsOf(QUERY_ARN)) {
      for (const p of g.Permissions) expect(['SELECT', 'DESCRIBE']).toContain(p);
    }
  });
});

describe('DataProduct compliance', () => {
  it('passes the compliance packs (the test\'s own grantee roles aside)', () => {
    // The roles Reader and Loader belong to the test, and wildcard object grants on them are the user's to acknowledge.
    const ours = (path: string) => !path.startsWith('Mesh/Reader/') && !path.startsWith('Mesh/Loader/');
    const findings = nagFindings(mesh.stack)
      .map((f) => ({ ...f, constructPaths: f.constructPaths.filter(ours) }))
      .filter((f) => f.constructPaths.length > 0);
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('has no literal arn:aws: in the template', () => {
    expect(JSON.stringify(json)).not.toContain('arn:aws:');
  });
});

describe('DataProduct props', () => {
  it('grants the query role every column when its maximum is the highest classification', () => {
    // given
    const table: TableSpec = { name: 'people', columns: [{ name: 'id', type: 'string' }, { name: 'email', type: 'string', classification: 'pii' }] };
    // when
    const { stack } = buildMinimalMesh({ product: { tables: [table], queryRoleMaxClassification: 'pii' } });
    // then
    const t = Template.fromStack(stack).toJSON() as CfnTemplate;
    const grants = resourcesOfType(t, 'AWS::LakeFormation::PrincipalPermissions').map(([, g]) => g.Properties);
    expect(grants.filter((g) => g.Resource.TableWithColumns)).toEqual([]);
    expect(grants.find((g) => g.Resource.Table?.Name === 'people')?.Permissions).toEqual(['SELECT', 'DESCRIBE']);
  });

  it('grants the query role no table when its maximum is below the product classification', () => {
    const { stack } = buildMinimalMesh({ product: { queryRoleMaxClassification: 'public' } });
    const t = Template.fromStack(stack).toJSON() as CfnTemplate;
    const tableGrants = resourcesOfType(t, 'AWS::LakeFormation::PrincipalPermissions')
      .filter(([, g]) => JSON.stringify(g.Properties.Principal).includes('-query') && !g.Properties.Resource.Database);
    expect(tableGrants).toEqual([]);
  });

  it('uses the given classification for the database LF-tag and metadata', () => {
    const { stack } = buildMinimalMesh({ product: { classification: 'public' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Database: Match.objectLike({ Name: 'sales_items' }) },
      LFTags: Match.arrayWith([Match.objectLike({ TagKey: 'classification', TagValues: ['public'] })]),
    });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Parameters: Match.objectLike({ classification_level: 'public' }) }) });
  });

  it('deletes bucket, database and tables with DESTROY and the context flag, and warns', () => {
    // when
    const { stack, product } = buildMinimalMesh({ product: { removalPolicy: RemovalPolicy.DESTROY }, context: { [ALLOW_DESTROY_CONTEXT_KEY]: true } });
    // then
    const t = Template.fromStack(stack).toJSON() as CfnTemplate;
    expect(t.Resources[logicalIdOf(product!.bucket)].DeletionPolicy).toBe('Delete');
    expect(t.Resources[databaseId(t, 'sales_items')].DeletionPolicy).toBe('Delete');
    expect(t.Resources[tableId(t, 'sales_items', 'items')].DeletionPolicy).toBe('Delete');
    expect(t.Resources[logicalIdOf(product!.domain.key)].DeletionPolicy).toBe('RetainExceptOnCreate');
    Annotations.fromStack(stack).hasWarning('/Mesh/Product', Match.stringLikeRegexp('\\[ack: cdk-data-mesh:destroy-enabled\\]'));
  });
});

describe('DataProduct validation', () => {
  /** A mesh without product, and a function creating one with `overrides`. */
  function attempt(overrides: Partial<DataProductProps>, options: Parameters<typeof buildMinimalMesh>[0] = {}) {
    const m = buildMinimalMesh({ ...options, product: false });
    return () => new DataProduct(m.stack, 'Product', productProps(m.domain, m.governance, overrides));
  }

  it('fails if the product name is invalid, with a suggestion', () => {
    expectProblem(attempt({ productName: 'Orders' }), {
      field: 'productName', rule: 'must be a product name matching ^[a-z][a-z0-9_]*$', got: '"Orders"', fix: 'Use for example "orders".',
    });
  });

  it.each(RESERVED_PRODUCT_NAMES.map((n) => [n]))('fails if the product is named %j, whose bucket would be one of the domain\'s own', (name) => {
    expectProblem(attempt({ productName: name }), {
      field: 'productName', rule: `must not be one of ${RESERVED_PRODUCT_NAMES.join(', ')}: its bucket name would be one of the domain's own buckets`,
      got: `"${name}"`, fix: `Rename the product, e.g. "${name}_product".`,
    });
  });

  it('reserves those names also for a product stored as a domain prefix', () => {
    expectProblem(attempt({ productName: 'data', storage: ProductStorage.DOMAIN_PREFIX }), { field: 'productName', got: '"data"' });
  });

  it('fails if the product name is already used in the domain, naming the other product', () => {
    // given
    const m = buildMinimalMesh();
    // when / then
    expectProblem(() => new DataProduct(m.stack, 'Again', productProps(m.domain, m.governance)), {
      field: 'productName', rule: 'must be unique in domain "sales" (also used at Mesh/Product)', got: '"items"', fix: 'Rename one of the products.',
    });
  });

  it('fails if another domain\'s product already makes the same database name (a_b.c and a.b_c)', () => {
    // given: domain a_b with product c
    const m = buildMinimalMesh({ product: false, domain: { domainName: 'a_b' } });
    new DataProduct(m.stack, 'First', productProps(m.domain, m.governance, { productName: 'c' }));
    const other = new DataDomain(m.stack, 'Other', { meshName: MESH, domainName: 'a' });
    // when / then: domain a with product b_c
    expectProblem(() => new DataProduct(m.stack, 'Second', productProps(other, m.governance, { productName: 'b_c' })), {
      field: 'productName', rule: 'must give the product a Glue database of its own, but "a_b_c" is also the database of Mesh/First', got: '"a.b_c"',
      fix: 'Rename the product or the domain: database names are <domain>_<product>.',
    });
  });

  it('fails if the domain only consumes', () => {
    expectProblem(attempt({}, { domain: { role: DomainRole.CONSUMER } }), {
      field: 'domain', rule: 'must be a producing domain (role producer or both)', got: '"sales (consumer)"',
      fix: 'Change the domain\'s role to producer or both.',
    });
  });

  it('fails if the description is empty', () => {
    expectProblem(attempt({ description: '  ' }), {
      field: 'description', rule: 'must describe the product', got: '"  "', fix: 'Add a one-line description.',
    });
  });

  it('fails if the owner is empty', () => {
    expectProblem(attempt({ owner: '' }), { field: 'owner', rule: 'must name the accountable owner', got: '""', fix: 'Set owner to a team or person.' });
  });

  it('fails if the classification is not in the ontology', () => {
    expectProblem(attempt({ classification: 'secret' }), {
      field: 'classification', rule: 'must be a classification of the ontology (public, internal, confidential, pii)', got: '"secret"',
      fix: 'add the value to the classification LF-tag of the ontology',
    });
  });

  it('fails if the query role maximum is not in the ontology', () => {
    expectProblem(attempt({ queryRoleMaxClassification: 'restricted' }), { field: 'queryRoleMaxClassification', got: '"restricted"' });
  });

  it('fails if a tag key is not in the ontology', () => {
    expectProblem(attempt({ tags: { costcenter: 'cc1' } }), {
      field: 'tags.costcenter', rule: 'must use an LF-tag key of the ontology (classification, domain)', got: '"costcenter"',
      fix: 'Add the key to the ontology\'s tags, or fix the key.',
    });
  });

  it('fails if a tag value is not allowed for its key', () => {
    expectProblem(attempt({ tags: { team: 'nobody' } }, { governance: { tags: { team: ['core'] } } }), {
      field: 'tags.team', rule: 'must be a value of LF-tag "team" (core)', got: '"nobody"', fix: 'Use an allowed value, or add it to the "team" LF-tag',
    });
  });

  it.each([['domain', 'Remove it: the domain tag is the owning domain.'], ['classification', 'Use the classification property.']])(
    'fails if tags set the built-in key %s', (key, fix) => {
      expectProblem(attempt({ tags: { [key]: 'pii' } }), { field: `tags.${key}`, rule: 'is set by the toolkit', got: '"pii"', fix });
    });

  it(`fails if the product would carry more than ${LF_MAX_TAGS_PER_RESOURCE} LF-tags`, () => {
    // given: an ontology with 49 more keys; with domain and classification, 48 product tags make 50
    const keys = Array.from({ length: LF_MAX_TAGS_PER_RESOURCE - 1 }, (_, i) => `k${i}`);
    const options = { governance: { tags: Object.fromEntries(keys.map((k) => [k, ['v']])) } };
    const tags = (n: number) => Object.fromEntries(keys.slice(0, n).map((k) => [k, 'v']));
    expect(() => attempt({ tags: tags(LF_MAX_TAGS_PER_RESOURCE - 2) }, options)()).not.toThrow();
    // when / then
    expectProblem(attempt({ tags: tags(LF_MAX_TAGS_PER_RESOURCE - 1) }, options), {
      field: 'tags', rule: 'must leave room for domain and classification within Lake Formation\'s 50 LF-tags per resource', got: '"49 tags"', fix: 'Remove tags.',
    });
  });

  it('fails if there is no table', () => {
    expectProblem(attempt({ tables: [] }), { field: 'tables', rule: 'must declare at least one table', got: '[]', fix: 'Declare the tables of the product.' });
  });

  it('fails if a table name is invalid', () => {
    expectProblem(attempt({ tables: [{ ...SIMPLE_TABLE, name: 'Order-Lines' }] }), {
      field: 'tables[0].name', rule: 'must be a table name', got: '"Order-Lines"', fix: 'Use for example "order_lines".',
    });
  });

  it('fails if a column name is invalid', () => {
    expectProblem(attempt({ tables: [{ name: 't', columns: [{ name: 'id', type: 'int' }, { name: 'Total', type: 'double' }] }] }), {
      field: 'tables[0].columns[1].name', rule: 'must be a column name', got: '"Total"', fix: 'Use for example "total".',
    });
  });

  it('fails if two tables share a name', () => {
    expectProblem(attempt({ tables: [SIMPLE_TABLE, SIMPLE_TABLE] }), {
      field: 'tables[1].name', rule: 'must be unique in the product (also tables[0])', got: '"items"', fix: 'Rename one of the tables.',
    });
  });

  it('fails if two columns share a name', () => {
    expectProblem(attempt({ tables: [{ name: 't', columns: [{ name: 'id', type: 'int' }, { name: 'id', type: 'string' }] }] }), {
      field: 'tables[0].columns[1].name', rule: 'must be unique in table "t" (also used by columns[0])', got: '"id"', fix: 'Rename or remove one of the columns.',
    });
  });

  it('fails if a column type is not supported', () => {
    expectProblem(attempt({ tables: [{ name: 't', columns: [{ name: 'id', type: 'uuid' }] }] }), {
      field: 'tables[0].columns[0].type', rule: 'must be a supported Glue type ("uuid" is not a Glue type)', got: '"uuid"', fix: 'Use a Glue type: boolean',
    });
  });

  it('fails if a partition key is not a column', () => {
    expectProblem(attempt({ tables: [{ ...SIMPLE_TABLE, partitionKeys: ['day'] }] }), {
      field: 'tables[0].partitionKeys[0]', rule: 'must name a column of table "items"', got: '"day"', fix: 'Use one of: item_id, quantity, or add the column.',
    });
  });

  it('fails if a partition key is not of a primitive type', () => {
    const table: TableSpec = { name: 't', columns: [{ name: 'id', type: 'string' }, { name: 'tags', type: 'map<string,string>' }], partitionKeys: ['tags'] };
    expectProblem(attempt({ tables: [table] }), {
      field: 'tables[0].partitionKeys[0]', rule: 'must be a column of a primitive type', got: '"tags: map<string,string>"', fix: 'Partition by a string, integer or date column.',
    });
  });

  it('fails if projection misses a partition column', () => {
    const table: TableSpec = {
      name: 't',
      columns: [{ name: 'id', type: 'string' }, { name: 'day', type: 'date' }, { name: 'region', type: 'string' }],
      partitionKeys: ['day', 'region'],
      projection: { day: { type: 'date', range: 'NOW-1YEARS,NOW', format: 'yyyy-MM-dd' } },
    };
    expectProblem(attempt({ tables: [table] }), {
      field: 'tables[0].projection.region', rule: 'must be configured for every partition key when projection is used', got: 'nothing',
      fix: 'Add a projection for "region"',
    });
  });

  it('fails if the bucket name would exceed 63 characters, without truncating', () => {
    // given: acme-sales-<32 characters>-111111111111-eu-west-1 is 66 characters
    const productName = 'p'.repeat(32);
    expectProblem(attempt({ productName }), {
      field: 'productName', rule: 'makes a bucket name of 66 characters; S3 allows at most 63',
      got: `"${MESH}-sales-${productName}-${ACCOUNT}-${REGION}"`, fix: 'Shorten the mesh, domain or product name by 3 characters',
    });
  });

  it('does not check the bucket name length of a product stored as a domain prefix', () => {
    expect(attempt({ productName: 'p'.repeat(32), storage: ProductStorage.DOMAIN_PREFIX })).not.toThrow();
  });

  it('fails if the storage mode is unknown', () => {
    expectProblem(attempt({ storage: 'efs' as ProductStorage }), { field: 'storage', rule: 'must be one of bucket, domain-prefix', got: '"efs"' });
  });

  it(`fails if removalPolicy is DESTROY without the context flag ${ALLOW_DESTROY_CONTEXT_KEY}`, () => {
    expectProblem(attempt({ removalPolicy: RemovalPolicy.DESTROY }), {
      field: 'removalPolicy', rule: `is DESTROY, which also needs the context flag ${ALLOW_DESTROY_CONTEXT_KEY}=true`, got: '"destroy"',
      fix: 'or remove removalPolicy to keep the data',
    });
  });

  it('reports problems of the product and of its tables together, at the product path', () => {
    const { error } = expectProblem(attempt({ owner: '', tables: [{ name: 'T', columns: [{ name: 'id', type: 'text' }] }] }), { field: 'owner' });
    expect(error.location).toBe('Mesh/Product');
    expect(error.problems.map((p) => p.slice(1, p.indexOf('`', 1)))).toEqual(['owner', 'tables[0].name', 'tables[0].columns[0].type']);
  });

  it('leaves no trace of a failed product: the name stays free', () => {
    const m = buildMinimalMesh({ product: false });
    expect(() => new DataProduct(m.stack, 'Bad', productProps(m.domain, m.governance, { owner: '' }))).toThrow();
    expect(() => new DataProduct(m.stack, 'Good', productProps(m.domain, m.governance))).not.toThrow();
  });
});

describe('DataProduct statement IDs', () => {
  it('keep products a_b and ab of one domain apart (`_` becomes `U`), with dedicated and shared buckets', () => {
    // given: a_b and ab as prefixes of the shared bucket, c_d and cd in buckets of their own
    const m = buildMinimalMesh({ product: false });
    const products = [['a_b', ProductStorage.DOMAIN_PREFIX], ['ab', ProductStorage.DOMAIN_PREFIX], ['c_d', ProductStorage.BUCKET], ['cd', ProductStorage.BUCKET]] as const;
    for (const [productName, storage] of products) {
      new DataProduct(m.stack, `P${productName}`, productProps(m.domain, m.governance, { productName, storage }));
    }
    // when
    const t = Template.fromStack(m.stack).toJSON() as CfnTemplate;
    // then: every policy document has unique statement IDs
    const documents = [
      ...resourcesOfType(t, 'AWS::S3::BucketPolicy'), ...resourcesOfType(t, 'AWS::IAM::ManagedPolicy'),
    ].map(([id, r]) => [id, (r.Properties.PolicyDocument.Statement as Json[]).map((st) => st.Sid).filter(Boolean)] as const);
    for (const [id, sids] of documents) expect(new Set(sids).size, `${id}: ${sids.join(', ')}`).toBe(sids.length);
    const writer = documents.find(([id]) => id === logicalIdOf(m.domain.node.findChild('WriterProductsPolicy')))![1];
    expect([...writer].sort()).toEqual([
      'WriteaUbBucket', 'WriteaUbLocation', 'WriteaUbObjects', 'WriteabBucket', 'WriteabLocation', 'WriteabObjects',
      'WritecUdBucket', 'WritecUdObjects', 'WritecdBucket', 'WritecdObjects',
    ]);
    const shared = documents.find(([id]) => id === logicalIdOf(m.domain.dataBucket().policy!))![1];
    expect([...shared].sort()).toEqual([
      'LakeFormationRegistrationaUbBucket', 'LakeFormationRegistrationaUbLocation', 'LakeFormationRegistrationaUbObjects',
      'LakeFormationRegistrationabBucket', 'LakeFormationRegistrationabLocation', 'LakeFormationRegistrationabObjects',
    ]);
    // and each statement names its own product's prefix
    const statement = (logicalId: string, sid: string) => (t.Resources[logicalId].Properties.PolicyDocument.Statement as Json[]).find((st) => st.Sid === sid);
    const writerId = logicalIdOf(m.domain.node.findChild('WriterProductsPolicy'));
    expect(statement(writerId, 'WriteaUbBucket').Condition).toEqual({ StringLike: { 's3:prefix': ['a_b/', 'a_b/*'] } });
    expect(statement(writerId, 'WriteabBucket').Condition).toEqual({ StringLike: { 's3:prefix': ['ab/', 'ab/*'] } });
    expect(statement(writerId, 'WriteaUbObjects').Resource).toEqual(objectsArn(m.domain.dataBucket(), '/a_b/*'));
    expect(statement(writerId, 'WriteabObjects').Resource).toEqual(objectsArn(m.domain.dataBucket(), '/ab/*'));
  });
});

describe('DataProduct in an environment-agnostic stack', () => {
  it('uses pseudo parameters for account and region and keeps catalog IDs as Ref AWS::AccountId', () => {
    const { stack, product } = buildMinimalMesh({ env: 'agnostic' });
    const t = Template.fromStack(stack).toJSON() as CfnTemplate;
    expect(t.Resources[logicalIdOf(product!.bucket)].Properties.BucketName).toEqual({
      'Fn::Join': ['', [`${MESH}-sales-items-`, { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
    });
    expect(t.Resources[databaseId(t, 'sales_items')].Properties.CatalogId).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(t)).not.toContain('arn:aws:');
  });
});

describe('ProductCatalog in a catalog shard of another stack', () => {
  it('puts the catalog half in the shard stack with literal names and no cross-stack exports', () => {
    // given
    const m = buildShardedMesh();
    // then
    const storage = Template.fromStack(m.salesStack).toJSON() as CfnTemplate;
    const catalog = Template.fromStack(m.catalogStack).toJSON() as CfnTemplate;
    expect(resourcesOfType(storage, 'AWS::Glue::Database')).toEqual([]);
    expect(resourcesOfType(storage, 'AWS::S3::Bucket').length).toBeGreaterThan(0);
    expect(resourcesOfType(catalog, 'AWS::Glue::Database')).toHaveLength(1);
    expect(catalog.Resources[databaseId(catalog, 'sales_orders')].Properties.DatabaseInput.LocationUri).toBe(`s3://${m.bucketName}/`);
    expect(JSON.stringify(catalog)).not.toContain('Fn::ImportValue');
    expect(storage.Outputs ?? {}).toEqual({});
    expect(m.shard.products.map((p) => p.databaseName)).toEqual(['sales_orders']);
    expect(m.product.catalog).toBe(m.shard.products[0]);
  });

  it('deploys the shard after the producer stack and the governance stack', () => {
    const m = buildShardedMesh();
    m.app.synth();
    const deps = m.catalogStack.dependencies.map((s) => s.stackName);
    expect(deps).toEqual(expect.arrayContaining([m.salesStack.stackName, m.govStack.stackName]));
  });

  it('creates the shard\'s tag associations after the LF-tags of the governance stack, and chains its grants', () => {
    const m = buildShardedMesh();
    const catalog = Template.fromStack(m.catalogStack).toJSON() as CfnTemplate;
    const associations = resourcesOfType(catalog, 'AWS::LakeFormation::TagAssociation');
    expect(associations.length).toBeGreaterThanOrEqual(2);
    for (const [id, a] of associations) {
      for (const tag of a.Properties.LFTags) expect(isOrderedAfter(m.catalogStack, dependsOn(a), m.governance.ontology.tagResource(tag.TagKey)), id).toBe(true);
      for (const target of catalogTargets(catalog, a.Properties.Resource)) expect(dependsOn(a), id).toContain(target);
    }
    expect(grantChain(catalog)).toHaveLength(m.product.catalog.grants.length);
  });

  it('synthesizes when the shard is in another account than the producer', () => {
    const m = buildShardedMesh({ catalogAccount: '222222222222' });
    const catalog = Template.fromStack(m.catalogStack).toJSON() as CfnTemplate;
    const db = catalog.Resources[databaseId(catalog, 'sales_orders')];
    expect(db.Properties.CatalogId).toBe('222222222222');
    expect(db.Properties.DatabaseInput.Parameters.producer_account).toBe(ACCOUNT);
    expect(JSON.stringify(catalog)).toContain(`:iam::${ACCOUNT}:role/${MESH}-sales-writer`);
  });

  it('fails if the shard\'s account and region have no Lake Formation settings', () => {
    expectProblem(() => buildShardedMesh({ shardAccount: '333333333333' }), {
      field: 'lakeFormationSettings', rule: 'before the catalog of product "orders" is created', got: 'nothing',
    });
  });
});

describe('ProductCatalog: column types and SerDe of the Glue tables', () => {
  const glueTable = (tables: TableSpec[], name: string): Json => {
    const { stack } = buildMinimalMesh({ product: { tables } });
    const t = Template.fromStack(stack).toJSON() as CfnTemplate;
    return Object.values(t.Resources).find((r) => r.Type === 'AWS::Glue::Table' && r.Properties.TableInput.Name === name)!.Properties.TableInput;
  };

  it('writes integer as int at every depth, and leaves struct field names alone', () => {
    // given: the alias Athena rejects, top-level, nested, as a struct field name and as a partition key
    const table: TableSpec = {
      name: 'counts',
      columns: [
        { name: 'n', type: 'INTEGER' },
        { name: 'ns', type: 'array<integer>' },
        { name: 's', type: 'struct<integer:integer, b:map<integer,array<integer>>>' },
        { name: 'bucket', type: 'integer' },
      ],
      partitionKeys: ['bucket'],
    };
    // when
    const input = glueTable([table], 'counts');
    // then
    expect(input.StorageDescriptor.Columns).toEqual([
      { Name: 'n', Type: 'int' },
      { Name: 'ns', Type: 'array<int>' },
      { Name: 's', Type: 'struct<integer:int,b:map<int,array<int>>>' },
    ]);
    expect(input.PartitionKeys).toEqual([{ Name: 'bucket', Type: 'int' }]);
  });

  it('reads a CSV table with a date column with LazySimpleSerDe (text dates), and warns with an ID', () => {
    // given: the single-account example's marketing.campaigns table
    const table: TableSpec = {
      name: 'daily_performance', format: DataFormat.CSV,
      columns: [{ name: 'campaign_id', type: 'string' }, { name: 'clicks', type: 'bigint' }, { name: 'day', type: 'date' }],
    };
    const { stack } = buildMinimalMesh({ product: { tables: [table] } });
    // when
    const t = Template.fromStack(stack).toJSON() as CfnTemplate;
    const input = Object.values(t.Resources).find((r) => r.Type === 'AWS::Glue::Table')!.Properties.TableInput;
    // then
    expect(input.StorageDescriptor.SerdeInfo).toEqual({
      SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
      Parameters: { 'field.delim': ',', 'serialization.format': ',', 'escape.delim': '\\' },
    });
    expect(input.StorageDescriptor.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
    expect(input.Parameters).toEqual({ EXTERNAL: 'TRUE', classification: 'csv', 'skip.header.line.count': '1' });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('Table "daily_performance" is CSV with date or timestamp columns \\(day\\).*\\[ack: cdk-data-mesh:csv-lazy-simple-serde\\]'));
  });

  it('reads a CSV table with a timestamp nested in a struct with LazySimpleSerDe', () => {
    const table: TableSpec = { name: 'events', format: DataFormat.CSV, columns: [{ name: 'id', type: 'string' }, { name: 'meta', type: 'struct<at:timestamp>' }] };
    expect(glueTable([table], 'events').StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe');
  });

  it('keeps OpenCSVSerde, without the warning, for a CSV table whose only date is a partition key or a struct field name', () => {
    const table: TableSpec = {
      name: 'visits', format: DataFormat.CSV,
      columns: [{ name: 'id', type: 'string' }, { name: 'info', type: 'struct<date:string>' }, { name: 'day', type: 'date' }],
      partitionKeys: ['day'],
    };
    const { stack } = buildMinimalMesh({ product: { tables: [table] } });
    const t = Template.fromStack(stack).toJSON() as CfnTemplate;
    const input = Object.values(t.Resources).find((r) => r.Type === 'AWS::Glue::Table')!.Properties.TableInput;
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.serde2.OpenCSVSerde');
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-data-mesh:csv-lazy-simple-serde'));
  });
});
