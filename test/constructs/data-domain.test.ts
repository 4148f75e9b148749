import { App, CfnParameter, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataDomain, DataDomainProps, DataProduct, DomainRole, LakeFormationSettings } from '../../constructs';
import { WRITER_PRODUCTS_PER_POLICY } from '../../constructs/data-domain';
import {
  DEFAULT_ACCESS_LOG_EXPIRATION_DAYS, DEFAULT_ATHENA_ENGINE_VERSION, DEFAULT_ATHENA_RESULTS_EXPIRATION_DAYS, DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY,
  DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, MIN_BYTES_SCANNED_CUTOFF_PER_QUERY,
} from '../../lib/defaults';
import { RESERVED_BUCKET_PREFIXES } from '../../lib/naming';
import { ALLOW_DESTROY_CONTEXT_KEY } from '../../lib/private/removal';
import { ATHENA_QUERY_ACTIONS, GLUE_CATALOG_READ_ACTIONS, GLUE_CATALOG_WRITE_ACTIONS, LF_DATA_ACCESS_ACTIONS } from '../../lib/perms';
import { ACCOUNT, DOMAIN, ENV, MESH, REGION, buildMinimalMesh, expectProblem, newApp, productProps } from '../helpers/app';
import { describeFindings, nagFindings } from '../helpers/nag';
import {
  CfnTemplate, FORBIDDEN_ACTIONS, Json, actionsOf, arnPatternMatches, asArray, flattenArn, logicalIdOf, managedPoliciesOfRole, policyStatements,
  resourcesOfType,
} from '../helpers/template';

const PARTITION_JOIN = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const REGISTRATION_ROLE_ARN = PARTITION_JOIN(`:iam::${ACCOUNT}:role/${MESH}-${DOMAIN}-lf-reg`);

interface DomainStackOptions {
  readonly props?: Partial<DataDomainProps>;
  readonly context?: Record<string, unknown>;
  readonly agnostic?: boolean;
}

function domainStack(o: DomainStackOptions = {}) {
  const app = newApp(o.context);
  const stack = new Stack(app, 'Mesh', { env: o.agnostic ? undefined : ENV });
  const settings = new LakeFormationSettings(stack, 'Settings');
  const domain = new DataDomain(stack, 'Domain', { meshName: MESH, domainName: 'sales', ...o.props });
  return { app, stack, settings, domain };
}

function resource(json: CfnTemplate, construct: Parameters<typeof logicalIdOf>[0]): CfnTemplate['Resources'][string] {
  const r = json.Resources[logicalIdOf(construct)];
  expect(r, construct.node.path).toBeDefined();
  return r;
}

function bucketPolicyOf(json: CfnTemplate, bucketLogicalId: string): Json[] {
  const policy = resourcesOfType(json, 'AWS::S3::BucketPolicy').find(([, r]) => r.Properties.Bucket?.Ref === bucketLogicalId);
  expect(policy, `bucket policy of ${bucketLogicalId}`).toBeDefined();
  return policy![1].Properties.PolicyDocument.Statement;
}

function expectTlsOnly(statements: Json[]): void {
  expect(statements).toContainEqual(expect.objectContaining({
    Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  }));
}

const BLOCK_ALL = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };

describe('DataDomain defaults', () => {
  let stack: Stack;
  let domain: DataDomain;
  let template: Template;
  let json: CfnTemplate;

  beforeAll(() => {
    ({ stack, domain } = domainStack());
    template = Template.fromStack(stack);
    json = template.toJSON() as CfnTemplate;
  });

  describe('key', () => {
    it('rotates, is retained and has the alias alias/<mesh>/<domain>', () => {
      const key = resource(json, domain.key);
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(key.UpdateReplacePolicy).toBe('Retain');
      template.hasResourceProperties('AWS::KMS::Alias', {
        AliasName: `alias/${MESH}/sales`, TargetKeyId: { 'Fn::GetAtt': [logicalIdOf(domain.key), 'Arn'] },
      });
    });

    it('admits the registration role only by aws:PrincipalArn, with the catalog account as principal', () => {
      const statements: Json[] = resource(json, domain.key).Properties.KeyPolicy.Statement;
      const registration = statements.filter((s) => JSON.stringify(s).includes('-lf-reg'));
      expect(registration).toHaveLength(1);
      expect(registration[0]).toMatchObject({
        Effect: 'Allow',
        Principal: { AWS: PARTITION_JOIN(`:iam::${ACCOUNT}:root`) },
        Condition: { ArnEquals: { 'aws:PrincipalArn': REGISTRATION_ROLE_ARN } },
      });
      expect(new Set(actionsOf(registration[0]))).toEqual(new Set(['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']));
      expect(stack.resolve(domain.registrationRoleArn())).toEqual(REGISTRATION_ROLE_ARN);
    });
  });

  describe('log bucket', () => {
    it('uses SSE-S3, the only encryption S3 server access logging delivers to', () => {
      const bucket = resource(json, domain.logBucket);
      expect(bucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      expect(bucket.Properties.BucketName).toBe(`${MESH}-sales-logs-${ACCOUNT}-${REGION}`);
    });

    it('is versioned, private, owner-enforced, TLS-only and retained', () => {
      const bucket = resource(json, domain.logBucket);
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual(BLOCK_ALL);
      expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(bucket.DeletionPolicy).toBe('RetainExceptOnCreate');
      expectTlsOnly(bucketPolicyOf(json, logicalIdOf(domain.logBucket)));
    });

    it(`expires access logs after ${DEFAULT_ACCESS_LOG_EXPIRATION_DAYS} days`, () => {
      const rules: Json[] = resource(json, domain.logBucket).Properties.LifecycleConfiguration.Rules;
      expect(rules).toContainEqual(expect.objectContaining({ Status: 'Enabled', ExpirationInDays: DEFAULT_ACCESS_LOG_EXPIRATION_DAYS }));
      expect(rules[0].NoncurrentVersionExpiration).toBeDefined();
    });

    it('acknowledges no access-logging finding on itself: cdk-nag counts a log target bucket as compliant', () => {
      const ids = domain.logBucket.node.findAll().flatMap((c) => c.node.metadata)
        .filter((e) => e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((e) => Object.keys(e.data as Record<string, string>).map((k) => k.replace(/^annotation::/i, '')));
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => id === 'AwsSolutions-S1' || id.endsWith('-S3BucketLoggingEnabled'))).toEqual([]);
      const findings = nagFindings(domain.logBucket).filter((f) => f.ruleName === 'AwsSolutions-S1' || f.ruleName.endsWith('-S3BucketLoggingEnabled'));
      expect(findings, describeFindings(findings)).toEqual([]);
    });

    it('lets S3 logging deliver by bucket policy, only from this account\'s buckets', () => {
      const logging = bucketPolicyOf(json, logicalIdOf(domain.logBucket)).filter((s) => s.Principal?.Service === 'logging.s3.amazonaws.com');
      expect(logging.length).toBeGreaterThan(0);
      for (const s of logging) {
        expect(s.Action).toBe('s3:PutObject');
        expect(s.Condition.StringEquals['aws:SourceAccount']).toBe(ACCOUNT);
      }
    });
  });

  describe('results bucket', () => {
    it('uses SSE-KMS with the domain key and a bucket key', () => {
      expect(resource(json, domain.resultsBucket).Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(domain.key), 'Arn'] } },
        }],
      });
    });

    it('logs access to the domain log bucket', () => {
      expect(resource(json, domain.resultsBucket).Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logicalIdOf(domain.logBucket) }, LogFilePrefix: 'athena-results/',
      });
    });

    it(`expires query results after DEFAULT_ATHENA_RESULTS_EXPIRATION_DAYS (${DEFAULT_ATHENA_RESULTS_EXPIRATION_DAYS}) days`, () => {
      const rules: Json[] = resource(json, domain.resultsBucket).Properties.LifecycleConfiguration.Rules;
      expect(rules).toContainEqual(expect.objectContaining({ Status: 'Enabled', ExpirationInDays: DEFAULT_ATHENA_RESULTS_EXPIRATION_DAYS }));
    });

    it('is versioned, private, owner-enforced, TLS-only, retained and deterministically named', () => {
      const bucket = resource(json, domain.resultsBucket);
      expect(bucket.Properties.BucketName).toBe(`${MESH}-sales-athena-results-${ACCOUNT}-${REGION}`);
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual(BLOCK_ALL);
      expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(bucket.DeletionPolicy).toBe('RetainExceptOnCreate');
      expectTlsOnly(bucketPolicyOf(json, logicalIdOf(domain.resultsBucket)));
    });
  });

  describe('Athena workgroup', () => {
    it('enforces its configuration and encrypts results with SSE_KMS and the domain key', () => {
      const wg = resource(json, domain.workgroup).Properties;
      expect(wg.Name).toBe(`${MESH}-sales`);
      expect(domain.workgroupName).toBe(`${MESH}-sales`);
      expect(wg.WorkGroupConfiguration.EnforceWorkGroupConfiguration).toBe(true);
      expect(wg.WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration).toEqual({
        EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [logicalIdOf(domain.key), 'Arn'] },
      });
    });

    it(`limits the bytes scanned per query to DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY (${DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY})`, () => {
      expect(resource(json, domain.workgroup).Properties.WorkGroupConfiguration.BytesScannedCutoffPerQuery).toBe(DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY);
      expect(domain.bytesScannedCutoffPerQuery).toBe(DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY);
    });

    it('pins the engine version and publishes CloudWatch metrics', () => {
      const config = resource(json, domain.workgroup).Properties.WorkGroupConfiguration;
      expect(config.EngineVersion).toEqual({ SelectedEngineVersion: DEFAULT_ATHENA_ENGINE_VERSION });
      expect(config.PublishCloudWatchMetricsEnabled).toBe(true);
    });

    it('writes results into the results bucket, owned by this account', () => {
      const result = resource(json, domain.workgroup).Properties.WorkGroupConfiguration.ResultConfiguration;
      expect(result.OutputLocation).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: logicalIdOf(domain.resultsBucket) }, '/']] });
      expect(result.ExpectedBucketOwner).toBe(ACCOUNT);
    });
  });

  describe('roles', () => {
    it('creates the writer role <mesh>-<domain>-writer, assumed by AWS Glue', () => {
      const role = resource(json, domain.writerRole!);
      expect(role.Properties.RoleName).toBe(`${MESH}-sales-writer`);
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' } },
      ]);
    });

    it('exposes deterministic role ARNs that other stacks can use without a reference', () => {
      expect(stack.resolve(domain.writerRoleArn)).toEqual(PARTITION_JOIN(`:iam::${ACCOUNT}:role/${MESH}-sales-writer`));
      expect(stack.resolve(domain.queryRoleArn)).toEqual(PARTITION_JOIN(`:iam::${ACCOUNT}:role/${MESH}-sales-query`));
    });

    it('creates the query role <mesh>-<domain>-query, assumable from this account', () => {
      const role = resource(json, domain.queryRole);
      expect(role.Properties.RoleName).toBe(`${MESH}-sales-query`);
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: PARTITION_JOIN(`:iam::${ACCOUNT}:root`) } },
      ]);
    });

    it('gives each role one customer managed policy and no inline policy', () => {
      template.resourceCountIs('AWS::IAM::Policy', 0);
      for (const role of [domain.writerRole!, domain.queryRole]) {
        const r = resource(json, role);
        expect(r.Properties.Policies).toBeUndefined();
        const attached = resourcesOfType(json, 'AWS::IAM::ManagedPolicy').filter(([, p]) => asArray<Json>(p.Properties.Roles).some((x) => x.Ref === logicalIdOf(role)));
        expect(attached, role.node.path).toHaveLength(1);
      }
    });

    it('lets the writer base policy use only the catalog object of the catalog account (sid ReadCatalog), no database or table', () => {
      // given: a domain without products
      const writerPolicy = json.Resources[logicalIdOf(domain.node.findChild('WriterPolicy'))];
      const statements: Json[] = writerPolicy.Properties.PolicyDocument.Statement;
      // then: one Glue statement, on the catalog only
      const glue = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('glue:')));
      expect(glue).toHaveLength(1);
      expect(glue[0].Sid).toBe('ReadCatalog');
      expect(new Set(actionsOf(glue[0]))).toEqual(new Set([...GLUE_CATALOG_READ_ACTIONS, ...GLUE_CATALOG_WRITE_ACTIONS]));
      expect(glue[0].Resource).toEqual(PARTITION_JOIN(`:glue:${REGION}:${ACCOUNT}:catalog`));
      expect(JSON.stringify(writerPolicy)).not.toMatch(/:(database|table)\//);
      expect(domain.node.tryFindChild('WriterProductsPolicy')).toBeUndefined();
    });

    it('lets the query role run queries only in its own workgroup and read results only in its results bucket', () => {
      const queryPolicy = resourcesOfType(json, 'AWS::IAM::ManagedPolicy').find(([, p]) => asArray<Json>(p.Properties.Roles).some((x) => x.Ref === logicalIdOf(domain.queryRole)))!;
      const statements: Json[] = queryPolicy[1].Properties.PolicyDocument.Statement;
      const athena = statements.find((s) => actionsOf(s).includes('athena:StartQueryExecution'));
      expect(new Set(actionsOf(athena))).toEqual(new Set(ATHENA_QUERY_ACTIONS));
      expect(athena.Resource).toEqual(PARTITION_JOIN(`:athena:${REGION}:${ACCOUNT}:workgroup/${MESH}-sales`));
      const results = statements.find((s) => actionsOf(s).includes('s3:PutObject'));
      expect(JSON.stringify(results.Resource)).toContain(logicalIdOf(domain.resultsBucket));
      const lf = statements.find((s) => actionsOf(s).includes('lakeformation:GetDataAccess'));
      expect(actionsOf(lf)).toEqual([...LF_DATA_ACCESS_ACTIONS]);
    });
  });

  it('allows no `*`, `s3:*`, `glue:*` or `lakeformation:*` action in any policy', () => {
    const allows = policyStatements(json).filter((s) => s.statement.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(5);
    for (const { logicalId, statement } of allows) {
      for (const a of actionsOf(statement)) expect(FORBIDDEN_ACTIONS, `${logicalId}: ${a}`).not.toContain(a);
    }
  });

  it('has no literal arn:aws: in the template', () => {
    expect(JSON.stringify(json)).not.toContain('arn:aws:');
  });

  it('passes the compliance packs', () => {
    const findings = nagFindings(stack);
    expect(findings, describeFindings(findings)).toEqual([]);
  });
});

describe('DataDomain props', () => {
  it('overrides the scan cutoff, down to the Athena minimum', () => {
    const { stack } = domainStack({ props: { bytesScannedCutoffPerQuery: MIN_BYTES_SCANNED_CUTOFF_PER_QUERY } });
    Template.fromStack(stack).hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: MIN_BYTES_SCANNED_CUTOFF_PER_QUERY }),
    });
  });

  it('accepts a token cutoff (a CloudFormation parameter) and leaves its check to CloudFormation', () => {
    // given
    const app = newApp();
    const stack = new Stack(app, 'Mesh', { env: ENV });
    new LakeFormationSettings(stack, 'Settings');
    const cutoff = new CfnParameter(stack, 'Cutoff', { type: 'Number', minValue: MIN_BYTES_SCANNED_CUTOFF_PER_QUERY });
    // when
    const domain = new DataDomain(stack, 'Domain', { meshName: MESH, domainName: 'sales', bytesScannedCutoffPerQuery: cutoff.valueAsNumber });
    // then
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    expect(resource(json, domain.workgroup).Properties.WorkGroupConfiguration.BytesScannedCutoffPerQuery).toEqual({ Ref: 'Cutoff' });
  });

  it('pins another engine version and results expiration when given', () => {
    const { stack, domain } = domainStack({ props: { athenaEngineVersion: 'AUTO', queryResultsExpiration: Duration.days(7) } });
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    expect(resource(json, domain.workgroup).Properties.WorkGroupConfiguration.EngineVersion).toEqual({ SelectedEngineVersion: 'AUTO' });
    expect(resource(json, domain.resultsBucket).Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(7);
  });

  it('creates no writer role for a consumer domain, and adds no product policy for it', () => {
    // when
    const { stack, domain } = domainStack({ props: { role: DomainRole.CONSUMER } });
    domain.addWriterProduct('orders', 'sales_orders', [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${stack.partition}:s3:::b/*`] })]);
    // then
    expect(domain.writerRole).toBeUndefined();
    expect(domain.node.tryFindChild('WriterProductsPolicy')).toBeUndefined();
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    // The domain's roles only (the account's Lake Formation administration function has a role of its own).
    const roleNames = resourcesOfType(json, 'AWS::IAM::Role').map(([, r]) => r.Properties.RoleName).filter((n) => typeof n === 'string' && n.startsWith(`${MESH}-sales`));
    expect(roleNames).toEqual([`${MESH}-sales-query`]);
    expect(JSON.stringify(json)).not.toContain('sales_orders');
    expect(resourcesOfType(json, 'AWS::IAM::ManagedPolicy').map(([id]) => id).filter((id) => id.startsWith('Domain'))).toEqual([
      logicalIdOf(domain.node.findChild('QueryPolicy')),
    ]);
  });

  it('creates both roles for a domain that produces and consumes', () => {
    const { domain } = domainStack({ props: { role: DomainRole.BOTH } });
    expect(domain.writerRole).toBeDefined();
    expect(domain.role).toBe(DomainRole.BOTH);
  });

  it('lets other principals assume the writer and query roles when given', () => {
    const { stack } = domainStack({
      props: { writerAssumedBy: new iam.ServicePrincipal('states.amazonaws.com'), queryAssumedBy: new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/analyst`) },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `${MESH}-sales-writer`,
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'states.amazonaws.com' } })] }),
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: `${MESH}-sales-query`,
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/analyst` } })] }),
    });
  });

  it('trusts the registration role of another catalog account by name, and reads its catalog', () => {
    // given
    const catalogAccount = '222222222222';
    // when
    const { stack, domain } = domainStack({ props: { catalogAccount } });
    // then
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    const registration = (resource(json, domain.key).Properties.KeyPolicy.Statement as Json[]).find((s) => s.Sid === 'AllowLakeFormationRegistrationRole');
    expect(registration.Principal).toEqual({ AWS: PARTITION_JOIN(`:iam::${catalogAccount}:root`) });
    expect(registration.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': PARTITION_JOIN(`:iam::${catalogAccount}:role/${MESH}-${DOMAIN}-lf-reg`) } });
    const writerPolicy = JSON.stringify(json.Resources[logicalIdOf(domain.node.findChild('WriterPolicy'))]);
    expect(writerPolicy).toContain(`:glue:${REGION}:${catalogAccount}:catalog`);
    expect(writerPolicy).not.toContain(`:glue:${REGION}:${ACCOUNT}:`);
    const queryPolicy = JSON.stringify(json.Resources[logicalIdOf(domain.node.findChild('QueryPolicy'))]);
    expect(queryPolicy).toContain(`:glue:${REGION}:${catalogAccount}:database/*`);
    expect(queryPolicy).toContain(`:glue:${REGION}:${ACCOUNT}:database/*`);
    expect(domain.catalogAccount).toBe(catalogAccount);
  });

  it('creates the shared data bucket once, on first use, with the data defaults', () => {
    // given
    const { stack, domain } = domainStack();
    // when
    const first = domain.dataBucket();
    const second = domain.dataBucket();
    // then
    expect(second).toBe(first);
    const bucket = resource(Template.fromStack(stack).toJSON() as CfnTemplate, first);
    expect(bucket.Properties.BucketName).toBe(`${MESH}-sales-data-${ACCOUNT}-${REGION}`);
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toEqual({
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(domain.key), 'Arn'] } },
    });
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalIdOf(domain.logBucket) });
    expect(bucket.Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration).toEqual({ NoncurrentDays: DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS });
    expect(bucket.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it('destroys the key and buckets only with DESTROY and the context flag, and warns', () => {
    // when
    const { stack, domain } = domainStack({ props: { removalPolicy: RemovalPolicy.DESTROY }, context: { [ALLOW_DESTROY_CONTEXT_KEY]: true } });
    // then
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    for (const c of [domain.key, domain.logBucket, domain.resultsBucket]) expect(resource(json, c).DeletionPolicy, c.node.path).toBe('Delete');
    Annotations.fromStack(stack).hasWarning('/Mesh/Domain', Match.stringLikeRegexp('removalPolicy is DESTROY.*\\[ack: cdk-data-mesh:destroy-enabled\\]'));
  });

  it('accepts the context flag given as the string "true" (as from `cdk -c`)', () => {
    const { stack, domain } = domainStack({ props: { removalPolicy: RemovalPolicy.DESTROY }, context: { [ALLOW_DESTROY_CONTEXT_KEY]: 'true' } });
    expect(resource(Template.fromStack(stack).toJSON() as CfnTemplate, domain.key).DeletionPolicy).toBe('Delete');
  });

  it('does not warn when data is retained', () => {
    const { stack } = domainStack();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('destroy-enabled'));
  });
});

describe('DataDomain.addWriterProduct', () => {
  const CATALOG_ACCOUNT = '222222222222';
  const glueArn = (account: string, resource: string) => PARTITION_JOIN(`:glue:${REGION}:${account}:${resource}`);
  const objects = (bucket: string) => new iam.PolicyStatement({ sid: `Write${bucket}Objects`, actions: ['s3:PutObject'], resources: [`arn:aws-test:s3:::${bucket}/*`] });

  /** Names of the databases and tables a policy resource list names, from the Glue statements of `policy`. */
  function glueResources(policy: CfnTemplate['Resources'][string]): Json[] {
    return (policy.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => actionsOf(s).some((a) => a.startsWith('glue:')))
      .flatMap((s) => asArray<Json>(s.Resource));
  }

  it('adds the product\'s storage statements and Glue on exactly database/<db> and table/<db>/* of the catalog account', () => {
    // given
    const { stack, domain } = domainStack({ props: { catalogAccount: CATALOG_ACCOUNT } });
    // when
    domain.addWriterProduct('orders', 'sales_orders', [objects('orders')]);
    // then
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    const policy = json.Resources[logicalIdOf(domain.node.findChild('WriterProductsPolicy'))];
    expect(policy.Properties.Roles).toEqual([{ Ref: logicalIdOf(domain.writerRole!) }]);
    const statements: Json[] = policy.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    expect(statements[0]).toEqual({ Sid: 'WriteordersObjects', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws-test:s3:::orders/*' });
    expect(new Set(actionsOf(statements[1]))).toEqual(new Set([...GLUE_CATALOG_READ_ACTIONS, ...GLUE_CATALOG_WRITE_ACTIONS]));
    expect(statements[1].Resource).toEqual([glueArn(CATALOG_ACCOUNT, 'database/sales_orders'), glueArn(CATALOG_ACCOUNT, 'table/sales_orders/*')]);
    expect(statements[1].Condition).toBeUndefined();
    // and the role has the base policy and this one
    expect(managedPoliciesOfRole(json, logicalIdOf(domain.writerRole!)).map(([id]) => id).sort()).toEqual([
      logicalIdOf(domain.node.findChild('WriterPolicy')), logicalIdOf(domain.node.findChild('WriterProductsPolicy')),
    ].sort());
  });

  it(`keeps ${WRITER_PRODUCTS_PER_POLICY} products in one policy`, () => {
    const { stack, domain } = domainStack();
    for (let i = 0; i < WRITER_PRODUCTS_PER_POLICY; i++) domain.addWriterProduct(`p${i}`, `sales_p${i}`, [objects(`p${i}`)]);
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    expect(domain.node.tryFindChild('WriterProductsPolicy2')).toBeUndefined();
    expect(managedPoliciesOfRole(json, logicalIdOf(domain.writerRole!))).toHaveLength(2);
    expect(glueResources(json.Resources[logicalIdOf(domain.node.findChild('WriterProductsPolicy'))])).toHaveLength(2 * WRITER_PRODUCTS_PER_POLICY);
  });

  it(`starts WriterProductsPolicy2 with product ${WRITER_PRODUCTS_PER_POLICY + 1}`, () => {
    // given
    const { stack, domain } = domainStack();
    // when
    for (let i = 0; i <= WRITER_PRODUCTS_PER_POLICY; i++) domain.addWriterProduct(`p${i}`, `sales_p${i}`, [objects(`p${i}`)]);
    // then
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    const first = json.Resources[logicalIdOf(domain.node.findChild('WriterProductsPolicy'))];
    const second = json.Resources[logicalIdOf(domain.node.findChild('WriterProductsPolicy2'))];
    expect(domain.node.tryFindChild('WriterProductsPolicy3')).toBeUndefined();
    const firstGlue = glueResources(first);
    expect(firstGlue).toHaveLength(2 * WRITER_PRODUCTS_PER_POLICY);
    for (let i = 0; i < WRITER_PRODUCTS_PER_POLICY; i++) expect(firstGlue).toContainEqual(glueArn(ACCOUNT, `database/sales_p${i}`));
    const last = WRITER_PRODUCTS_PER_POLICY;
    expect(glueResources(second)).toEqual([glueArn(ACCOUNT, `database/sales_p${last}`), glueArn(ACCOUNT, `table/sales_p${last}/*`)]);
    expect((second.Properties.PolicyDocument.Statement as Json[]).map((st) => st.Sid).filter(Boolean)).toEqual([`Writep${last}Objects`]);
    expect(JSON.stringify(first)).not.toContain(`p${last}`);
    expect(second.Properties.Roles).toEqual([{ Ref: logicalIdOf(domain.writerRole!) }]);
    expect(managedPoliciesOfRole(json, logicalIdOf(domain.writerRole!))).toHaveLength(3);
    expect(resourcesOfType(json, 'AWS::IAM::Policy')).toEqual([]);
  });

  it('gives the writer of domain a no access to the databases and tables of domain a_b (exact names only)', () => {
    // given: domain a with product x (database a_x), domain a_b with product y (database a_b_y)
    const m = buildMinimalMesh({ domain: { domainName: 'a' }, product: { productName: 'x' } });
    const other = new DataDomain(m.stack, 'OtherDomain', { meshName: MESH, domainName: 'a_b' });
    new DataProduct(m.stack, 'OtherProduct', productProps(other, m.governance, { productName: 'y' }));
    // when
    const json = Template.fromStack(m.stack).toJSON() as CfnTemplate;
    const allowed = (role: iam.IRole, arn: string) => managedPoliciesOfRole(json, logicalIdOf(role))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => s.Effect === 'Allow' && actionsOf(s).includes('glue:CreateTable'))
      .some((s) => asArray<Json>(s.Resource).some((r) => arnPatternMatches(flattenArn(r), arn)));
    const glue = (resource: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:${resource}`;
    // then
    expect(allowed(m.domain.writerRole!, glue('database/a_x'))).toBe(true);
    expect(allowed(m.domain.writerRole!, glue('table/a_x/items'))).toBe(true);
    expect(allowed(m.domain.writerRole!, glue('database/a_b_y'))).toBe(false);
    expect(allowed(m.domain.writerRole!, glue('table/a_b_y/items'))).toBe(false);
    expect(allowed(m.domain.writerRole!, glue('database/a_z'))).toBe(false);
    expect(allowed(other.writerRole!, glue('database/a_b_y'))).toBe(true);
    expect(allowed(other.writerRole!, glue('database/a_x'))).toBe(false);
  });
});

describe('DataDomain in an app without the project\'s feature flags', () => {
  it('synthesizes and delivers access logs by bucket policy, not by ACL', () => {
    // given: a plain App, as a user of the library would create it
    const app = new App();
    const stack = new Stack(app, 'Mesh', { env: ENV });
    new LakeFormationSettings(stack, 'Settings');
    // when
    const domain = new DataDomain(stack, 'Domain', { meshName: MESH, domainName: 'sales' });
    // then
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    expect(resource(json, domain.logBucket).Properties.AccessControl).toBeUndefined();
    expect(resource(json, domain.logBucket).Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucketPolicyOf(json, logicalIdOf(domain.logBucket)).some((s) => s.Principal?.Service === 'logging.s3.amazonaws.com')).toBe(true);
  });
});

describe('DataDomain token handling', () => {
  it('names buckets from the pseudo account and region in an environment-agnostic stack', () => {
    const { stack, domain } = domainStack({ agnostic: true });
    const bucket = resource(Template.fromStack(stack).toJSON() as CfnTemplate, domain.logBucket);
    expect(bucket.Properties.BucketName).toEqual({
      'Fn::Join': ['', [`${MESH}-sales-logs-`, { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
    });
  });

  it('sizes bucket names for the longest region when the region is a token', () => {
    // given: 18 characters fit with eu-west-1 but not with a 14-character region
    const domainName = 'd'.repeat(18);
    expect(() => domainStack({ props: { domainName } })).not.toThrow();
    // then
    expectProblem(() => domainStack({ props: { domainName }, agnostic: true }), {
      field: 'domainName', rule: 'makes a bucket name of 66 characters; S3 allows at most 63', got: '"<name with account/region tokens>"',
      fix: 'Shorten the mesh, domain or product name by 3 characters',
    });
  });
});

describe('DataDomain validation', () => {
  it(`fails if bytesScannedCutoffPerQuery is below ${MIN_BYTES_SCANNED_CUTOFF_PER_QUERY}, naming the field, value and minimum`, () => {
    expectProblem(() => domainStack({ props: { bytesScannedCutoffPerQuery: MIN_BYTES_SCANNED_CUTOFF_PER_QUERY - 1 } }), {
      field: 'bytesScannedCutoffPerQuery',
      rule: 'must be a whole number of bytes of at least 10,000,000 (Athena\'s minimum)',
      got: '9999999',
      fix: `Use at least ${MIN_BYTES_SCANNED_CUTOFF_PER_QUERY}, e.g. the default ${DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY}.`,
    });
  });

  it('fails if bytesScannedCutoffPerQuery is not a whole number', () => {
    expectProblem(() => domainStack({ props: { bytesScannedCutoffPerQuery: 20_000_000.5 } }), { field: 'bytesScannedCutoffPerQuery', got: '20000000.5' });
  });

  it('keeps an explicit 0 (and rejects it) instead of falling back to the default', () => {
    expectProblem(() => domainStack({ props: { bytesScannedCutoffPerQuery: 0 } }), { field: 'bytesScannedCutoffPerQuery', got: '0' });
  });

  it('fails if the domain name is invalid, with a suggestion', () => {
    expectProblem(() => domainStack({ props: { domainName: 'Sales-EU' } }), {
      field: 'domainName', rule: 'must be a domain name matching ^[a-z][a-z0-9_]*$', got: '"Sales-EU"', fix: 'Use for example "sales_eu".',
    });
  });

  it('fails if the mesh name is invalid', () => {
    expectProblem(() => domainStack({ props: { meshName: 'ACME' } }), {
      field: 'meshName', rule: 'must be 2-20 characters of lowercase letters, digits and hyphens', got: '"ACME"', fix: 'pick a short name such as "acme-mesh"',
    });
  });

  it.each(RESERVED_BUCKET_PREFIXES.map((p) => [p]))('fails if the mesh name starts with the S3-reserved prefix %j', (prefix) => {
    const meshName = `${prefix}m`;
    expectProblem(() => domainStack({ props: { meshName } }), {
      field: 'meshName', rule: `must not start with "${prefix}", a prefix S3 reserves for bucket names`, got: `"${meshName}"`, fix: 'Pick another mesh name.',
    });
  });

  it('fails if a domain bucket name would be longer than 63 characters', () => {
    // given: acme-<30 chars>-athena-results-111111111111-eu-west-1 is 73 characters
    const domainName = 'd'.repeat(30);
    expectProblem(() => domainStack({ props: { domainName } }), {
      field: 'domainName',
      rule: 'makes a bucket name of 73 characters; S3 allows at most 63',
      got: `"${MESH}-${domainName}-athena-results-${ACCOUNT}-${REGION}"`,
      fix: 'Shorten the mesh, domain or product name by 10 characters',
    });
  });

  it('fails if the role is unknown', () => {
    expectProblem(() => domainStack({ props: { role: 'reader' as DomainRole } }), {
      field: 'role', rule: 'must be one of producer, consumer, both', got: '"reader"', fix: 'Pick the domain\'s role.',
    });
  });

  it(`fails if removalPolicy is DESTROY without the context flag ${ALLOW_DESTROY_CONTEXT_KEY}`, () => {
    expectProblem(() => domainStack({ props: { removalPolicy: RemovalPolicy.DESTROY } }), {
      field: 'removalPolicy',
      rule: `is DESTROY, which also needs the context flag ${ALLOW_DESTROY_CONTEXT_KEY}=true`,
      got: '"destroy"',
      fix: `Confirm with \`cdk deploy -c ${ALLOW_DESTROY_CONTEXT_KEY}=true\`, or remove removalPolicy to keep the data.`,
    });
  });

  it('fails if the context flag is set to anything but true', () => {
    expectProblem(() => domainStack({ props: { removalPolicy: RemovalPolicy.DESTROY }, context: { [ALLOW_DESTROY_CONTEXT_KEY]: 'yes' } }), { field: 'removalPolicy' });
  });

  it('fails if removalPolicy is SNAPSHOT', () => {
    expectProblem(() => domainStack({ props: { removalPolicy: RemovalPolicy.SNAPSHOT } }), {
      field: 'removalPolicy', rule: 'must be RETAIN or DESTROY for data resources', got: '"snapshot"',
    });
  });

  it('reports all problems of the props at once, at the construct path', () => {
    const { error } = expectProblem(() => domainStack({ props: { meshName: 'A', domainName: 'B', bytesScannedCutoffPerQuery: 1 } }), { field: 'meshName' });
    expect(error.location).toBe('Mesh/Domain');
    expect(error.problems.map((p) => p.slice(1, p.indexOf('`', 1)))).toEqual(['meshName', 'domainName', 'bytesScannedCutoffPerQuery']);
  });

  it('fails if there are no Lake Formation settings for its account and region', () => {
    const stack = new Stack(newApp(), 'Mesh', { env: ENV });
    expectProblem(() => new DataDomain(stack, 'Domain', { meshName: MESH, domainName: 'sales' }), {
      field: 'lakeFormationSettings', rule: 'before DataDomain "sales" is created', got: 'nothing',
    });
  });
});
