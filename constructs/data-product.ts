import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  CLASSIFICATION_TAG_KEY, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, DEFAULT_PRODUCT_CLASSIFICATION,
  DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION, DOMAIN_TAG_KEY, LF_MAX_TAGS_PER_RESOURCE, MAX_FRESHNESS_WINDOW_DAYS,
} from '../lib/defaults';
import { ProblemCollector } from '../lib/errors';
import { productBucketName, productDatabaseName, validateBucketName, validateName, validateRoleName } from '../lib/naming';
import { KMS_DECRYPT_ACTIONS, KMS_ENCRYPT_ACTIONS, S3_BUCKET_LEVEL_ACTIONS, S3_READ_ACTIONS, S3_REGISTRATION_ACTIONS, S3_WRITE_ACTIONS } from '../lib/perms';
import { acknowledge, inCompliancePacks } from '../lib/private/nag';
import { pinAccessLogDeliveryByPolicy } from '../lib/private/feature-flags';
import { resolveRemovalPolicy } from '../lib/private/removal';
import { TableSpec, validateClassification, validateTable } from '../lib/table-schema';
import type { CatalogShard } from './catalog-shard';
import { DataDomain, DomainRole } from './data-domain';
import type { MeshGovernance } from './mesh-governance';
import { ProductCatalog, ProductQuality, qualityRoleName } from './product-catalog';
import { contractFromObject, loadContract } from '../lib/contracts/parse';
import { ContractProductSpec, mapContract } from '../lib/contracts/map';
import { exportContract } from '../lib/contracts/export';
import type { OdcsContract } from '../lib/contracts/odcs-schema';

/** How a product stores its data. */
export enum ProductStorage {
  /** A bucket of its own (default): the simplest blast radius and lifecycle. */
  BUCKET = 'bucket',
  /** A prefix `<product>/` of the domain's shared data bucket. */
  DOMAIN_PREFIX = 'domain-prefix',
}

export interface DataProductProps {
  /** The producing domain; its key encrypts the data and its roles get access. */
  readonly domain: DataDomain;
  /** The mesh governance: LF-tag ontology and Lake Formation registration role. */
  readonly governance: MeshGovernance;
  /** Product name: lowercase `[a-z][a-z0-9_]*`; the database is `<domain>_<product>`. */
  readonly productName: string;
  /** What the product is, shown in the catalog. */
  readonly description: string;
  /** Accountable owner (team or person), shown in the catalog. */
  readonly owner: string;
  /** How to reach the owner (email, channel). @default - none */
  readonly contact?: string;
  /** Classification of the product (database LF-tag). @default DEFAULT_PRODUCT_CLASSIFICATION ('internal') */
  readonly classification?: string;
  /** More LF-tags (key = value) from the ontology on the product database. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Extra catalog parameters on the database (SLA, version...). @default - none */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Tables of the product. */
  readonly tables: readonly TableSpec[];
  /** @default ProductStorage.BUCKET */
  readonly storage?: ProductStorage;
  /**
   * The governance catalog shard that holds this product's catalog entries (multi-account mesh).
   * @default - the catalog entries are created in this product's own stack (single-account mesh)
   */
  readonly catalog?: CatalogShard;
  /**
   * Highest classification the domain's query role may read; columns above it are excluded from its grants.
   * @default DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION ('confidential')
   */
  readonly queryRoleMaxClassification?: string;
  /**
   * The bucket and the catalog database are retained by default. DESTROY also needs the context flag
   * `cdk-data-mesh:allowDestroy=true`.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Glue Data Quality rulesets (DQDL) per table, evaluated on {@link qualitySchedule}. @default - none */
  readonly quality?: readonly ProductQuality[];
  /** EventBridge Scheduler expression for the quality evaluations. @default DEFAULT_QUALITY_SCHEDULE ('rate(1 day)') */
  readonly qualitySchedule?: string;
  /**
   * Freshness SLA: an alarm fires when no object was written to the product's location for this long
   * (S3 request metrics `PutRequests` of the product prefix, missing data counted as breaching). At most 7 days.
   * @default - no freshness alarm
   */
  readonly freshness?: Duration;
  /** Objects expire this long after they were written (S3 lifecycle). @default - kept until deleted */
  readonly retention?: Duration;
  /** Addresses notified of the product's alarms, through an encrypted SNS topic. @default - none */
  readonly supportEmails?: readonly string[];
}

/** Props of {@link DataProduct.fromContract}: the contract supplies name, description, owner, tables, quality and SLA. */
export interface DataProductFromContractProps extends Omit<DataProductProps,
  'productName' | 'description' | 'owner' | 'contact' | 'classification' | 'tags' | 'parameters' | 'tables' | 'quality' | 'freshness' | 'retention' | 'supportEmails'> {
  /** An ODCS v3.1.0 (or compatible v3.0.x) contract: a YAML/JSON file path, or the parsed object. */
  readonly contract: string | object;
  /** Product name when the contract's `dataProduct`/`name` is not a valid product name. @default - from the contract */
  readonly productName?: string;
}

const PRODUCTS_OF_DOMAIN = new WeakMap<DataDomain, Map<string, string>>();

/**
 * A data product: its storage in the producing domain's account (a KMS-encrypted, versioned, logged,
 * retained bucket that trusts the governance registration role), and its catalog half (Lake Formation
 * registration, Glue database and tables, LF-tags, grants) in the governing catalog.
 */
export class DataProduct extends Construct {
  public readonly productName: string;
  public readonly domain: DataDomain;
  public readonly databaseName: string;
  public readonly classification: string;
  public readonly bucket: s3.IBucket;
  /** Physical name of {@link bucket}. */
  public readonly bucketName: string;
  /** Prefix of the product's data inside the bucket, without slashes; empty for a dedicated bucket. */
  public readonly prefix: string;
  public readonly catalog: ProductCatalog;
  public readonly tables: readonly TableSpec[];
  public readonly description: string;
  public readonly owner: string;
  public readonly contact?: string;
  public readonly tags: Readonly<Record<string, string>>;
  public readonly parameters: Readonly<Record<string, string>>;
  public readonly quality: readonly ProductQuality[];
  /** The freshness alarm, when {@link DataProductProps.freshness} is set. */
  public readonly freshnessAlarm?: cloudwatch.Alarm;
  /** The topic of the product's alarms, when there are alarms or support addresses. */
  public readonly alarmTopic?: sns.Topic;
  private readonly freshness?: Duration;
  private readonly supportEmails: readonly string[];
  private readonly classificationValues: readonly string[];
  private readonly retention?: Duration;

  /**
   * A product defined by a data contract (Open Data Contract Standard v3.1.0): tables and columns from
   * `schema`, LF-tags from `classification` and ontology `tags`, Glue Data Quality rulesets from `quality`,
   * a freshness alarm and retention from `slaProperties`, owner and support from `team`/`support`, and the
   * contract's identity as database parameters. Unsupported parts are reported as warnings
   * (`cdk-data-mesh:contract-*`), never dropped silently.
   */
  public static fromContract(scope: Construct, id: string, props: DataProductFromContractProps): DataProduct {
    const parsed = typeof props.contract === 'string' ? loadContract(props.contract) : contractFromObject(props.contract, `${id} contract`);
    const ontology = props.governance.ontology;
    const ontologyTags = Object.fromEntries(ontology.keys.filter((k) => k !== DOMAIN_TAG_KEY && k !== CLASSIFICATION_TAG_KEY).map((k) => [k, ontology.valuesOf(k)]));
    const spec = mapContract(parsed, { classificationValues: ontology.classificationValues, ontologyTags, productName: props.productName });
    const { contract: _contract, productName: _name, ...rest } = props;
    const product = new DataProduct(scope, id, {
      ...rest,
      ...contractProductProps(spec),
    });
    for (const w of [...parsed.warnings, ...spec.warnings]) Annotations.of(product).addWarningV2(w.id, w.message);
    if (spec.domain !== undefined && spec.domain !== props.domain.domainName) {
      Annotations.of(product).addWarningV2('cdk-data-mesh:contract-domain-differs',
        `The contract names domain "${spec.domain}", but the product is published by domain "${props.domain.domainName}".`);
    }
    return product;
  }

  constructor(scope: Construct, id: string, props: DataProductProps) {
    super(scope, id);
    pinAccessLogDeliveryByPolicy(this);
    const domain = props.domain;
    const ontology = props.governance.ontology;
    this.domain = domain;
    this.productName = props.productName;
    this.tables = props.tables;
    this.description = props.description;
    this.owner = props.owner;
    this.contact = props.contact;
    this.tags = props.tags ?? {};
    this.parameters = props.parameters ?? {};
    this.quality = props.quality ?? [];
    this.freshness = props.freshness;
    this.supportEmails = props.supportEmails ?? [];
    this.classificationValues = ontology.classificationValues;
    this.retention = props.retention;
    this.classification = props.classification ?? DEFAULT_PRODUCT_CLASSIFICATION;
    this.databaseName = productDatabaseName(domain.domainName, props.productName);
    const storage = props.storage ?? ProductStorage.BUCKET;
    const stack = Stack.of(this);

    const c = new ProblemCollector();
    validateName(c, 'productName', 'product', props.productName);
    const seen = PRODUCTS_OF_DOMAIN.get(domain) ?? new Map<string, string>();
    if (seen.has(props.productName)) {
      c.add('productName', `must be unique in domain "${domain.domainName}" (also used at ${seen.get(props.productName)})`, props.productName, 'Rename one of the products.');
    }
    if (domain.role === DomainRole.CONSUMER) {
      c.add('domain', 'must be a producing domain (role producer or both)', `${domain.domainName} (${domain.role})`, 'Change the domain\'s role to producer or both.');
    }
    if (typeof props.description !== 'string' || props.description.trim() === '') {
      c.add('description', 'must describe the product (it is its catalog documentation)', props.description, 'Add a one-line description.');
    }
    if (typeof props.owner !== 'string' || props.owner.trim() === '') {
      c.add('owner', 'must name the accountable owner', props.owner, 'Set owner to a team or person.');
    }
    validateClassification(c, 'classification', this.classification, ontology.classificationValues);
    const queryMax = props.queryRoleMaxClassification ?? DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION;
    validateClassification(c, 'queryRoleMaxClassification', queryMax, ontology.classificationValues);
    const tags = props.tags ?? {};
    for (const [k, v] of Object.entries(tags)) {
      if (k === DOMAIN_TAG_KEY || k === CLASSIFICATION_TAG_KEY) {
        c.add(`tags.${k}`, 'is set by the toolkit', v, k === DOMAIN_TAG_KEY ? 'Remove it: the domain tag is the owning domain.' : 'Use the classification property.');
        continue;
      }
      ontology.validateTagUse(c, `tags.${k}`, k, v);
    }
    if (Object.keys(tags).length + 2 > LF_MAX_TAGS_PER_RESOURCE) {
      c.add('tags', `must leave room for domain and classification within Lake Formation's ${LF_MAX_TAGS_PER_RESOURCE} LF-tags per resource`,
        `${Object.keys(tags).length} tags`, 'Remove tags.');
    }
    if (!Array.isArray(props.tables) || props.tables.length === 0) {
      c.add('tables', 'must declare at least one table', props.tables, 'Declare the tables of the product.');
    } else {
      const names = new Map<string, number>();
      props.tables.forEach((t, i) => {
        validateTable(c.nested(`tables[${i}]`), t, ontology.classificationValues);
        if (names.has(t.name)) c.add(`tables[${i}].name`, `must be unique in the product (also tables[${names.get(t.name)}])`, t.name, 'Rename one of the tables.');
        names.set(t.name, i);
      });
    }
    if (!Object.values(ProductStorage).includes(storage)) {
      c.add('storage', `must be one of ${Object.values(ProductStorage).join(', ')}`, storage, 'Pick a storage mode.');
    }
    const bucketName = productBucketName(domain.meshName, domain.domainName, props.productName, stack.account, stack.region);
    const nameOk = new ProblemCollector();
    validateName(nameOk, 'productName', 'product', props.productName);
    if (nameOk.empty && storage === ProductStorage.BUCKET) validateBucketName(c, 'productName', bucketName, stack.account, stack.region);
    validateQualityAndSla(c, props);
    if ((props.quality ?? []).length > 0) validateRoleName(c, 'productName', qualityRoleName(domain.meshName, domain.domainName, props.productName));
    const removalPolicy = resolveRemovalPolicy(this, c, props.removalPolicy);
    const claimedBy = c.empty ? props.governance.claimProductDatabase(this.databaseName, this.node.path) : undefined;
    if (claimedBy) {
      c.add('productName', `must give the product a Glue database of its own, but "${this.databaseName}" is also the database of ${claimedBy}`,
        `${domain.domainName}.${props.productName}`, 'Rename the product or the domain: database names are <domain>_<product>.');
    }
    c.throwIfAny(this);
    seen.set(props.productName, this.node.path);
    PRODUCTS_OF_DOMAIN.set(domain, seen);
    ontology.addDomain(domain.domainName);

    if (storage === ProductStorage.BUCKET) {
      const bucket = new s3.Bucket(this, 'Bucket', {
        bucketName,
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: domain.key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        versioned: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        serverAccessLogsBucket: domain.logBucket,
        serverAccessLogsPrefix: `products/${props.productName}/`,
        removalPolicy,
        lifecycleRules: [{
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        }, ...(props.retention ? [{ id: 'retention', expiration: props.retention }] : [])],
        metrics: props.freshness ? [{ id: FRESHNESS_METRICS_ID }] : undefined,
      });
      acknowledge(bucket, inCompliancePacks('S3BucketReplicationEnabled'),
        'Versioning and retention protect the product against deletion in place; cross-region replication needs a destination bucket and key in another region, an organization-level disaster-recovery choice outside this product.');
      this.bucket = bucket;
      this.prefix = '';
    } else {
      const shared = domain.dataBucket();
      this.bucket = shared;
      this.prefix = props.productName;
      if (props.retention) shared.addLifecycleRule({ id: `retention-${props.productName}`, prefix: `${this.prefix}/`, expiration: props.retention });
      if (props.freshness) shared.addMetric({ id: `${FRESHNESS_METRICS_ID}-${props.productName}`, prefix: `${this.prefix}/` });
    }
    // Literal names, not tokens: the catalog half may live in another stack or account.
    this.bucketName = storage === ProductStorage.BUCKET ? bucketName : domain.dataBucketName;
    this.trustRegistrationRole(domain);
    this.grantWriterStorage(domain);

    const catalogProps = {
      meshName: domain.meshName,
      domainName: domain.domainName,
      productName: props.productName,
      description: props.description,
      owner: props.owner,
      contact: props.contact,
      classification: this.classification,
      tags,
      parameters: props.parameters,
      tables: props.tables,
      location: { bucketName: this.bucketName, prefix: this.prefix || undefined },
      producerAccount: domain.account,
      writerRoleArn: domain.writerRoleArn,
      queryRoleArn: domain.queryRoleArn,
      queryRoleMaxClassification: queryMax,
      ontology,
      removalPolicy,
      quality: props.quality,
      qualitySchedule: props.qualitySchedule,
    };
    this.catalog = props.catalog
      ? props.catalog.addProduct(catalogProps)
      : new ProductCatalog(this, 'Catalog', catalogProps);
    // The catalog half needs the storage, the governance and the domain's roles in place.
    if (props.catalog) props.catalog.node.addDependency(domain);

    if (props.freshness || (props.supportEmails ?? []).length > 0) {
      this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
        displayName: `Alarms of data product ${this.databaseName}`,
        masterKey: domain.key,
        enforceSSL: true,
      });
      domain.allowAlarmNotifications();
      // The topic has a policy of its own (enforceSSL), which replaces SNS's default policy: CloudWatch must be
      // admitted explicitly, limited to this account's alarms.
      // https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
      this.alarmTopic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }));
      for (const email of props.supportEmails ?? []) this.alarmTopic.addSubscription(new snsSubscriptions.EmailSubscription(email));
    }
    if (props.freshness) this.freshnessAlarm = this.addFreshnessAlarm(props.freshness);
  }

  /** The ODCS v3.1.0 contract of this product (round-trips through {@link DataProduct.fromContract}). */
  public toContract(): OdcsContract {
    return exportContract({
      domain: this.domain.domainName,
      productName: this.productName,
      description: this.description,
      owner: this.owner,
      contact: this.contact,
      classification: this.classification,
      tags: this.tags,
      tables: this.tables,
      columnParameters: columnParametersOf(this.tables),
      supportEmails: this.supportEmails,
      parameters: this.parameters,
      quality: this.quality,
      sla: {
        freshness: this.freshness ? { maxAgeSeconds: this.freshness.toSeconds(), source: 'latency' } : undefined,
        retentionDays: this.retention ? this.retention.toDays() : undefined,
      },
      classificationValues: this.classificationValues,
    });
  }

  private addFreshnessAlarm(freshness: Duration): cloudwatch.Alarm {
    const seconds = freshness.toSeconds();
    // Hourly periods up to a day, daily beyond; the alarm needs every period of the window without writes.
    const period = seconds <= 86_400 ? Duration.hours(1) : Duration.days(1);
    const evaluationPeriods = Math.max(1, Math.ceil(seconds / period.toSeconds()));
    const alarm = new cloudwatch.Alarm(this, 'FreshnessAlarm', {
      alarmDescription: `No new data in ${this.databaseName} for ${freshness.toHumanString()} (freshness SLA): `
        + 'no PutRequests to its S3 location. Check the pipeline of the product.',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/S3',
        metricName: 'PutRequests',
        dimensionsMap: { BucketName: this.bucketName, FilterId: this.prefix ? `${FRESHNESS_METRICS_ID}-${this.productName}` : FRESHNESS_METRICS_ID },
        statistic: 'Sum',
        period,
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      evaluationPeriods,
      datapointsToAlarm: evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic!));
    alarm.addOkAction(new cloudwatchActions.SnsAction(this.alarmTopic!));
    return alarm;
  }

  /** Grants `grantee` IAM read access to the product's objects and the key (for engines outside Lake Formation). */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantStorage(grantee, [...S3_READ_ACTIONS]).combine(this.domain.key.grant(grantee, ...KMS_DECRYPT_ACTIONS));
  }

  /** Grants `grantee` IAM read and write access to the product's objects and the key. */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantStorage(grantee, [...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS])
      .combine(this.domain.key.grant(grantee, ...KMS_DECRYPT_ACTIONS, ...KMS_ENCRYPT_ACTIONS));
  }

  private grantStorage(grantee: iam.IGrantable, actions: readonly string[]): iam.Grant {
    let grant: iam.Grant | undefined;
    for (const statement of this.storageStatements(actions)) {
      const g = iam.Grant.addToPrincipal({ grantee, actions: statement.actions, resourceArns: statement.resources, conditions: statement.conditions });
      grant = grant ? grant.combine(g) : g;
    }
    return grant!;
  }

  /**
   * Statements for `actions` on the product's storage: object actions on the objects below the product's
   * location, bucket actions on the bucket, limited to the product's prefix when the bucket is shared.
   */
  private storageStatements(actions: readonly string[], base: Partial<iam.PolicyStatementProps> = {}): iam.PolicyStatement[] {
    const objectActions = actions.filter((a) => !S3_BUCKET_LEVEL_ACTIONS.includes(a));
    const objects = this.prefix ? `${this.bucket.bucketArn}/${this.prefix}/*` : `${this.bucket.bucketArn}/*`;
    const statements = [new iam.PolicyStatement({ ...base, sid: base.sid ? `${base.sid}Objects` : undefined, actions: objectActions, resources: [objects] })];
    const bucketStatement = (suffix: string, bucketActions: string[], conditions?: Record<string, unknown>) => {
      if (bucketActions.length === 0) return;
      statements.push(new iam.PolicyStatement({
        ...base, sid: base.sid ? `${base.sid}${suffix}` : undefined, actions: bucketActions, resources: [this.bucket.bucketArn], conditions,
      }));
    };
    if (!this.prefix) {
      bucketStatement('Bucket', actions.filter((a) => S3_BUCKET_LEVEL_ACTIONS.includes(a)), base.conditions);
    } else {
      // In a shared bucket, listing is limited to the product's folder (requests carry s3:prefix); other bucket
      // actions carry no prefix and are not conditioned on it.
      bucketStatement('Bucket', actions.filter((a) => a === 's3:ListBucket'),
        { ...base.conditions, StringLike: { 's3:prefix': [`${this.prefix}/`, `${this.prefix}/*`] } });
      bucketStatement('Location', actions.filter((a) => S3_BUCKET_LEVEL_ACTIONS.includes(a) && a !== 's3:ListBucket'), base.conditions);
    }
    return statements;
  }

  /** The registration role lives in the catalog account and is created after this stack: trust it by name. */
  private trustRegistrationRole(domain: DataDomain): void {
    for (const statement of this.storageStatements(S3_REGISTRATION_ACTIONS, {
      sid: `LakeFormationRegistration${this.prefix ? statementIdPart(this.productName) : ''}`,
      principals: [new iam.AccountPrincipal(domain.catalogAccount)],
      conditions: { ArnEquals: { 'aws:PrincipalArn': domain.registrationRoleArn() } },
    })) {
      this.bucket.addToResourcePolicy(statement);
    }
  }

  private grantWriterStorage(domain: DataDomain): void {
    domain.addWriterProduct(this.productName, this.databaseName,
      this.storageStatements([...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS], { sid: `Write${statementIdPart(this.productName)}` }));
  }
}

/** Statement IDs allow only letters and digits; product names are lowercase, so `_` becomes an unambiguous `U`. */
function statementIdPart(name: string): string {
  return name.replace(/_/g, 'U');
}

/** S3 request metrics configuration that the freshness alarm watches. */
const FRESHNESS_METRICS_ID = 'freshness';
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function validateQualityAndSla(c: ProblemCollector, props: DataProductProps): void {
  const tables = new Set((props.tables ?? []).map((t) => t.name));
  const seen = new Set<string>();
  (props.quality ?? []).forEach((q, i) => {
    if (!tables.has(q.table)) c.add(`quality[${i}].table`, 'must name a table of the product', q.table, `Use one of: ${[...tables].join(', ')}.`);
    if (seen.has(q.table)) c.add(`quality[${i}].table`, 'must have one ruleset per table', q.table, 'Merge the rules into one ruleset.');
    seen.add(q.table);
    if (typeof q.dqdl !== 'string' || !/^\s*Rules\s*=\s*\[[\s\S]*\]\s*$/.test(q.dqdl)) {
      c.add(`quality[${i}].dqdl`, 'must be a DQDL ruleset "Rules = [ ... ]"', q.dqdl, 'Write the rules as DQDL, e.g. Rules = [ RowCount > 0 ].');
    }
  });
  if (props.freshness && !props.freshness.isUnresolved()) {
    const days = props.freshness.toSeconds() / 86_400;
    if (props.freshness.toSeconds() < 3600 || days > MAX_FRESHNESS_WINDOW_DAYS) {
      c.add('freshness', `must be between 1 hour and ${MAX_FRESHNESS_WINDOW_DAYS} days (the window a CloudWatch alarm can watch)`,
        props.freshness.toHumanString(), 'Pick a freshness SLA within that range.');
    }
  }
  if (props.retention && !props.retention.isUnresolved()) {
    const days = props.retention.toDays({ integral: false });
    if (days < 1 || !Number.isInteger(days)) {
      c.add('retention', 'must be a whole number of days, at least 1 (S3 lifecycle works in days)', props.retention.toHumanString(), 'Use Duration.days(n).');
    }
  }
  (props.supportEmails ?? []).forEach((e, i) => {
    if (typeof e !== 'string' || !EMAIL_PATTERN.test(e)) c.add(`supportEmails[${i}]`, 'must be an email address', e, 'Fix the address.');
  });
}

/** Contract column constraints kept as table parameters (`contract.required` = "a,b"), per table and column. */
const CONSTRAINT_KEYS = ['required', 'primary_key', 'unique'] as const;

function columnParametersOf(tables: readonly TableSpec[]): Record<string, Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, Record<string, string>>> = {};
  for (const t of tables) {
    for (const key of CONSTRAINT_KEYS) {
      const cols = t.parameters?.[`contract.${key}`];
      if (!cols) continue;
      for (const col of cols.split(',')) {
        out[t.name] = out[t.name] ?? {};
        out[t.name][col] = { ...out[t.name][col], [key]: 'true' };
      }
    }
  }
  return out;
}

/** DataProduct props from a mapped contract. */
export function contractProductProps(spec: ContractProductSpec): Pick<DataProductProps,
  'productName' | 'description' | 'owner' | 'contact' | 'classification' | 'tags' | 'parameters' | 'tables' | 'quality' | 'freshness' | 'retention' | 'supportEmails'> {
  const tables = spec.tables.map((t) => {
    const params: Record<string, string> = {};
    const columns = spec.columnParameters[t.name] ?? {};
    for (const key of CONSTRAINT_KEYS) {
      const cols = Object.keys(columns).filter((c) => columns[c][key] === 'true');
      if (cols.length > 0) params[`contract.${key}`] = cols.join(',');
    }
    return Object.keys(params).length > 0 ? { ...t, parameters: { ...t.parameters, ...params } } : t;
  });
  return {
    productName: spec.productName,
    description: spec.description,
    owner: spec.owner,
    contact: spec.contact,
    classification: spec.classification,
    tags: spec.tags,
    parameters: {
      ...spec.parameters,
      ...(spec.team.name ? { team: spec.team.name } : {}),
      ...(spec.support.emails.length > 0 ? { support_emails: spec.support.emails.join(',') } : {}),
      ...(spec.sla.freshness ? { sla_freshness_seconds: String(spec.sla.freshness.maxAgeSeconds) } : {}),
      ...(spec.sla.retentionDays ? { sla_retention_days: String(spec.sla.retentionDays) } : {}),
      ...(spec.quality.length > 0 ? { quality_rulesets: spec.quality.map((q) => q.table).join(',') } : {}),
    },
    tables,
    quality: spec.quality.map((q) => ({ table: q.table, dqdl: q.dqdl })),
    freshness: spec.sla.freshness ? Duration.seconds(spec.sla.freshness.maxAgeSeconds) : undefined,
    retention: spec.sla.retentionDays ? Duration.days(spec.sla.retentionDays) : undefined,
    supportEmails: spec.support.emails,
  };
}
