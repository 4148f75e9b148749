import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  CFN_MAX_VALUES_PER_TAG_RESOURCE, DEFAULT_ACCESS_LOG_EXPIRATION_DAYS, DEFAULT_LOG_RETENTION_DAYS, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS,
  LF_MAX_EXPRESSION_CONDITIONS,
} from '../lib/defaults';
import { lfGrant } from '../lib/private/lf-grants';
import { ProblemCollector } from '../lib/errors';
import { catalogKeyAlias, domainBucketName, validateBucketName, validateMeshName } from '../lib/naming';
import { KMS_CATALOG_ACTIONS } from '../lib/perms';
import { acknowledge, inCompliancePacks } from '../lib/private/nag';
import { pinAccessLogDeliveryByPolicy } from '../lib/private/feature-flags';
import { resolveRemovalPolicy } from '../lib/private/removal';
import { LakeFormationSettings } from './lake-formation-settings';
import { LfTagOntology } from './lf-tag-ontology';

/** Audit trail buckets of the governance account: the trail's bucket and its access-log bucket. */
const AUDIT_BUCKET_PURPOSES = ['audit', 'audit-logs'] as const;

/** A tag-based grant to a consumer; see {@link MeshGovernance.grantToConsumer}. */
export interface ConsumerGrantOptions {
  /** Construct ID prefix of the grants (stable: derive it from the subscription, not its position). */
  readonly id: string;
  /** LF-tag key → allowed values. */
  readonly expression: Readonly<Record<string, readonly string[]>>;
  /** The consumer's query role ARN, or the consumer account ID when `grantOption` is set. */
  readonly principal: string;
  /**
   * Grant with the grant option, so that the consumer account's administrator can re-grant. Use only for
   * grants to another account.
   * @default false
   */
  readonly grantOption?: boolean;
  /**
   * Construct (in a stack of the governance account) that holds the grants; lets a mesh keep grants out of the
   * governance stack so that it stays far below CloudFormation's resource limit.
   * @default - this construct
   */
  readonly scope?: Construct;
}

export interface MeshGovernanceProps {
  /** Name of the mesh; prefixes bucket, role and key alias names. */
  readonly meshName: string;
  /** @default DEFAULT_CLASSIFICATION_VALUES */
  readonly classificationValues?: readonly string[];
  /** Custom LF-tag keys and values. @default - none */
  readonly tags?: Readonly<Record<string, readonly string[]>>;
  /**
   * Encrypt the account's Glue Data Catalog with a customer-managed key (account-wide setting).
   * @default true
   */
  readonly catalogEncryption?: boolean;
  /**
   * A CloudTrail trail of management events (Lake Formation grants, Glue catalog changes), encrypted,
   * validated and sent to CloudWatch Logs. Turn off when an organization trail already records them.
   * @default true
   */
  readonly auditTrail?: boolean;
  /** @default - the settings registered for this stack's account and region */
  readonly lakeFormationSettings?: LakeFormationSettings;
  /** Keys, the audit bucket and LF-tags are retained by default. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The central governance of the mesh, in the account that owns the catalog: the LF-tag ontology, the catalog
 * encryption key and the audit trail. (The roles Lake Formation uses to access producers' locations are per
 * producing domain and live with the domain's catalog: see `ProductCatalog.registrationRole`.)
 */
export class MeshGovernance extends Construct {
  public readonly meshName: string;
  public readonly ontology: LfTagOntology;
  public readonly catalogKey?: kms.Key;
  public readonly trail?: cloudtrail.Trail;
  public readonly settings: LakeFormationSettings;
  private readonly catalogKeyAccounts = new Set<string>();
  private readonly productDatabases = new Map<string, string>();

  constructor(scope: Construct, id: string, props: MeshGovernanceProps) {
    super(scope, id);
    pinAccessLogDeliveryByPolicy(this);
    const stack = Stack.of(this);
    const c = new ProblemCollector();
    validateMeshName(c, 'meshName', props.meshName);
    const removalPolicy = resolveRemovalPolicy(this, c, props.removalPolicy);
    if (c.empty && (props.auditTrail ?? true)) {
      for (const purpose of AUDIT_BUCKET_PURPOSES) {
        validateBucketName(c, 'meshName', domainBucketName(props.meshName, 'governance', purpose, stack.account, stack.region), stack.account, stack.region);
      }
    }
    c.throwIfAny(this);
    this.meshName = props.meshName;
    this.settings = props.lakeFormationSettings ?? LakeFormationSettings.require(this, 'MeshGovernance');

    this.ontology = new LfTagOntology(this, 'Ontology', {
      classificationValues: props.classificationValues,
      tags: props.tags,
      lakeFormationSettings: this.settings,
      removalPolicy,
    });

    if (props.catalogEncryption ?? true) {
      this.catalogKey = new kms.Key(this, 'CatalogKey', {
        alias: catalogKeyAlias(props.meshName),
        description: `Encrypts the Glue Data Catalog of mesh ${props.meshName}`,
        enableKeyRotation: true,
        removalPolicy,
      });
      const encryption = new glue.CfnDataCatalogEncryptionSettings(this, 'CatalogEncryption', {
        catalogId: stack.account,
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: this.catalogKey.keyArn },
          connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: this.catalogKey.keyArn },
        },
      });
      encryption.node.addDependency(this.settings);
    }

    if (props.auditTrail ?? true) this.trail = this.createTrail(props.meshName, removalPolicy);
  }

  /**
   * Grants a consumer read access to every product whose LF-tags match `expression` (AND across keys, OR
   * within a key's values): DESCRIBE on matching databases and SELECT + DESCRIBE on matching tables, with
   * columns whose own tags do not match filtered out by Lake Formation. Both grants are tag-based
   * (`LFTagPolicy`), so products created later are covered without a new grant.
   */
  public grantToConsumer(options: ConsumerGrantOptions): lakeformation.CfnPrincipalPermissions[] {
    const scope = options.scope ?? this;
    const c = new ProblemCollector();
    const keys = Object.keys(options.expression).sort();
    if (keys.length === 0) {
      c.add('expression', 'must have at least one condition', options.expression, 'Add a tag key with its allowed values.');
    }
    if (keys.length > LF_MAX_EXPRESSION_CONDITIONS) {
      c.add('expression', `must have at most ${LF_MAX_EXPRESSION_CONDITIONS} conditions (Lake Formation's limit)`, keys,
        'Remove conditions, or split the subscription into several grants.');
    }
    for (const k of keys) {
      const values = options.expression[k];
      if (!Array.isArray(values) || values.length === 0 || values.length > CFN_MAX_VALUES_PER_TAG_RESOURCE) {
        c.add(`expression.${k}`, `must list 1-${CFN_MAX_VALUES_PER_TAG_RESOURCE} values`, values, 'List the allowed values of the key.');
        continue;
      }
      values.forEach((v, i) => this.ontology.validateTagUse(c, `expression.${k}[${i}]`, k, v));
    }
    c.throwIfAny(`${scope.node.path}/${options.id}`);

    const expression = keys.map((k) => ({ tagKey: k, tagValues: [...options.expression[k]].sort() }));
    const after = [this.settings, ...keys.map((k) => this.ontology.tagResource(k))];
    const catalogId = Stack.of(this).account;
    return [
      lfGrant(scope, `${options.id}DatabaseGrant`, {
        principal: options.principal,
        resource: { lfTagPolicy: { catalogId, resourceType: 'DATABASE', expression } },
        permissions: ['DESCRIBE'],
        grantOption: options.grantOption,
        after,
      }),
      lfGrant(scope, `${options.id}TableGrant`, {
        principal: options.principal,
        resource: { lfTagPolicy: { catalogId, resourceType: 'TABLE', expression } },
        permissions: ['SELECT', 'DESCRIBE'],
        grantOption: options.grantOption,
        after,
      }),
    ];
  }

  /**
   * Records that the construct at `path` creates product database `name` in the governance catalog, and
   * returns the path of another construct that already claimed the name (`a_b.c` and `a.b_c` both make
   * `a_b_c`), if any.
   */
  public claimProductDatabase(name: string, path: string): string | undefined {
    const existing = this.productDatabases.get(name);
    if (existing !== undefined && existing !== path) return existing;
    this.productDatabases.set(name, path);
    return undefined;
  }

  /**
   * Lets principals of `account` use the encrypted catalog: Glue and Athena need `kms:Decrypt`, `kms:Encrypt` and
   * `kms:GenerateDataKey` on the catalog key for readers and writers alike
   * (https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html,
   * https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html). The key policy
   * delegates to the account; its principals' own IAM policies must allow it as well (ours do: see DataDomain).
   */
  public allowCatalogKeyUse(account: string): void {
    if (!this.catalogKey || this.catalogKeyAccounts.has(account) || account === Stack.of(this).account) return;
    this.catalogKeyAccounts.add(account);
    this.catalogKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: `UseCatalog${account}`,
      principals: [new iam.AccountPrincipal(account)],
      actions: [...KMS_CATALOG_ACTIONS],
      resources: ['*'],
    }));
  }

  private createTrail(meshName: string, removalPolicy: RemovalPolicy): cloudtrail.Trail {
    const stack = Stack.of(this);
    const key = new kms.Key(this, 'AuditKey', {
      alias: `alias/${meshName}/audit`,
      description: `Encrypts the audit trail of mesh ${meshName}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    const logBucket = new s3.Bucket(this, 'AuditLogBucket', {
      bucketName: domainBucketName(meshName, 'governance', AUDIT_BUCKET_PURPOSES[1], stack.account, stack.region),
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      lifecycleRules: [{ expiration: Duration.days(DEFAULT_ACCESS_LOG_EXPIRATION_DAYS), noncurrentVersionExpiration: Duration.days(1) }],
    });
    acknowledge(logBucket, [...inCompliancePacks('S3DefaultEncryptionKMS'), 'DataMesh-S3BucketKmsEncrypted'],
      'S3 server access logging delivers only to buckets encrypted with S3-managed keys (SSE-S3).');
    acknowledge(logBucket, inCompliancePacks('S3BucketReplicationEnabled'),
      'Access logs of the audit bucket stay in the governance account; replication is an organization-level choice.');
    const bucket = new s3.Bucket(this, 'AuditBucket', {
      bucketName: domainBucketName(meshName, 'governance', AUDIT_BUCKET_PURPOSES[0], stack.account, stack.region),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logBucket,
      removalPolicy,
      lifecycleRules: [{ id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS) }],
    });
    acknowledge(bucket, inCompliancePacks('S3BucketReplicationEnabled'),
      'CloudTrail log files are integrity-validated and versioned in the governance account; copying them to another region is an organization-level choice.');
    const logGroup = new logs.LogGroup(this, 'AuditLogGroup', {
      retention: DEFAULT_LOG_RETENTION_DAYS as logs.RetentionDays,
      encryptionKey: key,
      removalPolicy,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogs',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
    }));
    // CloudTrail refuses a key it cannot use (InsufficientEncryptionPolicyException), and the Trail construct does
    // not add these statements for a key passed in (aws-cdk #23391). What CloudTrail needs, conditioned on this
    // account's trails: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    const trailName = `${meshName}-audit`;
    const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName });
    const anyTrailOfAccount = stack.formatArn({ service: 'cloudtrail', region: '*', resource: 'trail', resourceName: '*' });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailToEncryptLogs',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': anyTrailOfAccount },
      },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailToDescribeKey',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowAccountToReadLogFiles',
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:CallerAccount': stack.account },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': anyTrailOfAccount },
      },
    }));
    const trail = new cloudtrail.Trail(this, 'AuditTrail', {
      trailName,
      bucket,
      encryptionKey: key,
      enableFileValidation: true,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: false,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: logGroup,
      managementEvents: cloudtrail.ReadWriteType.ALL,
    });
    acknowledge(trail.node.findChild('LogsRole'), inCompliancePacks('IAMNoInlinePolicy'),
      'The CDK Trail construct writes the CloudWatch Logs delivery policy of CloudTrail inline; it allows only CreateLogStream and PutLogEvents on this trail\'s log group.');
    return trail;
  }
}
