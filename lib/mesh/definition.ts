import type { PartitionProjection } from '../table-schema';

/**
 * The mesh definition: what `mesh.yaml` holds, after loading. Field names are the YAML keys.
 * Every field is validated by the loader ({@link loadMeshDefinition}), which reports file, line and column.
 */
export interface MeshDefinition {
  /** Mesh name: prefixes bucket, role and key alias names (`[a-z][a-z0-9-]*`, 2-20 characters). */
  readonly name: string;
  /** The central governance account: catalog, LF-tags, grants. */
  readonly governance: AccountRegion;
  /**
   * Whether every account of the mesh is in one AWS Organization with RAM sharing enabled. Then Lake
   * Formation's RAM shares are accepted automatically; otherwise each consumer account accepts them with a
   * custom resource.
   * @default false
   */
  readonly sharedOrganization?: boolean;
  /** Lake Formation settings applied in every account of the mesh. */
  readonly lakeFormation?: LakeFormationDefinition;
  /**
   * The LF-tag ontology: keys and allowed values. `classification` may be given to replace the default values
   * (ordered from least to most sensitive); `domain` is built in (its values are the domain names).
   */
  readonly tags?: Readonly<Record<string, readonly string[]>>;
  /** Defaults applied to every domain unless the domain sets its own. */
  readonly defaults?: DomainDefaults;
  readonly domains: readonly DomainDefinition[];
  /** @default - none */
  readonly subscriptions?: readonly SubscriptionDefinition[];
}

export interface AccountRegion {
  /** 12-digit AWS account ID (quote it in YAML). */
  readonly account: string;
  /** AWS region code, e.g. `eu-west-1`. */
  readonly region: string;
}

export interface LakeFormationDefinition {
  /** @default 4 */
  readonly crossAccountVersion?: number;
  /**
   * IAM role names (in each account of the mesh) to make data lake administrators besides the CDK execution
   * role, e.g. a break-glass administrator role.
   * @default - none
   */
  readonly adminRoleNames?: readonly string[];
}

export interface DomainDefaults {
  /** @default DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY */
  readonly bytesScannedCutoffPerQuery?: number;
  /** @default DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION */
  readonly queryRoleMaxClassification?: string;
}

export type DomainRoleName = 'producer' | 'consumer' | 'both';

export interface DomainDefinition extends AccountRegion, DomainDefaults {
  /** Domain name: lowercase `[a-z][a-z0-9_]*`, at most 32 characters. */
  readonly name: string;
  readonly role: DomainRoleName;
  /** @default - none */
  readonly description?: string;
  /** Products the domain publishes (producer or both). @default - none */
  readonly products?: readonly ProductDefinition[];
}

/**
 * A product of a domain: written out here, or defined by an ODCS data contract (`contract`). A contract product
 * takes its name (unless `name` is given), description, owner, contact, classification, LF-tags and tables from
 * the contract, which must then not be given here; the loader's `resolved` definition has them filled in.
 */
export interface ProductDefinition {
  /**
   * Product name: lowercase `[a-z][a-z0-9_]*`; the database is `<domain>_<product>`. Required unless `contract`,
   * where it overrides the contract's `dataProduct`.
   */
  readonly name?: string;
  /**
   * Path of an ODCS v3.1.0 data contract (YAML or JSON) defining the product, relative to the folder of the mesh
   * file, e.g. `contracts/orders.odcs.yaml`. The contract also gives the product its quality rulesets, freshness
   * and retention SLA and support addresses.
   * @default - the product is defined here
   */
  readonly contract?: string;
  /** What the product is. Required unless `contract` (then it comes from the contract and must not be given). */
  readonly description?: string;
  /** Accountable owner. Required unless `contract` (then it comes from the contract and must not be given). */
  readonly owner?: string;
  /** @default - none (with `contract`: from the contract, not to be given) */
  readonly contact?: string;
  /** @default DEFAULT_PRODUCT_CLASSIFICATION (with `contract`: from the contract, not to be given) */
  readonly classification?: string;
  /**
   * Further LF-tags from the ontology (key: value) on the product database.
   * @default - none (with `contract`: from the contract's `key:value` tags, not to be given)
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** `bucket` (own bucket) or `domain-prefix` (prefix of the domain's data bucket). @default 'bucket' */
  readonly storage?: 'bucket' | 'domain-prefix';
  /**
   * Pins the product's catalog entries to shard N (`catalog-<domain>` is 1, then `catalog-<domain>-2`...).
   * Needed only for domains whose catalog outgrows one stack; pinning keeps entries from moving.
   * @default - placed automatically
   */
  readonly catalogShard?: number;
  /** Tables of the product. Required unless `contract` (then they come from its `schema` and must not be given). */
  readonly tables?: readonly TableDefinition[];
}

export interface TableDefinition {
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  /** `parquet`, `json` or `csv`. @default 'parquet' */
  readonly format?: 'parquet' | 'json' | 'csv';
  /** @default - inherits the product's */
  readonly classification?: string;
  readonly columns: readonly ColumnDefinition[];
  /** Names of partition columns, in order. @default - none */
  readonly partitionKeys?: readonly string[];
  /** Partition projection per partition key. @default - none */
  readonly projection?: Readonly<Record<string, PartitionProjection>>;
}

export interface ColumnDefinition {
  readonly name: string;
  /** Glue type, e.g. `string`, `bigint`, `decimal(12,2)`, `array<string>`. */
  readonly type: string;
  /** @default - none */
  readonly comment?: string;
  /** @default - inherits the table's */
  readonly classification?: string;
}

/**
 * A consumer domain's subscription: either an LF-tag expression (AND across keys, OR within a key's values)
 * or a list of products (`<domain>.<product>`).
 */
export interface SubscriptionDefinition {
  /** The consuming domain (role consumer or both). */
  readonly consumer: string;
  /** Optional label; defaults to a name derived from the content. Used in construct IDs. */
  readonly name?: string;
  /** LF-tag key → allowed values. At most 5 keys (Lake Formation's limit of conditions). */
  readonly expression?: Readonly<Record<string, readonly string[]>>;
  /** Shorthand: products by `<domain>.<product>`. */
  readonly products?: readonly string[];
  /**
   * For `products` subscriptions: the highest classification the consumer may read; columns classified
   * above it are excluded.
   * @default DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION
   */
  readonly maxClassification?: string;
  /**
   * Grant to the consumer account with the grant option (its administrator re-grants) instead of directly to
   * the consumer domain's query role. Only for consumers in another account.
   * @default false
   */
  readonly grantToAccount?: boolean;
}
