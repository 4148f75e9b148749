import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  CLASSIFICATION_TAG_KEY, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, DEFAULT_PRODUCT_CLASSIFICATION,
  DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION, DOMAIN_TAG_KEY, LF_MAX_TAGS_PER_RESOURCE,
} from '../lib/defaults';
import { ProblemCollector } from '../lib/errors';
import { productBucketName, productDatabaseName, validateBucketName, validateName } from '../lib/naming';
import { KMS_DECRYPT_ACTIONS, KMS_ENCRYPT_ACTIONS, S3_READ_ACTIONS, S3_REGISTRATION_ACTIONS, S3_WRITE_ACTIONS } from '../lib/perms';
import { acknowledge, inCompliancePacks } from '../lib/private/nag';
import { pinAccessLogDeliveryByPolicy } from '../lib/private/feature-flags';
import { resolveRemovalPolicy } from '../lib/private/removal';
import { TableSpec, validateClassification, validateTable } from '../lib/table-schema';
import type { CatalogShard } from './catalog-shard';
import { DataDomain, DomainRole } from './data-domain';
import type { MeshGovernance } from './mesh-governance';
import { ProductCatalog } from './product-catalog';

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
}

/** S3 actions on the bucket itself rather than its objects. */
const BUCKET_LEVEL_ACTIONS: readonly string[] = ['s3:ListBucket', 's3:GetBucketLocation'];

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

  constructor(scope: Construct, id: string, props: DataProductProps) {
    super(scope, id);
    pinAccessLogDeliveryByPolicy(this);
    const domain = props.domain;
    const ontology = props.governance.ontology;
    this.domain = domain;
    this.productName = props.productName;
    this.tables = props.tables;
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
        }],
      });
      acknowledge(bucket, inCompliancePacks('S3BucketReplicationEnabled'),
        'Versioning and retention protect the product against deletion in place; cross-region replication needs a destination bucket and key in another region, an organization-level disaster-recovery choice outside this product.');
      this.bucket = bucket;
      this.prefix = '';
    } else {
      this.bucket = domain.dataBucket();
      this.prefix = props.productName;
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
      registrationRoleArn: props.governance.registrationRoleArn,
      removalPolicy,
    };
    this.catalog = props.catalog
      ? props.catalog.addProduct(catalogProps)
      : new ProductCatalog(this, 'Catalog', catalogProps);
    // The catalog half needs the storage, the governance and the domain's roles in place.
    if (props.catalog) props.catalog.node.addDependency(domain);
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
    const bucketActions = actions.filter((a) => BUCKET_LEVEL_ACTIONS.includes(a));
    const objectActions = actions.filter((a) => !BUCKET_LEVEL_ACTIONS.includes(a));
    const objects = this.prefix ? `${this.bucket.bucketArn}/${this.prefix}/*` : `${this.bucket.bucketArn}/*`;
    const statements = [new iam.PolicyStatement({ ...base, sid: base.sid ? `${base.sid}Objects` : undefined, actions: objectActions, resources: [objects] })];
    if (bucketActions.length > 0) {
      statements.push(new iam.PolicyStatement({
        ...base,
        sid: base.sid ? `${base.sid}Bucket` : undefined,
        actions: bucketActions,
        resources: [this.bucket.bucketArn],
        conditions: this.prefix ? { ...base.conditions, StringLike: { 's3:prefix': [this.prefix, `${this.prefix}/*`] } } : base.conditions,
      }));
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
