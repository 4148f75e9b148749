/** Public shapes returned by {@link MeshClient}. */

/** Where a resource link points. */
export interface DatabaseTarget {
  readonly catalogId: string;
  readonly databaseName: string;
  /** Set when the link points to another region. */
  readonly region?: string;
}

/** A data product as listed in a catalog. */
export interface ProductSummary {
  /** Glue database name (of the resource link, when `isResourceLink`). */
  readonly name: string;
  readonly domain?: string;
  readonly product?: string;
  readonly description?: string;
  readonly owner?: string;
  readonly contact?: string;
  /** The `classification` LF-tag of the product database, else its `classification_level` parameter. */
  readonly classification?: string;
  /** Catalog (account) holding the database or the resource link. */
  readonly catalogId?: string;
  readonly isResourceLink: boolean;
  /** The product database a resource link points to. */
  readonly target?: DatabaseTarget;
}

/** Where an effective classification comes from. */
export type ClassificationSource = 'column' | 'table' | 'database' | 'parameter';

export interface ProductColumn {
  readonly name: string;
  readonly type?: string;
  readonly comment?: string;
  /** LF-tags assigned to the column itself (key → value). */
  readonly lfTags: Readonly<Record<string, string>>;
  /** Column tag, else table tag, else database tag, else the product's `classification_level` parameter. */
  readonly classification?: string;
  readonly classificationSource?: ClassificationSource;
}

export interface ProductTable {
  readonly name: string;
  readonly description?: string;
  readonly tableType?: string;
  /** The Glue table parameter `classification`: the file format (parquet, json, csv), not data sensitivity. */
  readonly format?: string;
  readonly location?: string;
  readonly columns: readonly ProductColumn[];
  readonly partitionKeys: readonly ProductColumn[];
  /** Partition projection parameters (`projection.*`, `storage.location.template`); undefined when none. */
  readonly projection?: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
  /** LF-tags assigned to the table itself (key → value). */
  readonly lfTags: Readonly<Record<string, string>>;
  /** Table tag, else database tag, else the product's `classification_level` parameter. */
  readonly classification?: string;
}

export interface ProductDetails extends ProductSummary {
  readonly mesh?: string;
  readonly producerAccount?: string;
  readonly locationUri?: string;
  /** Every parameter of the product database. */
  readonly parameters: Readonly<Record<string, string>>;
  /** LF-tags assigned to the product database (key → value). */
  readonly lfTags: Readonly<Record<string, string>>;
  /** Parameters starting with `sla_` or `sla.`, keyed without the prefix. */
  readonly sla: Readonly<Record<string, string>>;
  /** Parameters starting with `quality_` or `quality.`, keyed without the prefix. */
  readonly quality: Readonly<Record<string, string>>;
  readonly tables: readonly ProductTable[];
}

export interface QueryProgress {
  readonly queryExecutionId: string;
  /** QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED. */
  readonly state: string;
  /** Measured by the client since it started the query. */
  readonly elapsedMs: number;
  readonly bytesScanned: number;
}

export interface QueryColumn {
  readonly name: string;
  /** Athena type (`varchar`, `bigint`, `decimal`, `timestamp`...). */
  readonly type: string;
}

export interface QueryResult {
  readonly queryExecutionId: string;
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly Record<string, unknown>[];
  readonly bytesScanned: number;
  /** Athena's engine execution time. */
  readonly executionTimeMs: number;
  /** Measured by the client from start to the last result page. */
  readonly elapsedMs: number;
}

/** Where a declaration comes from in the cloud assembly. */
export interface DeclarationSource {
  readonly stack: string;
  readonly logicalId: string;
}

export interface GrantFinding {
  readonly principal: string;
  /** Human-readable resource. */
  readonly resource: string;
  readonly permissions: readonly string[];
  readonly grantOption: boolean;
  readonly description: string;
  /** The declaring resource (missing grants only). */
  readonly source?: DeclarationSource;
}

export interface TagFinding {
  /** `lf-tag`: the tag key itself (ontology); `resource`: an association on a database, table or column. */
  readonly kind: 'lf-tag' | 'resource';
  /** Human-readable resource (for `resource`). */
  readonly resource?: string;
  readonly tagKey: string;
  readonly tagValue?: string;
  readonly description: string;
  readonly source?: DeclarationSource;
}

export interface SettingsFinding {
  readonly kind: 'admin' | 'cross-account-version' | 'default-permissions';
  readonly description: string;
  readonly source?: DeclarationSource;
}

export interface VerifyReport {
  readonly account: string;
  readonly region: string;
  /** Stacks of the assembly that were compared (those of `account` and `region`). */
  readonly stacks: readonly string[];
  readonly missingGrants: readonly GrantFinding[];
  readonly extraGrants: readonly GrantFinding[];
  readonly missingTags: readonly TagFinding[];
  readonly extraTags: readonly TagFinding[];
  readonly settingsProblems: readonly SettingsFinding[];
  /** Declarations that could not be compared because a value is only known at deploy time. */
  readonly unchecked: readonly string[];
  /** True when nothing is missing, extra or wrong (unchecked declarations do not count). */
  readonly ok: boolean;
}
