/**
 * Shared parts of the integration tests (`integ.*.ts`, run by `integ-runner`): accounts, the helper function
 * that acts as the mesh's writer and query roles, and the assertions. Not a test itself (its name does not match
 * integ-runner's `integ.*.ts` pattern).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Construct, IConstruct } from 'constructs';
import type { DataDomain } from '../../constructs/data-domain';
import type { DataProduct } from '../../constructs/data-product';
import { ALLOW_DESTROY_CONTEXT_KEY } from '../../lib/private/removal';
import type { TableSpec } from '../../lib/table-schema';

/** Placeholder accounts and region of the committed snapshots. */
export const PLACEHOLDER_ACCOUNT = '111111111111';
export const PLACEHOLDER_CROSS_ACCOUNT = '222222222222';
export const PLACEHOLDER_REGION = 'eu-west-1';

export interface IntegEnv {
  /** Governance account (and the only account of the single-account test). */
  readonly account: string;
  /** Producer/consumer account of the two-account test. */
  readonly crossAccount: string;
  readonly region: string;
  /** False while integ-runner synthesizes the snapshot (placeholders). */
  readonly real: boolean;
}

/**
 * Accounts from `CDK_INTEG_ACCOUNT` / `CDK_INTEG_CROSS_ACCOUNT` and region from `CDK_INTEG_REGION` when deploying
 * for real. integ-runner synthesizes snapshots with `CDK_INTEG_ACCOUNT=12345678` and `CDK_INTEG_REGION=test-region`
 * (not an account ID): whenever `CDK_INTEG_ACCOUNT` is not a 12-digit account, every value is a placeholder, so that
 * no real account ID ever reaches a committed snapshot.
 */
export function integEnv(env: NodeJS.ProcessEnv = process.env): IntegEnv {
  const account = env.CDK_INTEG_ACCOUNT;
  if (!account || !/^\d{12}$/.test(account)) {
    return { account: PLACEHOLDER_ACCOUNT, crossAccount: PLACEHOLDER_CROSS_ACCOUNT, region: PLACEHOLDER_REGION, real: false };
  }
  const region = env.CDK_INTEG_REGION ?? env.CDK_DEFAULT_REGION ?? env.AWS_REGION;
  if (!region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new Error(`CDK_INTEG_REGION must be an AWS region when CDK_INTEG_ACCOUNT is set, got: ${region}`);
  }
  const crossAccount = env.CDK_INTEG_CROSS_ACCOUNT ?? PLACEHOLDER_CROSS_ACCOUNT;
  return { account, crossAccount, region, real: true };
}

/**
 * The app of an integration test. It opts into destroying data with the second key (the context flag); the
 * constructs give the first (`removalPolicy: DESTROY`), so that integ-runner can tear everything down.
 */
export function integApp(): App {
  const app = new App();
  app.node.setContext(ALLOW_DESTROY_CONTEXT_KEY, true);
  return app;
}

/** The product every integ test publishes: one table, one pii column that the query role must not read. */
export const CUSTOMERS_TABLE: TableSpec = {
  name: 'customers',
  description: 'Customers of the integration test (fixture customers.parquet)',
  columns: [
    { name: 'customer_id', type: 'string' },
    { name: 'email', type: 'string', comment: 'Contact email', classification: 'pii' },
    { name: 'country', type: 'string' },
  ],
};

/** Rows of fixtures/customers.parquet (see fixtures/make-customers-parquet.mjs). */
export const CUSTOMERS_ROWS = [['c-001', 'pt'], ['c-002', 'de']];

/** Athena's refusal of a column the role may not read: Lake Formation hides it, or denies the table. */
export const REFUSAL_PATTERN = 'COLUMN_NOT_FOUND|cannot be resolved|Insufficient Lake Formation permission|Access ?Denied|not authorized';

/**
 * The helper's code (inline, Node.js runtime with its built-in AWS SDK v3). Every action first assumes `roleArn`,
 * so the S3 and Athena calls are made as that role, not as the helper or the assertion provider:
 * - `put`: PutObject of `bodyBase64` to `bucket`/`key`;
 * - `start`: StartQueryExecution of `sql` in `workGroup`;
 * - `status`: GetQueryExecution of `queryExecutionId`, and GetQueryResults (rows without the header) once it
 *   SUCCEEDED. Returns RUNNING/QUEUED as they are: the assertion waits (waitForAssertions) for a final state.
 */
const HELPER_CODE = `
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const { AthenaClient, StartQueryExecutionCommand, GetQueryExecutionCommand, GetQueryResultsCommand } = require('@aws-sdk/client-athena');
const sts = new STSClient({});
async function as(roleArn) {
  const r = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'cdk-data-mesh-integ', DurationSeconds: 900 }));
  const c = r.Credentials;
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}
exports.handler = async (e) => {
  console.log(JSON.stringify(e));
  const credentials = await as(e.roleArn);
  if (e.action === 'put') {
    const s3 = new S3Client({ credentials });
    const r = await s3.send(new PutObjectCommand({ Bucket: e.bucket, Key: e.key, Body: Buffer.from(e.bodyBase64, 'base64') }));
    return { written: true, key: e.key, encryption: r.ServerSideEncryption };
  }
  const athena = new AthenaClient({ credentials });
  if (e.action === 'start') {
    const r = await athena.send(new StartQueryExecutionCommand({ QueryString: e.sql, WorkGroup: e.workGroup }));
    return { queryExecutionId: r.QueryExecutionId };
  }
  if (e.action === 'status') {
    const q = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: e.queryExecutionId }))).QueryExecution;
    const out = { state: q.Status.State, reason: q.Status.StateChangeReason || '', errorCategory: q.Status.AthenaError?.ErrorCategory };
    if (out.state === 'SUCCEEDED') {
      const r = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: e.queryExecutionId }));
      out.rows = r.ResultSet.Rows.slice(1).map((row) => row.Data.map((d) => d.VarCharValue ?? null));
    }
    console.log(JSON.stringify(out));
    return out;
  }
  throw new Error('unknown action ' + e.action);
};
`;

/**
 * A function of the test that acts as the domain's roles (sts:AssumeRole). Create it in the domain's stack before
 * the domain, and pass {@link AsRoleHelper.role} to the domain's `writerAssumedBy`: the writer role must trust it.
 * The query role trusts its account (the domain's default), so the helper's own policy is enough there.
 */
export class AsRoleHelper extends Construct {
  public readonly role: iam.Role;
  public readonly function: lambda.Function;

  /** `functionName` is explicit so that the assertion stack can name the function without a reference. */
  constructor(scope: Construct, id: string, functionName: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
      description: 'Integration test helper: assumes the writer and query roles of the mesh',
    });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY });
    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_22_X,
      functionName,
      handler: 'index.handler',
      code: lambda.Code.fromInline(HELPER_CODE),
      role: this.role,
      timeout: Duration.seconds(60),
      logGroup,
      description: 'cdk-data-mesh integration test: S3 and Athena calls as the writer or query role of a domain',
    });
  }

  /** Lets the helper assume the domain's writer and query roles (deterministic ARNs). */
  public allowAssume(domain: DataDomain): void {
    this.role.addToPolicy(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      resources: [domain.writerRoleArn, domain.queryRoleArn],
    }));
  }
}

/** The writer role must trust the helper (besides Glue, its default) so that the test can write as it. */
export function writerTrust(helper: AsRoleHelper): iam.IPrincipal {
  return new iam.CompositePrincipal(new iam.ServicePrincipal('glue.amazonaws.com'), helper.role);
}

/**
 * Everything that writes data or query results opts into deletion with the two keys (DESTROY here, the context
 * flag in {@link integApp}); the versioned buckets also need emptying, which CloudFormation does not do: the
 * auto-delete-objects mixin of aws-cdk-lib empties them (all versions) when the stack is deleted.
 */
export function emptyOnDelete(buckets: readonly s3.IBucket[]): void {
  for (const b of buckets) (b as s3.Bucket).with(new s3.mixins.BucketAutoDeleteObjects());
}

/**
 * The library retains the log groups of its custom resource handlers and their keys. The test deletes them too
 * (a stack deleted by the test should leave nothing behind), except `keep` (the catalog key, see README.md).
 */
export function destroyHandlerLogs(stacks: readonly Stack[], keep: readonly (IConstruct | undefined)[]): void {
  const kept = new Set(keep.filter((k): k is IConstruct => k !== undefined).map((k) => k.node.path));
  const visit = (c: IConstruct) => {
    if (kept.has(c.node.path)) return;
    if (c instanceof kms.CfnKey || c instanceof logs.CfnLogGroup) c.applyRemovalPolicy(RemovalPolicy.DESTROY);
    for (const child of c.node.children) visit(child);
  };
  for (const s of stacks) visit(s);
}

export interface MeshAssertionsProps {
  readonly helper: AsRoleHelper;
  readonly domain: DataDomain;
  readonly product: DataProduct;
  /** Database the query role names in SQL: the product database, or its resource link (same name). */
  readonly database: string;
}

/**
 * The three assertions: (1) the writer role writes a Parquet object into the product's table location; (2) the
 * query role's Athena query in the domain workgroup SUCCEEDS with the written rows; (3) the query role's query of
 * the pii column FAILS with a refusal.
 */
export function addMeshAssertions(integ: IntegTest, props: MeshAssertionsProps): void {
  const { helper, domain, product } = props;
  const functionName = helper.function.functionName;
  const parquet = readFileSync(path.join(__dirname, 'fixtures', 'customers.parquet')).toString('base64');

  const put = integ.assertions.invokeFunction({
    functionName,
    payload: JSON.stringify({
      action: 'put', roleArn: domain.writerRoleArn, bucket: product.bucketName,
      key: `${product.prefix ? `${product.prefix}/` : ''}${CUSTOMERS_TABLE.name}/integ-customers.parquet`, bodyBase64: parquet,
    }),
  });
  put.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson(Match.objectLike({ written: true, encryption: 'aws:kms' })) }));

  const table = `"${props.database}"."${CUSTOMERS_TABLE.name}"`;
  const query = (sql: string, expected: Record<string, unknown>): IApiCall => {
    const start = integ.assertions.invokeFunction({
      functionName,
      payload: JSON.stringify({ action: 'start', roleArn: domain.queryRoleArn, workGroup: domain.workgroupName, sql }),
    });
    const status = integ.assertions.invokeFunction({
      functionName,
      payload: JSON.stringify({ action: 'status', roleArn: domain.queryRoleArn, queryExecutionId: start.getAttString('Payload.queryExecutionId') }),
    }).expect(ExpectedResult.objectLike({ Payload: Match.serializedJson(Match.objectLike(expected)) }))
      .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(10), backoffRate: 1.5 });
    put.next(start);
    return status;
  };

  query(`SELECT customer_id, country FROM ${table} ORDER BY customer_id`, { state: 'SUCCEEDED', rows: CUSTOMERS_ROWS });
  query(`SELECT customer_id, email FROM ${table}`, { state: 'FAILED', reason: Match.stringLikeRegexp(REFUSAL_PATTERN) });
}
