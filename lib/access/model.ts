/**
 * The catalog and grant model the access evaluator works on: what a cloud assembly declares in the Glue Data
 * Catalog and in Lake Formation, with every intrinsic that could be resolved resolved. Plain data only (no
 * classes), so that a model can be built by hand in tests or serialized.
 */

/** One CloudFormation stack of the assembly. */
export interface StackInfo {
  /** Artifact ID in the manifest (nested assemblies: `<assembly>/<artifact>`). */
  readonly id: string;
  readonly stackName: string;
  /** 12-digit account, or `unknown-account` for an environment-agnostic stack. */
  readonly account: string;
  readonly region: string;
  /** Absolute path of the template. */
  readonly templateFile: string;
}

/** Where a model element came from. */
export interface SourceRef {
  /** {@link StackInfo.id} */
  readonly stack: string;
  readonly logicalId: string;
}

/** LF-tag key → value on one resource (a resource carries one value per key). */
export type TagMap = Readonly<Record<string, string>>;

export interface LinkTarget {
  readonly catalogId: string;
  readonly name: string;
  readonly region?: string;
}

export interface DatabaseModel extends SourceRef {
  readonly catalogId: string;
  readonly name: string;
  /** LF-tags assigned to the database itself. */
  readonly tags: TagMap;
  readonly parameters: Readonly<Record<string, string>>;
  readonly locationUri?: string;
  /** A resource link (`DatabaseInput.TargetDatabase`). */
  readonly isLink: boolean;
  readonly target?: LinkTarget;
}

export interface ColumnModel {
  readonly name: string;
  readonly type: string;
  /** Declared in `PartitionKeys` rather than in `StorageDescriptor.Columns`. */
  readonly partitionKey: boolean;
}

export interface TableModel extends SourceRef {
  readonly catalogId: string;
  readonly databaseName: string;
  readonly name: string;
  /** Columns in declaration order: storage columns, then partition keys. */
  readonly columns: readonly ColumnModel[];
  /** LF-tags assigned to the table itself (overriding the database's value of the same key). */
  readonly tags: TagMap;
  /** LF-tags assigned to single columns (overriding the table's value of the same key), by column name. */
  readonly columnTags: Readonly<Record<string, TagMap>>;
}

/** An LF-tag key of the ontology (`AWS::LakeFormation::Tag`, or a custom resource with `TagKey`/`TagValues`). */
export interface LfTagModel extends SourceRef {
  readonly catalogId: string;
  readonly key: string;
  readonly values: readonly string[];
}

/** A tag association as declared (already applied to {@link DatabaseModel.tags} and friends). */
export interface TagAssociationModel extends SourceRef {
  readonly resource: GrantResource;
  readonly tags: readonly { readonly catalogId: string; readonly key: string; readonly values: readonly string[] }[];
}

export interface TagCondition {
  readonly key: string;
  readonly values: readonly string[];
}

/** The resource of a grant (or of a tag association). */
export type GrantResource =
  | { readonly kind: 'Catalog'; readonly catalogId: string }
  | { readonly kind: 'Database'; readonly catalogId: string; readonly name: string }
  /** `name` undefined = `TableWildcard` (every table of the database). */
  | { readonly kind: 'Table'; readonly catalogId: string; readonly databaseName: string; readonly name?: string }
  | {
    readonly kind: 'TableWithColumns';
    readonly catalogId: string;
    readonly databaseName: string;
    readonly name: string;
    /** Set for `ColumnNames`. */
    readonly columnNames?: readonly string[];
    /** Set for `ColumnWildcard` (possibly empty). */
    readonly excludedColumnNames?: readonly string[];
  }
  | { readonly kind: 'LFTagPolicy'; readonly catalogId: string; readonly resourceType: 'DATABASE' | 'TABLE'; readonly expression: readonly TagCondition[] }
  | { readonly kind: 'DataLocation'; readonly catalogId: string; readonly resourceArn: string }
  | { readonly kind: 'Other'; readonly catalogId: string; readonly description: string };

export interface GrantModel extends SourceRef {
  /** `<stack>/<logicalId>`: what {@link AccessEntry.via} lists. */
  readonly id: string;
  /** Account of the stack that makes the grant (the grantor). */
  readonly grantorAccount: string;
  /** IAM principal ARN, 12-digit account ID, or another Lake Formation principal identifier, resolved as far as possible. */
  readonly principal: string;
  readonly resource: GrantResource;
  /** Sorted. */
  readonly permissions: readonly string[];
  /** Sorted. */
  readonly grantable: readonly string[];
  /** `AWS::LakeFormation::Permissions` (legacy) instead of `AWS::LakeFormation::PrincipalPermissions`. */
  readonly legacy: boolean;
}

export interface CatalogModel {
  /** Sorted by ID. */
  readonly stacks: readonly StackInfo[];
  /** Sorted by catalog, then name. */
  readonly databases: readonly DatabaseModel[];
  /** Sorted by catalog, database, name. */
  readonly tables: readonly TableModel[];
  /** Sorted by catalog, key. */
  readonly lfTags: readonly LfTagModel[];
  readonly tagAssociations: readonly TagAssociationModel[];
  /** Sorted by ID. */
  readonly grants: readonly GrantModel[];
  /** Problems found while reading (duplicate resources, associations to unknown resources...), sorted. */
  readonly warnings: readonly string[];
}

/** `<catalogId>:<database>`. */
export function databaseKey(catalogId: string, database: string): string {
  return `${catalogId}:${database}`;
}

/** `<catalogId>:<database>.<table>`. */
export function tableKey(catalogId: string, database: string, table: string): string {
  return `${catalogId}:${database}.${table}`;
}

/** Compares strings by code unit: deterministic, independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted copy without duplicates. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}
