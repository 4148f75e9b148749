/**
 * Every IAM action list the toolkit grants, in one place, so that a reviewer reads them once.
 * No `*` actions: each list names what the role needs and nothing else.
 */

/** Reading objects of a product location. */
export const S3_READ_ACTIONS: readonly string[] = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetBucketLocation', 's3:ListBucket'];
/** S3 actions on a bucket itself rather than its objects (the rest of each list applies to objects). */
export const S3_BUCKET_LEVEL_ACTIONS: readonly string[] = ['s3:ListBucket', 's3:GetBucketLocation'];
/** Writing objects of a product location (pipelines). */
export const S3_WRITE_ACTIONS: readonly string[] = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
/** Using a KMS key to read objects. */
export const KMS_DECRYPT_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:DescribeKey'];
/** Using a KMS key to write objects. */
export const KMS_ENCRYPT_ACTIONS: readonly string[] = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
/**
 * Using the key of an encrypted Glue Data Catalog, for readers and writers alike: Glue encrypts and decrypts
 * catalog objects with the caller's credentials (https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html).
 */
export const KMS_CATALOG_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

/** Lake Formation credential vending: how principals read governed data. Has no resource-level scoping. */
export const LF_DATA_ACCESS_ACTIONS: readonly string[] = ['lakeformation:GetDataAccess'];
/** The custom resource that merges data lake settings. */
export const LF_SETTINGS_ACTIONS: readonly string[] = ['lakeformation:GetDataLakeSettings', 'lakeformation:PutDataLakeSettings'];
/** The custom resource that manages LF-tags with more than 50 values. */
export const LF_TAG_ACTIONS: readonly string[] = ['lakeformation:GetLFTag', 'lakeformation:CreateLFTag', 'lakeformation:UpdateLFTag', 'lakeformation:DeleteLFTag'];
/** The custom resource that accepts RAM invitations for Lake Formation shares. */
export const RAM_INVITATION_ACTIONS: readonly string[] = ['ram:GetResourceShareInvitations', 'ram:AcceptResourceShareInvitation'];

/** Reading catalog metadata of products (query roles, pipelines). */
export const GLUE_CATALOG_READ_ACTIONS: readonly string[] = [
  'glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetTableVersion', 'glue:GetTableVersions',
  'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition',
];
/** Maintaining the tables and partitions of the domain's own products (pipelines). */
export const GLUE_CATALOG_WRITE_ACTIONS: readonly string[] = [
  'glue:CreateTable', 'glue:UpdateTable', 'glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition',
  'glue:BatchUpdatePartition', 'glue:DeletePartition', 'glue:BatchDeletePartition',
];
/** Running queries in the domain's workgroup. */
export const ATHENA_QUERY_ACTIONS: readonly string[] = [
  'athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults',
  'athena:GetQueryResultsStream', 'athena:GetWorkGroup', 'athena:ListQueryExecutions', 'athena:BatchGetQueryExecution',
];
/** Athena results bucket: the query role reads and writes its results. */
export const S3_RESULTS_ACTIONS: readonly string[] = [...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS];
/** What Lake Formation's registration role does on registered locations. */
export const S3_REGISTRATION_ACTIONS: readonly string[] = [...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS];
/** What a Glue Data Quality evaluation run does as its role (besides reading the table through Lake Formation). */
export const GLUE_QUALITY_RUN_ACTIONS: readonly string[] = [
  'glue:GetDataQualityRuleset', 'glue:PublishDataQuality', 'glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions',
];
/** What EventBridge Scheduler does to start a ruleset evaluation. */
export const GLUE_QUALITY_START_ACTIONS: readonly string[] = ['glue:StartDataQualityRulesetEvaluationRun'];
/** Where Glue Data Quality runs write their logs and metrics. */
export const GLUE_QUALITY_LOG_ACTIONS: readonly string[] = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
/** The Lake Formation administration function's record of the admins it added (one SSM parameter). */
export const LF_ADMINS_RECORD_ACTIONS: readonly string[] = ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'];
/** Checking whether a recorded data lake admin's IAM role or user still exists. */
export const IAM_PRINCIPAL_LOOKUP_ACTIONS: readonly string[] = ['iam:GetRole', 'iam:GetUser'];
/** Inspecting RAM shares before and after accepting them: what a pending share holds, what is shared with the account. */
export const RAM_SHARE_INSPECTION_ACTIONS: readonly string[] = ['ram:ListPendingInvitationResources', 'ram:ListResources'];

/** The Lake Formation administration function creates the catalog's `default` database when it is missing. */
export const GLUE_DEFAULT_DATABASE_ACTIONS: readonly string[] = ['glue:GetDatabase', 'glue:CreateDatabase'];
