import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DEFAULT_ACCESS_LOG_EXPIRATION_DAYS, DEFAULT_LOG_RETENTION_DAYS } from '../lib/defaults';
import { ProblemCollector } from '../lib/errors';
import { catalogKeyAlias, domainBucketName, registrationRoleName, validateMeshName } from '../lib/naming';
import { KMS_DECRYPT_ACTIONS, KMS_ENCRYPT_ACTIONS, S3_REGISTRATION_ACTIONS } from '../lib/perms';
import { acknowledge, acknowledgeWildcardActions, acknowledgeWildcardResources, inCompliancePacks } from '../lib/private/nag';
import { resolveRemovalPolicy } from '../lib/private/removal';
import { LakeFormationSettings } from './lake-formation-settings';
import { LfTagOntology } from './lf-tag-ontology';

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
 * The central governance of the mesh, in the account that owns the catalog: the LF-tag ontology, the role
 * Lake Formation uses to access producers' locations, the catalog encryption key and the audit trail.
 */
export class MeshGovernance extends Construct {
  public readonly meshName: string;
  public readonly ontology: LfTagOntology;
  public readonly registrationRole: iam.Role;
  /** Deterministic ARN of {@link registrationRole}, usable from any account. */
  public readonly registrationRoleArn: string;
  public readonly catalogKey?: kms.Key;
  public readonly trail?: cloudtrail.Trail;
  public readonly settings: LakeFormationSettings;
  private readonly catalogKeyAccounts = new Set<string>();

  constructor(scope: Construct, id: string, props: MeshGovernanceProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const c = new ProblemCollector();
    validateMeshName(c, 'meshName', props.meshName);
    const removalPolicy = resolveRemovalPolicy(this, c, props.removalPolicy);
    c.throwIfAny(this);
    this.meshName = props.meshName;
    this.settings = props.lakeFormationSettings ?? LakeFormationSettings.require(this, 'MeshGovernance');

    this.ontology = new LfTagOntology(this, 'Ontology', {
      classificationValues: props.classificationValues,
      tags: props.tags,
      lakeFormationSettings: this.settings,
      removalPolicy,
    });

    this.registrationRoleArn = stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: registrationRoleName(props.meshName) });
    this.registrationRole = new iam.Role(this, 'RegistrationRole', {
      roleName: registrationRoleName(props.meshName),
      assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com'),
      description: `Lake Formation reads and writes the registered product locations of mesh ${props.meshName} with this role`,
    });
    const registrationPolicy = new iam.ManagedPolicy(this, 'RegistrationPolicy', {
      description: `Access of Lake Formation to the product locations of mesh ${props.meshName}`,
      roles: [this.registrationRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'ProductLocations',
          actions: [...S3_REGISTRATION_ACTIONS],
          resources: [`arn:${stack.partition}:s3:::${props.meshName}-*`],
        }),
        new iam.PolicyStatement({
          sid: 'ProducerKeys',
          actions: [...KMS_DECRYPT_ACTIONS, ...KMS_ENCRYPT_ACTIONS],
          resources: [`arn:${stack.partition}:kms:*:*:key/*`],
          conditions: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': `alias/${props.meshName}/*` } },
        }),
      ],
    });
    acknowledgeWildcardResources(registrationPolicy, [`arn:${stack.partition}:s3:::${props.meshName}-*`],
      `Lake Formation vends credentials for every registered product location of the mesh; all mesh buckets are named ${props.meshName}-..., and producers' bucket policies admit this role only to their product locations.`);
    acknowledgeWildcardResources(registrationPolicy, [`arn:${stack.partition}:kms:*:*:key/*`],
      `Producer keys live in the domains' accounts with generated IDs; the statement is limited to keys carrying an alias under alias/${props.meshName}/, and each key policy admits this role by name.`);
    acknowledgeWildcardActions(registrationPolicy, [...KMS_ENCRYPT_ACTIONS],
      'S3 SSE-KMS writes through Lake Formation need GenerateDataKey and ReEncrypt variants; limited to the mesh\'s producer keys.');

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
   * Lets principals of `account` decrypt the catalog (consumers and producers of other accounts read an
   * encrypted catalog with the catalog key). Their own IAM policies must allow it as well.
   */
  public allowCatalogKeyUse(account: string): void {
    if (!this.catalogKey || this.catalogKeyAccounts.has(account) || account === Stack.of(this).account) return;
    this.catalogKeyAccounts.add(account);
    this.catalogKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: `ReadCatalog${account}`,
      principals: [new iam.AccountPrincipal(account)],
      actions: [...KMS_DECRYPT_ACTIONS],
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
      bucketName: domainBucketName(meshName, 'governance', 'audit-access-logs', stack.account, stack.region),
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      lifecycleRules: [{ expiration: Duration.days(DEFAULT_ACCESS_LOG_EXPIRATION_DAYS), noncurrentVersionExpiration: Duration.days(1) }],
    });
    acknowledge(logBucket, ['AwsSolutions-S1', ...inCompliancePacks('S3BucketLoggingEnabled')],
      'Access-log bucket of the audit bucket; logging it into itself would loop.');
    acknowledge(logBucket, inCompliancePacks('S3DefaultEncryptionKMS'),
      'S3 server access logging delivers only to buckets encrypted with S3-managed keys (SSE-S3).');
    acknowledge(logBucket, inCompliancePacks('S3BucketReplicationEnabled'),
      'Access logs of the audit bucket stay in the governance account; replication is an organization-level choice.');
    const bucket = new s3.Bucket(this, 'AuditBucket', {
      bucketName: domainBucketName(meshName, 'governance', 'audit', stack.account, stack.region),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logBucket,
      removalPolicy,
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
    const trail = new cloudtrail.Trail(this, 'AuditTrail', {
      trailName: `${meshName}-audit`,
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
