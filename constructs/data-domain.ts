import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  DEFAULT_ACCESS_LOG_EXPIRATION_DAYS, DEFAULT_ATHENA_ENGINE_VERSION, DEFAULT_ATHENA_RESULTS_EXPIRATION_DAYS,
  DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS,
} from '../lib/defaults';
import { ProblemCollector } from '../lib/errors';
import { validateCutoff } from '../lib/validation';
import {
  catalogKeyAlias, domainBucketName, domainKeyAlias, domainRoleName, registrationRoleName, validateBucketName, validateMeshName, validateName,
  validateRoleName, workgroupName,
} from '../lib/naming';
import { KMS_DECRYPT_ACTIONS, KMS_ENCRYPT_ACTIONS, ATHENA_QUERY_ACTIONS, GLUE_CATALOG_READ_ACTIONS, GLUE_CATALOG_WRITE_ACTIONS, LF_DATA_ACCESS_ACTIONS, S3_RESULTS_ACTIONS } from '../lib/perms';
import { acknowledge, acknowledgeWildcardActions, acknowledgeWildcardResources, inCompliancePacks } from '../lib/private/nag';
import { pinAccessLogDeliveryByPolicy } from '../lib/private/feature-flags';
import { resolveRemovalPolicy } from '../lib/private/removal';
import { catalogKeyStatement } from '../lib/private/catalog-key';
import { lfGrant } from '../lib/private/lf-grants';
import { LakeFormationSettings } from './lake-formation-settings';

/** The database Athena needs DESCRIBE on in the querying account's catalog. */
export const DEFAULT_DATABASE_NAME = 'default';

/** Products per customer-managed policy of a writer role. */
export const WRITER_PRODUCTS_PER_POLICY = 12;

/** What a domain does in the mesh. */
export enum DomainRole {
  /** Publishes data products. */
  PRODUCER = 'producer',
  /** Subscribes to other domains' products. */
  CONSUMER = 'consumer',
  /** Both. */
  BOTH = 'both',
}

export interface DataDomainProps {
  /** Name of the mesh; prefixes bucket and role names. */
  readonly meshName: string;
  /** Domain name: lowercase `[a-z][a-z0-9_]*`. */
  readonly domainName: string;
  /** @default DomainRole.PRODUCER */
  readonly role?: DomainRole;
  /** @default - none */
  readonly description?: string;
  /**
   * Account of the central governance catalog that holds this domain's product databases. The domain's key
   * and bucket policies trust that account's Lake Formation registration role, and its roles get catalog
   * permissions there.
   * @default - this stack's account (single-account mesh)
   */
  readonly catalogAccount?: string;
  /**
   * Athena per-query scan limit of the domain workgroup, in bytes (cost guardrail).
   * @default DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY (100 GiB)
   */
  readonly bytesScannedCutoffPerQuery?: number;
  /** @default DEFAULT_ATHENA_ENGINE_VERSION ('Athena engine version 3') */
  readonly athenaEngineVersion?: string;
  /** @default Duration.days(DEFAULT_ATHENA_RESULTS_EXPIRATION_DAYS) (30 days) */
  readonly queryResultsExpiration?: Duration;
  /**
   * Who may assume the writer role that pipelines run as.
   * @default - AWS Glue (`glue.amazonaws.com`)
   */
  readonly writerAssumedBy?: iam.IPrincipal;
  /**
   * Who may assume the query role that analysts use.
   * @default - principals of this account allowed by their own IAM policies (`AccountRootPrincipal`)
   */
  readonly queryAssumedBy?: iam.IPrincipal;
  /**
   * Retaining is the default for the key and buckets. DESTROY also needs the context flag
   * `cdk-data-mesh:allowDestroy=true`.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - the settings registered for this stack's account and region */
  readonly lakeFormationSettings?: LakeFormationSettings;
}

/**
 * A domain node of the mesh: the domain's KMS key, its S3 access-log bucket, its Athena workgroup with an
 * encrypted results bucket and a cost guardrail, and its roles (a writer role for pipelines when the domain
 * produces; a query role for analysts). Data products of the domain store their data with this key.
 */
export class DataDomain extends Construct {
  public readonly meshName: string;
  public readonly domainName: string;
  public readonly role: DomainRole;
  public readonly description?: string;
  public readonly account: string;
  public readonly region: string;
  public readonly catalogAccount: string;
  public readonly key: kms.Key;
  public readonly logBucket: s3.Bucket;
  public readonly resultsBucket: s3.Bucket;
  public readonly workgroup: athena.CfnWorkGroup;
  public readonly workgroupName: string;
  /** Name of the domain's shared data bucket (created on first use by {@link dataBucket}). */
  public readonly dataBucketName: string;
  public readonly bytesScannedCutoffPerQuery: number;
  /** Pipelines' role; only for producing domains. */
  public readonly writerRole?: iam.Role;
  public readonly queryRole: iam.Role;
  /** Deterministic ARN of {@link queryRole}: usable from other stacks and accounts without a reference. */
  public readonly queryRoleArn: string;
  /** Deterministic ARN of {@link writerRole} (for producing domains). */
  public readonly writerRoleArn: string;
  public readonly removalPolicy: RemovalPolicy;
  public readonly settings: LakeFormationSettings;
  /** DESCRIBE on the `default` database of this account's catalog for the query role (Athena needs it). */
  public readonly defaultDatabaseGrant: lakeformation.CfnPrincipalPermissions;
  private readonly writerPolicy?: iam.ManagedPolicy;
  private readonly writerProductPolicies: iam.ManagedPolicy[] = [];
  private writerProducts = 0;
  private readonly queryPolicy: iam.ManagedPolicy;
  private sharedDataBucket?: s3.Bucket;
  private alarmNotificationsAllowed = false;

  constructor(scope: Construct, id: string, props: DataDomainProps) {
    super(scope, id);
    pinAccessLogDeliveryByPolicy(this);
    const stack = Stack.of(this);
    this.account = stack.account;
    this.region = stack.region;
    this.catalogAccount = props.catalogAccount ?? stack.account;
    this.meshName = props.meshName;
    this.domainName = props.domainName;
    this.role = props.role ?? DomainRole.PRODUCER;
    this.description = props.description;
    this.bytesScannedCutoffPerQuery = props.bytesScannedCutoffPerQuery ?? DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY;

    const c = new ProblemCollector();
    validateMeshName(c, 'meshName', props.meshName);
    validateName(c, 'domainName', 'domain', props.domainName);
    if (!Object.values(DomainRole).includes(this.role)) {
      c.add('role', `must be one of ${Object.values(DomainRole).join(', ')}`, props.role, 'Pick the domain\'s role.');
    }
    validateCutoff(c, this.bytesScannedCutoffPerQuery);
    if (c.empty) {
      for (const purpose of ['logs', 'athena-results', 'data']) {
        validateBucketName(c, 'domainName', domainBucketName(props.meshName, props.domainName, purpose, this.account, this.region), this.account, this.region);
      }
      validateRoleName(c, 'domainName', domainRoleName(props.meshName, props.domainName, 'writer'));
    }
    this.removalPolicy = resolveRemovalPolicy(this, c, props.removalPolicy);
    c.throwIfAny(this);
    this.settings = props.lakeFormationSettings ?? LakeFormationSettings.require(this, `DataDomain "${props.domainName}"`);

    this.key = new kms.Key(this, 'Key', {
      alias: domainKeyAlias(props.meshName, props.domainName),
      description: `Encrypts the data, query results and logs of data domain ${props.domainName} (${props.meshName})`,
      enableKeyRotation: true,
      removalPolicy: this.removalPolicy,
    });
    // Lake Formation reads and writes registered locations with the registration role of the catalog account;
    // trusted by name (with the account as principal) because that role is created after this stack.
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowLakeFormationRegistrationRole',
      principals: [new iam.AccountPrincipal(this.catalogAccount)],
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:PrincipalArn': this.registrationRoleArn() } },
    }));

    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      bucketName: domainBucketName(props.meshName, props.domainName, 'logs', this.account, this.region),
      // S3 server access logging can only deliver to buckets encrypted with S3-managed keys.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: this.removalPolicy,
      lifecycleRules: [{
        id: 'expire-access-logs',
        expiration: Duration.days(DEFAULT_ACCESS_LOG_EXPIRATION_DAYS),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
    });
    acknowledge(this.logBucket, [...inCompliancePacks('S3DefaultEncryptionKMS'), 'DataMesh-S3BucketKmsEncrypted'],
      'S3 server access logging delivers only to buckets encrypted with S3-managed keys (SSE-S3); SSE-KMS is not supported for log target buckets.');
    acknowledge(this.logBucket, inCompliancePacks('S3BucketReplicationEnabled'),
      'Access logs are kept for audit in this account for a year; cross-region replication is an organization-level choice, not a domain default.');

    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      bucketName: domainBucketName(props.meshName, props.domainName, 'athena-results', this.account, this.region),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'athena-results/',
      removalPolicy: this.removalPolicy,
      lifecycleRules: [{
        id: 'expire-query-results',
        expiration: props.queryResultsExpiration ?? Duration.days(DEFAULT_ATHENA_RESULTS_EXPIRATION_DAYS),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
    });
    acknowledge(this.resultsBucket, inCompliancePacks('S3BucketReplicationEnabled'),
      'Athena query results are temporary (expired by lifecycle) and can be recomputed from the data products; replicating them adds cost without protecting data.');

    const roleArn = (purpose: 'writer' | 'query') => stack.formatArn({
      service: 'iam', region: '', resource: 'role', resourceName: domainRoleName(props.meshName, props.domainName, purpose),
    });
    this.queryRoleArn = roleArn('query');
    this.writerRoleArn = roleArn('writer');
    this.workgroupName = workgroupName(props.meshName, props.domainName);
    this.dataBucketName = domainBucketName(props.meshName, props.domainName, 'data', this.account, this.region);
    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: this.workgroupName,
      description: `Queries of data domain ${props.domainName}`,
      state: 'ENABLED',
      // Athena refuses to delete a workgroup that has query history unless the delete is recursive; the history is
      // not data (results live in the retained results bucket).
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-athena-workgroup.html#cfn-athena-workgroup-recursivedeleteoption
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        bytesScannedCutoffPerQuery: this.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: props.athenaEngineVersion ?? DEFAULT_ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.key.keyArn },
          expectedBucketOwner: this.account,
        },
      },
    });

    if (this.role !== DomainRole.CONSUMER) {
      this.writerRole = new iam.Role(this, 'WriterRole', {
        roleName: domainRoleName(props.meshName, props.domainName, 'writer'),
        assumedBy: props.writerAssumedBy ?? new iam.ServicePrincipal('glue.amazonaws.com'),
        description: `Pipelines of data domain ${props.domainName}: writes its data products`,
      });
      this.writerPolicy = new iam.ManagedPolicy(this, 'WriterPolicy', {
        description: `Catalog and Lake Formation access of the ${props.domainName} pipelines`,
        roles: [this.writerRole],
        statements: [
          new iam.PolicyStatement({ sid: 'LakeFormationDataAccess', actions: [...LF_DATA_ACCESS_ACTIONS], resources: ['*'] }),
          new iam.PolicyStatement({
            sid: 'UseDomainKey',
            actions: [...KMS_DECRYPT_ACTIONS, ...KMS_ENCRYPT_ACTIONS],
            resources: [this.key.keyArn],
          }),
          this.catalogKeyStatement(),
          new iam.PolicyStatement({
            sid: 'ReadCatalog',
            actions: [...GLUE_CATALOG_READ_ACTIONS, ...GLUE_CATALOG_WRITE_ACTIONS],
            resources: [stack.formatArn({ service: 'glue', resource: 'catalog', account: this.catalogAccount })],
          }),
        ],
      });
      this.acknowledgeCatalogWildcards(this.writerPolicy);
    }

    this.queryRole = new iam.Role(this, 'QueryRole', {
      roleName: domainRoleName(props.meshName, props.domainName, 'query'),
      assumedBy: props.queryAssumedBy ?? new iam.AccountRootPrincipal(),
      description: `Analysts of data domain ${props.domainName}: queries data products through Lake Formation in workgroup ${this.workgroupName}`,
    });
    const catalogReadArns = [...new Set([this.catalogAccount, this.account])].flatMap((account) => [
      stack.formatArn({ service: 'glue', resource: 'catalog', account }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: '*', account }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: '*', account }),
    ]);
    this.queryPolicy = new iam.ManagedPolicy(this, 'QueryPolicy', {
      description: `Athena, catalog and Lake Formation access of the ${props.domainName} analysts`,
      roles: [this.queryRole],
      statements: [
        new iam.PolicyStatement({ sid: 'LakeFormationDataAccess', actions: [...LF_DATA_ACCESS_ACTIONS], resources: ['*'] }),
        this.catalogKeyStatement(),
        new iam.PolicyStatement({
          sid: 'QueryInOwnWorkgroup',
          actions: [...ATHENA_QUERY_ACTIONS],
          resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workgroupName })],
        }),
        // Which databases and tables the role sees is decided by Lake Formation grants, not by IAM.
        new iam.PolicyStatement({
          sid: 'ReadCatalogMetadata',
          actions: [...GLUE_CATALOG_READ_ACTIONS],
          resources: catalogReadArns,
        }),
        new iam.PolicyStatement({
          sid: 'QueryResults',
          actions: [...S3_RESULTS_ACTIONS],
          resources: [this.resultsBucket.bucketArn, this.resultsBucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'EncryptQueryResults',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: [this.key.keyArn],
        }),
      ],
    });
    acknowledge(this.queryPolicy, ['AwsSolutions-IAM5[Resource::*]'],
      'lakeformation:GetDataAccess supports no resource-level permissions; Lake Formation grants decide what the role can read.');
    this.acknowledgeCatalogKey(this.queryPolicy);
    acknowledgeWildcardResources(this.queryPolicy, catalogReadArns,
      'Catalog metadata reads are allowed on all databases because Lake Formation, not IAM, filters what the role can see; grants are per product.');
    acknowledgeWildcardResources(this.queryPolicy, [this.resultsBucket.arnForObjects('*')],
      'Athena writes result objects under generated names; access is limited to the domain\'s own results bucket.');
    acknowledgeWildcardActions(this.queryPolicy, ['kms:GenerateDataKey*'],
      'Athena needs both GenerateDataKey and GenerateDataKeyWithoutPlaintext for SSE-KMS results; scoped to the domain key.');

    // Athena on Lake Formation data needs DESCRIBE on the `default` database of the querying account's catalog.
    // https://docs.aws.amazon.com/athena/latest/ug/lf-athena-limitations.html#lf-athena-limitations-describe-default
    this.defaultDatabaseGrant = lfGrant(this, 'QueryDefaultDatabaseGrant', {
      principal: this.queryRoleArn,
      resource: { database: { catalogId: this.account, name: DEFAULT_DATABASE_NAME } },
      permissions: ['DESCRIBE'],
      dependsOn: [this.queryRole.node.defaultChild as CfnResource],
      after: [this.settings],
    });
  }

  /** ARN of the Lake Formation registration role of the catalog account (deterministic name). */
  public registrationRoleArn(): string {
    return Stack.of(this).formatArn({
      service: 'iam', region: '', account: this.catalogAccount, resource: 'role', resourceName: registrationRoleName(this.meshName, this.domainName),
    });
  }

  /**
   * The governance catalog may be encrypted with the mesh's catalog key (alias `alias/<mesh>/catalog`), whose
   * ID is generated in another account: allowed by alias. Readers need to encrypt as well as decrypt.
   */
  private catalogKeyStatement(): iam.PolicyStatement {
    return catalogKeyStatement(this.meshName, this.catalogAccount);
  }

  private acknowledgeCatalogKey(policy: iam.ManagedPolicy): void {
    acknowledgeWildcardResources(policy, this.catalogKeyStatement().resources,
      `The catalog key's ID is generated in the governance account; the statement is limited to the key with alias ${catalogKeyAlias(this.meshName)}.`);
  }

  private acknowledgeCatalogWildcards(policy: iam.ManagedPolicy): void {
    acknowledge(policy, ['AwsSolutions-IAM5[Resource::*]'],
      'lakeformation:GetDataAccess supports no resource-level permissions; Lake Formation grants decide what the role can write.');
    this.acknowledgeCatalogKey(policy);
    acknowledgeWildcardActions(policy, [...KMS_ENCRYPT_ACTIONS],
      'S3 SSE-KMS writes need the GenerateDataKey and ReEncrypt variants; scoped to the domain key.');
  }

  /** Lets CloudWatch alarms publish to topics encrypted with the domain key. Idempotent. */
  public allowAlarmNotifications(): void {
    if (this.alarmNotificationsAllowed) return;
    this.alarmNotificationsAllowed = true;
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToNotify',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));
  }

  /**
   * The domain's shared data bucket, for products stored as a prefix of it
   * ({@link ProductStorage.DOMAIN_PREFIX}). Created on first use.
   */
  public dataBucket(): s3.Bucket {
    if (this.sharedDataBucket) return this.sharedDataBucket;
    const bucket = new s3.Bucket(this, 'DataBucket', {
      bucketName: this.dataBucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'data/',
      removalPolicy: this.removalPolicy,
      lifecycleRules: [{
        id: 'expire-noncurrent-versions',
        noncurrentVersionExpiration: Duration.days(DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
    });
    acknowledge(bucket, inCompliancePacks('S3BucketReplicationEnabled'),
      'Versioning and retention protect the products against deletion in place; cross-region replication needs a destination bucket and key in another region, an organization-level disaster-recovery choice.');
    this.sharedDataBucket = bucket;
    return bucket;
  }

  /**
   * Lets the writer role (pipelines) write the objects of a product and maintain its tables and partitions,
   * by exact database name. Products share customer-managed policies of at most
   * {@link WRITER_PRODUCTS_PER_POLICY} products each, far below IAM's 6,144-character policy limit.
   */
  public addWriterProduct(productName: string, databaseName: string, storage: readonly iam.PolicyStatement[]): void {
    if (!this.writerRole) return;
    const stack = Stack.of(this);
    const index = Math.floor(this.writerProducts / WRITER_PRODUCTS_PER_POLICY);
    this.writerProducts++;
    const policy = this.writerProductPolicies[index] ?? new iam.ManagedPolicy(this, index === 0 ? 'WriterProductsPolicy' : `WriterProductsPolicy${index + 1}`, {
      description: `Storage and tables of the ${this.domainName} products written by its pipelines (part ${index + 1})`,
      roles: [this.writerRole],
    });
    this.writerProductPolicies[index] = policy;
    const tables = [
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: databaseName, account: this.catalogAccount }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${databaseName}/*`, account: this.catalogAccount }),
    ];
    policy.addStatements(...storage, new iam.PolicyStatement({
      actions: [...GLUE_CATALOG_READ_ACTIONS, ...GLUE_CATALOG_WRITE_ACTIONS],
      resources: tables,
    }));
    for (const st of storage) {
      acknowledgeWildcardResources(policy, st.resources, `Pipelines write objects under generated names; limited to the objects of product ${productName}.`);
    }
    acknowledgeWildcardResources(policy, tables, `Pipelines create and maintain the tables of product ${productName}, whose names they choose; limited to database ${databaseName}.`);
  }
}
