import { CLASSIFICATION_TAG_KEY } from '../defaults';
import { AccessEntry, CatalogIndex, DatabaseModel, TableModel, compareStrings, expressionMatches, tableKey } from '../access';
import {
  Caller, StepResult, StepSpec, StepStatus, dataLocationCheck, factCheck, findKey, findRole, iamCheck, kmsCheck, lfPermissionCheck, trustCheck,
} from './checks';
import type { ContextValue } from './iam';
import type { RoleInfo, World } from './world';

/** The actors' jobs the paths walk. */
export type PathKind = 'cloudtrail' | 'writer' | 'credential-vending' | 'domain-query' | 'consumer-query' | 'data-quality' | 'alarm-notification';

export const PATH_KINDS: readonly { readonly kind: PathKind; readonly title: string }[] = [
  { kind: 'cloudtrail', title: 'CloudTrail writes the audit log' },
  { kind: 'writer', title: 'A domain pipeline writes a product and its tables' },
  { kind: 'credential-vending', title: 'Lake Formation vends credentials for a product location' },
  { kind: 'domain-query', title: 'A domain queries its own product in Athena' },
  { kind: 'consumer-query', title: 'A consumer queries a subscribed product (and is refused columns above its classification)' },
  { kind: 'data-quality', title: 'A data quality ruleset is evaluated on schedule' },
  { kind: 'alarm-notification', title: 'A freshness alarm notifies its encrypted topic' },
];

export interface PathResult {
  readonly kind: PathKind;
  /** Which instance (product, table, role...). */
  readonly instance: string;
  /** The status of the first step that is not ok (`ok` when every step is). */
  readonly status: StepStatus;
  readonly steps: readonly StepResult[];
  /** The first step that is not ok. */
  readonly firstProblem?: StepResult;
}

export interface PathsReport {
  readonly paths: readonly PathResult[];
  readonly summary: Readonly<Record<PathKind, { readonly total: number; readonly ok: number; readonly fail: number; readonly unknown: number }>>;
  /** Every path is ok. */
  readonly ok: boolean;
}

// AWS documentation each step cites.
const DOC_IAM_EVALUATION = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html';
const DOC_IAM_CROSS_ACCOUNT = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html';
const DOC_PASS_ROLE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html';
const DOC_KMS_ROOT_DELEGATION = 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam';
const DOC_KMS_CROSS_ACCOUNT = 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html';
const DOC_CLOUDTRAIL_BUCKET = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html';
const DOC_CLOUDTRAIL_KMS = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html';
const DOC_CLOUDTRAIL_LOGS = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html';
const DOC_LOGS_KMS = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html';
const DOC_S3_SSE_KMS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html';
const DOC_S3_POLICIES = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html';
const DOC_S3_BUCKET_KEY_CONTEXT = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html';
const DOC_GLUE_ARNS = 'https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html';
const DOC_GLUE_CATALOG_KMS = 'https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html';
const DOC_ATHENA_CATALOG_KMS = 'https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html';
const DOC_LF_CROSS_ACCOUNT = 'https://docs.aws.amazon.com/lake-formation/latest/dg/cross-account-permissions.html';
const DOC_LF_EXPLICIT_DESCRIBE = 'https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-permissions.html';
const DOC_LF_PERMISSIONS = 'https://docs.aws.amazon.com/lake-formation/latest/dg/lf-permissions-reference.html';
const DOC_LF_DATA_LOCATION = 'https://docs.aws.amazon.com/lake-formation/latest/dg/access-control-underlying-data.html';
const DOC_LF_DATA_LOCATION_EXTERNAL = 'https://docs.aws.amazon.com/lake-formation/latest/dg/granting-location-permissions-external.html';
const DOC_LF_REGISTRATION_ROLE = 'https://docs.aws.amazon.com/lake-formation/latest/dg/registration-role.html';
const DOC_LF_REGISTER_CROSS_ENCRYPTED = 'https://docs.aws.amazon.com/lake-formation/latest/dg/register-cross-encrypted.html';
const DOC_LF_RESOURCE_LINKS = 'https://docs.aws.amazon.com/lake-formation/latest/dg/resource-links-about.html';
const DOC_LF_GET_DATA_ACCESS = 'https://docs.aws.amazon.com/lake-formation/latest/dg/access-control-underlying-data.html';
const DOC_ATHENA_LF_DEFAULT_DB = 'https://docs.aws.amazon.com/athena/latest/ug/lf-athena-limitations.html';
const DOC_ATHENA_WORKGROUP_IAM = 'https://docs.aws.amazon.com/athena/latest/ug/workgroups-iam-policy.html';
const DOC_ATHENA_RESULTS_KMS = 'https://docs.aws.amazon.com/athena/latest/ug/encryption.html';
const DOC_GLUE_DQ_IAM = 'https://docs.aws.amazon.com/glue/latest/dg/data-quality-authorization.html';
const DOC_SCHEDULER_ROLE = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html';
const DOC_GLUE_SERVICE_ROLE = 'https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html';
const DOC_SNS_SERVICE_PUBLISH = 'https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html';
const DOC_SNS_KMS_SERVICES = 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html';

/** Walks every path instance the assembly declares. */
export function checkPaths(world: World): PathsReport {
  const paths: PathResult[] = [
    ...cloudTrailPaths(world),
    ...writerPaths(world),
    ...vendingPaths(world),
    ...domainQueryPaths(world),
    ...consumerQueryPaths(world),
    ...dataQualityPaths(world),
    ...alarmPaths(world),
  ];
  const summary = {} as Record<PathKind, { total: number; ok: number; fail: number; unknown: number }>;
  for (const { kind } of PATH_KINDS) {
    const of = paths.filter((p) => p.kind === kind);
    summary[kind] = { total: of.length, ok: of.filter((p) => p.status === 'ok').length, fail: of.filter((p) => p.status === 'fail').length, unknown: of.filter((p) => p.status === 'unknown').length };
  }
  return { paths, summary, ok: paths.every((p) => p.status === 'ok') };
}

function path(kind: PathKind, instance: string, steps: StepResult[]): PathResult {
  const firstProblem = steps.find((s) => s.status !== 'ok');
  return { kind, instance, status: firstProblem?.status ?? 'ok', steps, ...(firstProblem ? { firstProblem } : {}) };
}

function spec(step: string, call: string, principal: string, resource: string, doc: string): StepSpec {
  return { step, call, principal, resource, doc };
}

function partitionOf(world: World, stack: string): string {
  return world.stacks.find((s) => s.id === stack)?.partition ?? 'aws';
}

function regionOf(world: World, stack: string): string {
  return world.stacks.find((s) => s.id === stack)?.region ?? 'unknown-region';
}

// ---------------------------------------------------------------------------------------------------------------
// 1. CloudTrail

function cloudTrailPaths(world: World): PathResult[] {
  return world.trails.map((trail) => {
    const ct: Caller = { kind: 'service', service: 'cloudtrail.amazonaws.com' };
    const source = { 'aws:SourceArn': trail.arn, 'aws:SourceAccount': trail.account };
    const steps: StepResult[] = [];
    const bucket = world.buckets.find((b) => b.name === trail.bucketName);
    const bucketArn = `arn:${trail.partition}:s3:::${trail.bucketName}`;
    const object = `${bucketArn}/AWSLogs/${trail.account}/CloudTrail/${trail.region}/log-file.json.gz`;
    const common = { caller: ct, resourceAccount: bucket?.account ?? trail.account, resourceLabel: `bucket ${trail.bucketName}`, ...(bucket?.policy ? { resourcePolicy: bucket.policy } : {}) };
    steps.push(iamCheck(spec('CloudTrail checks the bucket ACL', 's3:GetBucketAcl', ct.service, bucketArn, DOC_CLOUDTRAIL_BUCKET),
      { ...common, action: 's3:GetBucketAcl', resource: bucketArn, context: source }));
    steps.push(iamCheck(spec('CloudTrail writes a log file', 's3:PutObject', ct.service, object, DOC_CLOUDTRAIL_BUCKET),
      { ...common, action: 's3:PutObject', resource: object, context: { ...source, 's3:x-amz-acl': 'bucket-owner-full-control' } }));
    if (trail.kmsKey) {
      const kmsContext = { ...source, 'kms:EncryptionContext:aws:cloudtrail:arn': trail.arn };
      steps.push(kmsCheck(spec('CloudTrail encrypts the log file with the trail key', 'kms:GenerateDataKey', ct.service, trail.kmsKey, DOC_CLOUDTRAIL_KMS),
        world, ct, 'kms:GenerateDataKey', trail.kmsKey, kmsContext));
      steps.push(kmsCheck(spec('CloudTrail describes the trail key', 'kms:DescribeKey', ct.service, trail.kmsKey, DOC_CLOUDTRAIL_KMS),
        world, ct, 'kms:DescribeKey', trail.kmsKey, source));
    }
    if (trail.logGroupArn && trail.logsRoleArn) {
      const group = trail.logGroupArn.replace(/:\*$/, '');
      const stream = `${group}:log-stream:${trail.account}_CloudTrail_${trail.region}`;
      steps.push(trustCheck(spec('CloudTrail assumes its CloudWatch Logs role', 'sts:AssumeRole', ct.service, trail.logsRoleArn, DOC_CLOUDTRAIL_LOGS),
        world, trail.logsRoleArn, ct, source));
      const role = findRole(world, trail.logsRoleArn);
      if (role) {
        for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
          steps.push(iamCheck(spec('CloudTrail delivers events to the log group', action, role.arn, stream, DOC_CLOUDTRAIL_LOGS),
            { caller: { kind: 'role', role }, action, resource: stream, resourceAccount: trail.account, resourceLabel: `log group ${group}` }));
        }
      }
      const logGroup = world.logGroups.find((g) => g.arn === group);
      if (logGroup?.kmsKey) {
        const logs: Caller = { kind: 'service', service: `logs.${logGroup.region}.amazonaws.com` };
        for (const action of ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt']) {
          steps.push(kmsCheck(spec('CloudWatch Logs encrypts the log group with its key', action, logs.service, logGroup.kmsKey, DOC_LOGS_KMS),
            world, logs, action, logGroup.kmsKey, { 'kms:EncryptionContext:aws:logs:arn': group }));
        }
      }
    }
    return path('cloudtrail', `trail ${trail.name} (${trail.stack}/${trail.logicalId})`, steps);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Products of the catalog

interface Product {
  readonly db: DatabaseModel;
  readonly mesh: string;
  readonly domain: string;
  readonly producerAccount: string;
  readonly catalogId: string;
  readonly region: string;
  readonly partition: string;
  readonly bucket: string;
  readonly prefix: string;
  /** `arn:<partition>:s3:::bucket[/prefix]` */
  readonly locationArn: string;
  readonly tables: readonly TableModel[];
}

function products(world: World): Product[] {
  const out: Product[] = [];
  for (const db of world.catalog.databases) {
    if (db.isLink || db.parameters.data_product !== 'true' || db.locationUri === undefined) continue;
    const m = /^s3:\/\/([^/]+)\/?(.*?)\/*$/.exec(db.locationUri);
    if (!m) continue;
    const partition = partitionOf(world, db.stack);
    out.push({
      db, mesh: db.parameters.mesh ?? '', domain: db.parameters.domain ?? '', producerAccount: db.parameters.producer_account ?? db.catalogId,
      catalogId: db.catalogId, region: regionOf(world, db.stack), partition, bucket: m[1], prefix: m[2],
      locationArn: `arn:${partition}:s3:::${m[1]}${m[2] ? `/${m[2]}` : ''}`,
      tables: world.catalog.tables.filter((t) => t.catalogId === db.catalogId && t.databaseName === db.name),
    });
  }
  return out;
}

function domainRole(world: World, mesh: string, domain: string, purpose: 'writer' | 'query', account: string): RoleInfo | undefined {
  return world.roles.find((r) => r.name === `${mesh}-${domain}-${purpose}` && r.account === account);
}

function glueArns(p: { partition: string; region: string; catalogId: string }, database?: string, table?: string): string[] {
  const base = `arn:${p.partition}:glue:${p.region}:${p.catalogId}`;
  return [`${base}:catalog`, ...(database !== undefined ? [`${base}:database/${database}`] : []), ...(database !== undefined && table !== undefined ? [`${base}:table/${database}/${table}`] : [])];
}

function glueIdentitySteps(step: string, role: RoleInfo, actions: readonly string[], arns: readonly string[]): StepResult[] {
  const out: StepResult[] = [];
  for (const action of actions) {
    for (const arn of arns) {
      out.push(iamCheck(spec(step, action, role.arn, arn, DOC_GLUE_ARNS),
        { caller: { kind: 'role', role }, action, resource: arn, resourceAccount: role.account, resourceLabel: arn, identityOnly: true }));
    }
  }
  return out;
}

function catalogKeySteps(world: World, role: RoleInfo, catalogId: string, region: string, doc: string): StepResult[] {
  const key = world.catalogKeys[catalogId];
  if (!key) return [];
  return ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'].map((action) => kmsCheck(
    spec(`Glue reads and writes the catalog of account ${catalogId}, encrypted with its catalog key`, action, role.arn, key, doc),
    world, { kind: 'role', role }, action, key, { 'kms:ViaService': `glue.${region}.amazonaws.com` }));
}

function getDataAccessStep(role: RoleInfo): StepResult {
  return iamCheck(spec('Lake Formation vends credentials to the engine', 'lakeformation:GetDataAccess', role.arn, '*', DOC_LF_GET_DATA_ACCESS),
    { caller: { kind: 'role', role }, action: 'lakeformation:GetDataAccess', resource: '*', resourceAccount: role.account, resourceLabel: 'Lake Formation' });
}

function s3KmsContext(world: World, bucketName: string, object: string): Record<string, ContextValue> {
  const bucket = world.buckets.find((b) => b.name === bucketName);
  return {
    'kms:ViaService': `s3.${bucket?.region ?? 'unknown-region'}.amazonaws.com`,
    'kms:EncryptionContext:aws:s3:arn': bucket?.bucketKeyEnabled ? bucket.arn : object,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Writer pipeline

function writerPaths(world: World): PathResult[] {
  return products(world).map((p) => {
    const instance = `${p.domain} writer → ${p.db.name}`;
    const role = domainRole(world, p.mesh, p.domain, 'writer', p.producerAccount);
    const roleArn = `arn:${p.partition}:iam::${p.producerAccount}:role/${p.mesh}-${p.domain}-writer`;
    if (!role) {
      return path('writer', instance, [factCheck(spec('The domain has a writer role', 'iam:GetRole', roleArn, roleArn, DOC_IAM_EVALUATION),
        'role exists', false, `role ${roleArn} is not defined in the assembly`)]);
    }
    const caller: Caller = { kind: 'role', role };
    const steps: StepResult[] = [];
    const tableName = p.tables[0]?.name ?? 'new_table';
    const object = `${p.locationArn}/${tableName}/part-00000.parquet`;
    const bucket = world.buckets.find((b) => b.name === p.bucket);
    steps.push(iamCheck(spec('The pipeline writes an object to the product location', 's3:PutObject', role.arn, object, DOC_S3_POLICIES), {
      caller, action: 's3:PutObject', resource: object, resourceAccount: bucket?.account ?? p.producerAccount, resourceLabel: `bucket ${p.bucket}`,
      ...(bucket?.policy ? { resourcePolicy: bucket.policy } : {}),
    }));
    if (bucket?.kmsKeyArn) {
      for (const action of ['kms:GenerateDataKey', 'kms:Encrypt']) {
        steps.push(kmsCheck(spec('S3 encrypts the object with the domain key (SSE-KMS)', action, role.arn, bucket.kmsKeyArn, DOC_S3_SSE_KMS),
          world, caller, action, bucket.kmsKeyArn, s3KmsContext(world, p.bucket, object)));
      }
    } else if (!bucket) {
      steps.push({ ...spec('S3 encrypts the object with the bucket key', 'kms:GenerateDataKey', role.arn, p.bucket, DOC_S3_SSE_KMS), permission: 'key policy', status: 'unknown', reason: `bucket ${p.bucket} is not in the assembly` });
    }
    const arnsOf = (table: string) => glueArns(p, p.db.name, table);
    steps.push(...glueIdentitySteps('The pipeline creates a table in the governance catalog', role, ['glue:CreateTable'], arnsOf(tableName)));
    steps.push(...glueIdentitySteps('The pipeline adds a partition and updates the table', role, ['glue:CreatePartition', 'glue:UpdateTable'], arnsOf(tableName)));
    steps.push(...catalogKeySteps(world, role, p.catalogId, p.region, DOC_GLUE_CATALOG_KMS));
    const lfDoc = role.account === p.catalogId ? DOC_LF_PERMISSIONS : DOC_LF_EXPLICIT_DESCRIBE;
    steps.push(lfPermissionCheck(spec('Lake Formation lets the pipeline see the product database', 'lakeformation:DESCRIBE', role.arn, `${p.catalogId}:${p.db.name}`, lfDoc),
      world, role.arn, 'DESCRIBE', p.catalogId, p.db.name));
    steps.push(lfPermissionCheck(spec('Lake Formation lets the pipeline create tables in the product database', 'lakeformation:CREATE_TABLE', role.arn, `${p.catalogId}:${p.db.name}`, DOC_LF_PERMISSIONS),
      world, role.arn, 'CREATE_TABLE', p.catalogId, p.db.name));
    steps.push(dataLocationCheck(spec('Lake Formation lets the pipeline point tables at the product location', 'lakeformation:DATA_LOCATION_ACCESS', role.arn, p.locationArn,
      role.account === p.catalogId ? DOC_LF_DATA_LOCATION : DOC_LF_DATA_LOCATION_EXTERNAL), world, role.arn, p.catalogId, p.locationArn));
    for (const t of p.tables) {
      for (const permission of ['INSERT', 'ALTER']) {
        steps.push(lfPermissionCheck(spec('Lake Formation lets the pipeline write and alter the table', `lakeformation:${permission}`, role.arn, tableKey(p.catalogId, p.db.name, t.name), DOC_LF_PERMISSIONS),
          world, role.arn, permission, p.catalogId, p.db.name, t.name));
      }
    }
    steps.push(getDataAccessStep(role));
    return path('writer', instance, steps);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Credential vending through the registration role

/** The steps the registration role takes to read (and, with `write`, write) a location: S3 and the bucket's key. */
function registrationAccessSteps(world: World, role: RoleInfo, locationArn: string, write: boolean): StepResult[] {
  const m = /^arn:[^:]+:s3:::([^/]+)\/?(.*)$/.exec(locationArn);
  if (!m) return [{ ...spec('The location is an S3 ARN', 's3:GetObject', role.arn, locationArn, DOC_LF_REGISTRATION_ROLE), permission: '', status: 'unknown', reason: `${locationArn} is not an S3 ARN` }];
  const [, bucketName, prefix] = m;
  const bucket = world.buckets.find((b) => b.name === bucketName);
  const caller: Caller = { kind: 'role', role };
  const object = `${locationArn.replace(/\/+$/, '')}/table/part-00000.parquet`;
  const bucketArn = locationArn.slice(0, locationArn.length - (prefix ? prefix.length + 1 : 0));
  const cross = bucket !== undefined && bucket.account !== role.account;
  const doc = cross ? DOC_IAM_CROSS_ACCOUNT : DOC_LF_REGISTRATION_ROLE;
  const common = { caller, resourceAccount: bucket?.account ?? 'unknown-account', resourceLabel: `bucket ${bucketName}`, ...(bucket?.policy ? { resourcePolicy: bucket.policy } : {}) };
  const steps: StepResult[] = [];
  if (!bucket) {
    return [{ ...spec('The registered location is a bucket of the assembly', 's3:GetObject', role.arn, locationArn, doc), permission: '', status: 'unknown', reason: `bucket ${bucketName} is not in the assembly: its bucket policy is unknown` }];
  }
  steps.push(iamCheck(spec('Lake Formation lists the location with the registration role', 's3:ListBucket', role.arn, bucketArn, doc),
    { ...common, action: 's3:ListBucket', resource: bucketArn, context: prefix ? { 's3:prefix': `${prefix}/` } : {} }));
  steps.push(iamCheck(spec('Lake Formation reads objects with the registration role', 's3:GetObject', role.arn, object, doc), { ...common, action: 's3:GetObject', resource: object }));
  if (write) steps.push(iamCheck(spec('Lake Formation writes objects with the registration role', 's3:PutObject', role.arn, object, doc), { ...common, action: 's3:PutObject', resource: object }));
  if (bucket.kmsKeyArn) {
    const kmsDoc = cross ? DOC_LF_REGISTER_CROSS_ENCRYPTED : DOC_S3_SSE_KMS;
    for (const action of write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt']) {
      steps.push(kmsCheck(spec('S3 decrypts and encrypts the objects with the producer key', action, role.arn, bucket.kmsKeyArn, kmsDoc),
        world, caller, action, bucket.kmsKeyArn, s3KmsContext(world, bucketName, object)));
    }
  }
  return steps;
}

function vendingPaths(world: World): PathResult[] {
  return world.registrations.map((reg) => {
    const instance = `${reg.resourceArn} (${reg.stack}/${reg.logicalId})`;
    const registered = spec('The location is registered with a user-defined role', 'lakeformation:RegisterResource', reg.roleArn ?? '(service-linked role)', reg.resourceArn, DOC_LF_REGISTRATION_ROLE);
    const steps: StepResult[] = [factCheck(registered, 'AWS::LakeFormation::Resource RoleArn', !reg.useServiceLinkedRole && reg.roleArn !== undefined,
      `${reg.stack}/${reg.logicalId} registers ${reg.resourceArn} with the service-linked role; a user-defined role is needed across accounts and with KMS`,
      `${reg.stack}/${reg.logicalId}`)];
    if (reg.roleArn === undefined) return path('credential-vending', instance, steps);
    steps.push(trustCheck(spec('Lake Formation assumes the registration role', 'sts:AssumeRole', 'lakeformation.amazonaws.com', reg.roleArn, DOC_LF_REGISTRATION_ROLE),
      world, reg.roleArn, { kind: 'service', service: 'lakeformation.amazonaws.com' }));
    const role = findRole(world, reg.roleArn);
    if (role) steps.push(...registrationAccessSteps(world, role, reg.resourceArn, true));
    return path('credential-vending', instance, steps);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 4 and 5. Queries

function queryRoleDomain(world: World, role: RoleInfo): { mesh: string; domain: string } | undefined {
  for (const p of products(world)) {
    const prefix = `${p.mesh}-`;
    if (role.name.startsWith(prefix) && role.name.endsWith('-query')) return { mesh: p.mesh, domain: role.name.slice(prefix.length, -'-query'.length) };
  }
  return undefined;
}

function accessEntry(world: World, principal: string, catalogId: string, database: string): AccessEntry | undefined {
  return world.access.entries.find((e) => e.principal === principal && e.catalogId === catalogId && e.database === database);
}

function querySteps(world: World, role: RoleInfo, mesh: string, domain: string, p: Product, table: TableModel): StepResult[] {
  const caller: Caller = { kind: 'role', role };
  const steps: StepResult[] = [];
  const wgName = `${mesh}-${domain}`;
  const wg = world.workgroups.find((w) => w.name === wgName && w.account === role.account);
  const wgArn = `arn:${role.partition}:athena:${wg?.region ?? role.region}:${role.account}:workgroup/${wgName}`;
  steps.push(iamCheck(spec('The analyst starts a query in the domain workgroup', 'athena:StartQueryExecution', role.arn, wgArn, DOC_ATHENA_WORKGROUP_IAM),
    { caller, action: 'athena:StartQueryExecution', resource: wgArn, resourceAccount: role.account, resourceLabel: `workgroup ${wgName}` }));
  if (!wg) {
    steps.push(factCheck(spec('The domain has an Athena workgroup', 'athena:GetWorkGroup', role.arn, wgArn, DOC_ATHENA_WORKGROUP_IAM), 'workgroup exists', false,
      `workgroup ${wgName} of account ${role.account} is not defined in the assembly`));
    return steps;
  }
  const out = /^s3:\/\/([^/]+)\/?(.*)$/.exec(wg.outputLocation ?? '');
  if (out) {
    const bucket = world.buckets.find((b) => b.name === out[1]);
    const object = `arn:${role.partition}:s3:::${out[1]}/${out[2]}query-id.csv`;
    const common = { caller, resourceAccount: bucket?.account ?? role.account, resourceLabel: `bucket ${out[1]}`, ...(bucket?.policy ? { resourcePolicy: bucket.policy } : {}) };
    steps.push(iamCheck(spec('Athena writes the query results', 's3:PutObject', role.arn, object, DOC_ATHENA_RESULTS_KMS), { ...common, action: 's3:PutObject', resource: object }));
    steps.push(iamCheck(spec('Athena reads the query results', 's3:GetObject', role.arn, object, DOC_ATHENA_RESULTS_KMS), { ...common, action: 's3:GetObject', resource: object }));
    if (wg.encryptionOption === 'SSE_KMS' && wg.kmsKey) {
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        steps.push(kmsCheck(spec('Athena encrypts and decrypts the results with the workgroup key (SSE_KMS)', action, role.arn, wg.kmsKey, DOC_ATHENA_RESULTS_KMS),
          world, caller, action, wg.kmsKey, s3KmsContext(world, out[1], object)));
      }
    }
  }
  const cross = role.account !== p.catalogId;
  const entry = accessEntry(world, role.arn, p.catalogId, p.db.name);
  const linkName = entry?.throughLink?.split(':')[1] ?? p.db.name;
  if (cross) {
    const own = { partition: role.partition, region: role.region, catalogId: role.account };
    steps.push(...glueIdentitySteps('Athena reads the resource link in the querying account\'s catalog', role, ['glue:GetDatabase'], glueArns(own, linkName)));
  }
  steps.push(...glueIdentitySteps('Athena reads the product database and table', role, ['glue:GetDatabase'], glueArns(p, p.db.name)));
  steps.push(...glueIdentitySteps('Athena reads the product database and table', role, ['glue:GetTable'], glueArns(p, p.db.name, table.name)));
  steps.push(...catalogKeySteps(world, role, p.catalogId, p.region, DOC_ATHENA_CATALOG_KMS));
  steps.push(lfPermissionCheck(spec('Athena needs DESCRIBE on the default database of the querying account', 'lakeformation:DESCRIBE', role.arn, `${role.account}:default`, DOC_ATHENA_LF_DEFAULT_DB),
    world, role.arn, 'DESCRIBE', role.account, 'default'));
  const via = entry ? entry.via.map((g) => `grant ${g}`) : [];
  if (cross) {
    steps.push(entry?.throughLink
      ? { ...spec('The role describes its resource link', 'lakeformation:DESCRIBE', role.arn, entry.throughLink, DOC_LF_RESOURCE_LINKS), permission: 'Lake Formation DESCRIBE on the link', status: 'ok', allowedBy: via }
      : { ...spec('The role describes its resource link', 'lakeformation:DESCRIBE', role.arn, `${role.account}:${p.db.name}`, DOC_LF_RESOURCE_LINKS), permission: 'Lake Formation DESCRIBE on the link', status: 'fail',
        missing: `no resource link in account ${role.account} to ${p.catalogId}:${p.db.name} that ${role.arn} may DESCRIBE` });
  }
  const dbResource = `${p.catalogId}:${p.db.name}`;
  steps.push(entry?.describe
    ? { ...spec('The role describes the product database', 'lakeformation:DESCRIBE', role.arn, dbResource, cross ? DOC_LF_EXPLICIT_DESCRIBE : DOC_LF_PERMISSIONS), permission: 'Lake Formation DESCRIBE', status: 'ok', allowedBy: via }
    : { ...spec('The role describes the product database', 'lakeformation:DESCRIBE', role.arn, dbResource, cross ? DOC_LF_EXPLICIT_DESCRIBE : DOC_LF_PERMISSIONS), permission: 'Lake Formation DESCRIBE', status: 'fail',
      missing: `no Lake Formation grant of DESCRIBE on database ${dbResource} to ${role.arn}` });
  const select = entry?.tables[table.name]?.select ?? 'none';
  const tk = tableKey(p.catalogId, p.db.name, table.name);
  steps.push(select !== 'none'
    ? { ...spec('The role selects columns of the table', 'lakeformation:SELECT', role.arn, tk, DOC_LF_PERMISSIONS), permission: 'Lake Formation SELECT', status: 'ok',
      allowedBy: [`columns: ${select === 'all' ? 'all' : select.join(', ')}`, ...via] }
    : { ...spec('The role selects columns of the table', 'lakeformation:SELECT', role.arn, tk, DOC_LF_PERMISSIONS), permission: 'Lake Formation SELECT', status: 'fail',
      missing: `no Lake Formation grant of SELECT on any column of ${tk} to ${role.arn}` });
  steps.push(getDataAccessStep(role));
  return steps;
}

function domainQueryPaths(world: World): PathResult[] {
  const out: PathResult[] = [];
  for (const p of products(world)) {
    const role = domainRole(world, p.mesh, p.domain, 'query', p.producerAccount);
    for (const t of p.tables) {
      const instance = `${p.domain} query → ${tableKey(p.catalogId, p.db.name, t.name)}`;
      if (!role) {
        const arn = `arn:${p.partition}:iam::${p.producerAccount}:role/${p.mesh}-${p.domain}-query`;
        out.push(path('domain-query', instance, [factCheck(spec('The domain has a query role', 'iam:GetRole', arn, arn, DOC_IAM_EVALUATION), 'role exists', false, `role ${arn} is not defined in the assembly`)]));
        continue;
      }
      out.push(path('domain-query', instance, querySteps(world, role, p.mesh, p.domain, p, t)));
    }
  }
  return out;
}

/** Columns a consumer must not see: classifications outside what its grants allow. */
function refusedColumns(world: World, role: RoleInfo, p: Product, table: TableModel): string[] {
  const schema = world.access.schema[tableKey(p.catalogId, p.db.name, table.name)];
  const grants = world.catalog.grants.filter((g) => g.principal === role.arn && g.resource.catalogId === p.catalogId);
  const allowed = new Set<string>();
  let byTag = false;
  const index = new CatalogIndex(world.catalog);
  const tags = index.tableTags(table);
  for (const g of grants) {
    if (g.resource.kind !== 'LFTagPolicy' || g.resource.resourceType !== 'TABLE') continue;
    const c = g.resource.expression.find((e) => e.key === CLASSIFICATION_TAG_KEY);
    // Only the grants whose other conditions select this table say what its consumer may see.
    const rest = g.resource.expression.filter((e) => e.key !== CLASSIFICATION_TAG_KEY);
    if (!c || (rest.length > 0 && !expressionMatches(rest, tags))) continue;
    byTag = true;
    for (const v of c.values) allowed.add(v);
  }
  const excluded = new Set<string>();
  for (const g of grants) {
    const r = g.resource;
    if (r.kind === 'TableWithColumns' && r.databaseName === p.db.name && r.name === table.name) for (const c of r.excludedColumnNames ?? []) excluded.add(c);
  }
  return table.columns.map((c) => c.name).filter((c) => {
    const cls = schema?.classifications[c];
    return excluded.has(c) || (byTag && cls !== undefined && !allowed.has(cls));
  }).sort(compareStrings);
}

function consumerQueryPaths(world: World): PathResult[] {
  const out: PathResult[] = [];
  const byDb = new Map(products(world).map((p) => [`${p.catalogId}:${p.db.name}`, p]));
  for (const role of world.roles) {
    const rd = queryRoleDomain(world, role);
    if (!rd) continue;
    for (const e of world.access.entries.filter((x) => x.principal === role.arn)) {
      const p = byDb.get(`${e.catalogId}:${e.database}`);
      if (!p || p.domain === rd.domain) continue;
      for (const t of p.tables) {
        if (!(t.name in e.tables)) continue;
        const steps = querySteps(world, role, rd.mesh, rd.domain, p, t);
        const select = e.tables[t.name].select;
        const tk = tableKey(p.catalogId, p.db.name, t.name);
        for (const c of refusedColumns(world, role, p, t)) {
          const cls = world.access.schema[tk]?.classifications[c];
          const selectable = select === 'all' || (Array.isArray(select) && select.includes(c));
          steps.push(selectable
            ? { ...spec(`Lake Formation refuses column ${c}${cls ? ` (${cls})` : ''} above the consumer's classification`, 'lakeformation:SELECT (refused)', role.arn, `${tk}.${c}`, DOC_LF_PERMISSIONS),
              permission: 'no Lake Formation SELECT', status: 'fail', missing: `${role.arn} may SELECT ${tk}.${c}${cls ? ` classified ${cls}` : ''} (grants ${e.via.join(', ')})` }
            : { ...spec(`Lake Formation refuses column ${c}${cls ? ` (${cls})` : ''} above the consumer's classification`, 'lakeformation:SELECT (refused)', role.arn, `${tk}.${c}`, DOC_LF_PERMISSIONS),
              permission: 'no Lake Formation SELECT', status: 'ok', allowedBy: ['not selectable'] });
        }
        out.push(path('consumer-query', `${rd.domain} query → ${tk}${e.throughLink ? ` (link ${e.throughLink})` : ''}`, steps));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 6. Data quality

function dataQualityPaths(world: World): PathResult[] {
  const prods = products(world);
  return world.rulesets.map((rs) => {
    const instance = `ruleset ${rs.name} (${rs.stack}/${rs.logicalId})`;
    const steps: StepResult[] = [];
    const schedule = world.schedules.find((s) => Array.isArray(s.input?.RulesetNames) && (s.input!.RulesetNames as unknown[]).includes(rs.name));
    const scheduled = spec('A schedule starts the evaluation', 'scheduler:CreateSchedule', '(schedule)', rs.arn, DOC_SCHEDULER_ROLE);
    steps.push(factCheck(scheduled, 'AWS::Scheduler::Schedule', schedule !== undefined, `no schedule starts ruleset ${rs.name}`, schedule ? `${schedule.stack}/${schedule.logicalId}` : undefined));
    if (!schedule) return path('data-quality', instance, steps);
    const scheduler: Caller = { kind: 'service', service: 'scheduler.amazonaws.com' };
    const scheduleArn = `arn:${schedule.partition}:scheduler:${schedule.region}:${schedule.account}:schedule/default/${schedule.logicalId}`;
    steps.push(trustCheck(spec('EventBridge Scheduler assumes the scheduler role', 'sts:AssumeRole', scheduler.service, schedule.roleArn, DOC_SCHEDULER_ROLE),
      world, schedule.roleArn, scheduler, { 'aws:SourceAccount': schedule.account, 'aws:SourceArn': scheduleArn }));
    const schedulerRole = findRole(world, schedule.roleArn);
    const runRoleArn = typeof schedule.input?.Role === 'string' ? schedule.input.Role : '';
    if (schedulerRole) {
      const c: Caller = { kind: 'role', role: schedulerRole };
      steps.push(iamCheck(spec('The scheduler role starts the ruleset evaluation', 'glue:StartDataQualityRulesetEvaluationRun', schedulerRole.arn, rs.arn, DOC_GLUE_DQ_IAM),
        { caller: c, action: 'glue:StartDataQualityRulesetEvaluationRun', resource: rs.arn, resourceAccount: rs.account, resourceLabel: `ruleset ${rs.name}` }));
      steps.push(iamCheck(spec('The scheduler role passes the run role to Glue', 'iam:PassRole', schedulerRole.arn, runRoleArn, DOC_PASS_ROLE),
        { caller: c, action: 'iam:PassRole', resource: runRoleArn, resourceAccount: schedulerRole.account, resourceLabel: `role ${runRoleArn}`, context: { 'iam:PassedToService': 'glue.amazonaws.com' } }));
    }
    steps.push(trustCheck(spec('Glue assumes the run role', 'sts:AssumeRole', 'glue.amazonaws.com', runRoleArn, DOC_GLUE_SERVICE_ROLE),
      world, runRoleArn, { kind: 'service', service: 'glue.amazonaws.com' }));
    const runRole = findRole(world, runRoleArn);
    const p = prods.find((x) => x.catalogId === rs.account && x.db.name === rs.database);
    const table = p?.tables.find((t) => t.name === rs.table);
    if (!runRole || !p || !table) {
      if (runRole) steps.push(factCheck(spec('The ruleset targets a table of the assembly', 'glue:GetTable', runRole.arn, `${rs.database}.${rs.table}`, DOC_GLUE_DQ_IAM), 'table exists', false, `table ${rs.database}.${rs.table} is not a product table of the assembly`));
      return path('data-quality', instance, steps);
    }
    const c: Caller = { kind: 'role', role: runRole };
    steps.push(iamCheck(spec('The run reads the ruleset', 'glue:GetDataQualityRuleset', runRole.arn, rs.arn, DOC_GLUE_DQ_IAM),
      { caller: c, action: 'glue:GetDataQualityRuleset', resource: rs.arn, resourceAccount: rs.account, resourceLabel: `ruleset ${rs.name}` }));
    steps.push(...glueIdentitySteps('The run reads the table definition', runRole, ['glue:GetTable'], glueArns(p, p.db.name, table.name)));
    steps.push(...catalogKeySteps(world, runRole, p.catalogId, p.region, DOC_GLUE_CATALOG_KMS));
    const entry = accessEntry(world, runRole.arn, p.catalogId, p.db.name);
    const tk = tableKey(p.catalogId, p.db.name, table.name);
    const via = entry ? entry.via.map((g) => `grant ${g}`) : [];
    steps.push(entry?.describe
      ? { ...spec('Lake Formation lets the run see the product database', 'lakeformation:DESCRIBE', runRole.arn, `${p.catalogId}:${p.db.name}`, DOC_LF_PERMISSIONS), permission: 'Lake Formation DESCRIBE', status: 'ok', allowedBy: via }
      : { ...spec('Lake Formation lets the run see the product database', 'lakeformation:DESCRIBE', runRole.arn, `${p.catalogId}:${p.db.name}`, DOC_LF_PERMISSIONS), permission: 'Lake Formation DESCRIBE', status: 'fail',
        missing: `no Lake Formation grant of DESCRIBE on database ${p.catalogId}:${p.db.name} to ${runRole.arn}` });
    const select = entry?.tables[table.name]?.select ?? 'none';
    steps.push(select === 'all'
      ? { ...spec('Lake Formation lets the run read every column', 'lakeformation:SELECT', runRole.arn, tk, DOC_LF_PERMISSIONS), permission: 'Lake Formation SELECT', status: 'ok', allowedBy: via }
      : { ...spec('Lake Formation lets the run read every column', 'lakeformation:SELECT', runRole.arn, tk, DOC_LF_PERMISSIONS), permission: 'Lake Formation SELECT', status: 'fail',
        missing: `${runRole.arn} may SELECT ${select === 'none' ? 'no column' : `only ${select.join(', ')}`} of ${tk}; the ruleset reads every column` });
    steps.push(getDataAccessStep(runRole));
    steps.push(iamCheck(spec('The run publishes its results', 'glue:PublishDataQuality', runRole.arn, rs.arn, DOC_GLUE_DQ_IAM),
      { caller: c, action: 'glue:PublishDataQuality', resource: rs.arn, resourceAccount: rs.account, resourceLabel: `ruleset ${rs.name}` }));
    const reg = world.registrations.find((r) => p.locationArn === r.resourceArn || p.locationArn.startsWith(`${r.resourceArn}/`));
    const regRole = reg?.roleArn ? findRole(world, reg.roleArn) : undefined;
    if (regRole) steps.push(...registrationAccessSteps(world, regRole, p.locationArn, false));
    else steps.push(factCheck(spec('The product location is registered with Lake Formation', 'lakeformation:RegisterResource', runRole.arn, p.locationArn, DOC_LF_REGISTRATION_ROLE), 'registration', false, `no registration with a role of the assembly covers ${p.locationArn}`));
    return path('data-quality', instance, steps);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 7. Alarm notifications

function alarmPaths(world: World): PathResult[] {
  const out: PathResult[] = [];
  for (const alarm of world.alarms) {
    for (const action of [...new Set(alarm.actions)].sort(compareStrings)) {
      const topic = world.topics.find((t) => t.arn === action);
      if (!topic) continue;
      const cw: Caller = { kind: 'service', service: 'cloudwatch.amazonaws.com' };
      const source = { 'aws:SourceArn': alarm.arn, 'aws:SourceAccount': alarm.account };
      const steps: StepResult[] = [iamCheck(spec('CloudWatch publishes the alarm notification', 'sns:Publish', cw.service, topic.arn, DOC_SNS_SERVICE_PUBLISH), {
        caller: cw, action: 'sns:Publish', resource: topic.arn, resourceAccount: topic.account, resourceLabel: `topic ${topic.stack}/${topic.logicalId}`, context: source,
        ...(topic.policy ? { resourcePolicy: topic.policy } : {}),
      })];
      if (topic.kmsKey) {
        const key = findKey(world, topic.kmsKey)?.arn ?? topic.kmsKey;
        for (const a of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          steps.push(kmsCheck(spec('SNS encrypts the message with the topic key for CloudWatch', a, cw.service, key, DOC_SNS_KMS_SERVICES), world, cw, a, key, source));
        }
      }
      out.push(path('alarm-notification', `alarm ${alarm.stack}/${alarm.logicalId} → topic ${topic.stack}/${topic.logicalId}`, steps));
    }
  }
  return out;
}

/** The general rules every step follows (policy evaluation, cross-account, KMS delegation, Lake Formation sharing). */
export const GENERAL_DOCS: readonly string[] = [
  DOC_IAM_EVALUATION, DOC_IAM_CROSS_ACCOUNT, DOC_KMS_ROOT_DELEGATION, DOC_KMS_CROSS_ACCOUNT, DOC_S3_BUCKET_KEY_CONTEXT, DOC_LF_CROSS_ACCOUNT,
];
