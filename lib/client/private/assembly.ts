import { CfnResource, CloudAssemblyStack, ResolveContext, UnresolvableError, readCloudAssembly, resolve } from '../../assembly';
import type { DeclarationSource } from '../types';
import { compareStrings } from './compare';
import { LfResource, databaseOf, describeResource, normalizeResource, resourceKey } from './lf-resources';

/** A stack of a cloud assembly, named as verify() reports it. */
export interface AssemblyStack extends CloudAssemblyStack {
  readonly stackName: string;
}

/** The stacks of a cloud assembly in manifest order, named by stack name, else construct path, else artifact ID. */
export function readStacks(dir: string): AssemblyStack[] {
  return readCloudAssembly(dir).map((s) => ({ ...s, stackName: s.stackName ?? s.displayName ?? s.artifactId }));
}

/** Resolves what a declaration says; a value known only at deploy time throws {@link UnresolvableError}. */
function resolveIntrinsics(value: unknown, ctx: ResolveContext): unknown {
  return resolve(value, ctx, { unresolvable: 'throw' });
}

export interface DeclaredGrant {
  readonly source: DeclarationSource;
  readonly principal: string;
  readonly resource: LfResource;
  readonly permissions: readonly string[];
  readonly permissionsWithGrantOption: readonly string[];
}

/** A database or table whose assigned LF-tags are declared; column tags belong to their table. */
export interface TagTarget {
  readonly catalogId: string;
  readonly database: string;
  readonly table?: string;
}

export interface DeclaredAssociation {
  readonly source: DeclarationSource;
  readonly target: TagTarget;
  /** Set for `TableWithColumns` associations. */
  readonly columns?: readonly string[];
  /** Lowercase key → lowercase value. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface DeclaredLfTag {
  readonly source: DeclarationSource;
  readonly catalogId: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface DeclaredSettings {
  readonly source: DeclarationSource;
  readonly catalogId: string;
  /** Resolved admin ARNs; admins known only at deploy time are in `Declarations.unchecked`. */
  readonly admins: readonly string[];
  readonly crossAccountVersion?: string;
  /** `principal:permission` entries; undefined when the declaration leaves them alone. */
  readonly createDatabaseDefaultPermissions?: readonly string[];
  readonly createTableDefaultPermissions?: readonly string[];
}

export interface Declarations {
  readonly grants: DeclaredGrant[];
  readonly associations: DeclaredAssociation[];
  readonly lfTags: DeclaredLfTag[];
  readonly settings: DeclaredSettings[];
  /** `catalogId:database` of every database the assembly creates or tags. */
  readonly managedDatabases: Set<string>;
  /** ARNs of registered data locations. */
  readonly managedLocations: string[];
  /** `catalogId:key` of every LF-tag the assembly defines. */
  readonly managedTagKeys: Set<string>;
  /** Resource keys of every declared grant. */
  readonly managedResourceKeys: Set<string>;
  readonly unchecked: string[];
}

/** Extracts what the stacks declare about Lake Formation. `contextOf` gives each stack's intrinsic context. */
export function extractDeclarations(stacks: readonly AssemblyStack[], contextOf: (s: AssemblyStack) => ResolveContext, account: string): Declarations {
  const d: Declarations = {
    grants: [], associations: [], lfTags: [], settings: [],
    managedDatabases: new Set(), managedLocations: [], managedTagKeys: new Set(), managedResourceKeys: new Set(), unchecked: [],
  };
  for (const stack of stacks) {
    const ctx = contextOf(stack);
    for (const [logicalId, res] of Object.entries(stack.template.Resources ?? {}).sort(([a], [b]) => compareStrings(a, b))) {
      const source = { stack: stack.stackName, logicalId };
      const where = `${stack.stackName}/${logicalId} (${res.Type})`;
      try {
        extractResource(d, res, source, ctx, account, where);
      } catch (err) {
        if (!(err instanceof UnresolvableError)) throw err;
        d.unchecked.push(`${where}: not compared, its value depends on ${err.message}`);
      }
    }
  }
  return d;
}

function extractResource(d: Declarations, res: CfnResource, source: DeclarationSource, ctx: ResolveContext, account: string, where: string): void {
  const raw = res.Properties ?? {};
  switch (res.Type) {
    case 'AWS::LakeFormation::PrincipalPermissions': {
      const p = resolveIntrinsics(raw, ctx) as Record<string, unknown>;
      const principal = String((p.Principal as Record<string, unknown> | undefined)?.DataLakePrincipalIdentifier ?? '');
      const resource = normalizeResource(p.Resource, str(p.Catalog) ?? account);
      d.grants.push({ source, principal, resource, permissions: strings(p.Permissions), permissionsWithGrantOption: strings(p.PermissionsWithGrantOption) });
      d.managedResourceKeys.add(resourceKey(resource));
      return;
    }
    case 'AWS::LakeFormation::TagAssociation': {
      const p = resolveIntrinsics(raw, ctx) as Record<string, unknown>;
      const resource = normalizeResource(p.Resource, account);
      const tags: Record<string, string> = {};
      for (const t of (Array.isArray(p.LFTags) ? p.LFTags : []) as Record<string, unknown>[]) {
        const values = strings(t.TagValues);
        // A resource carries one value per key; CloudFormation takes a list.
        if (values.length > 0) tags[String(t.TagKey).toLowerCase()] = values[0].toLowerCase();
      }
      if (resource.kind === 'database') {
        d.associations.push({ source, target: { catalogId: resource.catalogId, database: resource.database }, tags });
      } else if (resource.kind === 'table' && resource.table !== '*') {
        d.associations.push({ source, target: { catalogId: resource.catalogId, database: resource.database, table: resource.table }, tags });
      } else if (resource.kind === 'columns' && resource.columns) {
        d.associations.push({ source, target: { catalogId: resource.catalogId, database: resource.database, table: resource.table }, columns: resource.columns, tags });
      } else {
        d.unchecked.push(`${where}: not compared, LF-tags on ${describeResource(resource)} are not checked by verify()`);
        return;
      }
      d.managedDatabases.add(databaseOf(resource)!);
      return;
    }
    case 'AWS::LakeFormation::Tag':
    case 'Custom::LfTag': {
      const p = resolveIntrinsics({ CatalogId: raw.CatalogId, TagKey: raw.TagKey, TagValues: raw.TagValues }, ctx) as Record<string, unknown>;
      const catalogId = str(p.CatalogId) ?? account;
      const key = String(p.TagKey).toLowerCase();
      d.lfTags.push({ source, catalogId, key, values: strings(p.TagValues).map((v) => v.toLowerCase()) });
      d.managedTagKeys.add(`${catalogId}:${key}`);
      return;
    }
    case 'AWS::Glue::Database': {
      const p = resolveIntrinsics({ CatalogId: raw.CatalogId, Name: (raw.DatabaseInput as Record<string, unknown> | undefined)?.Name }, ctx) as Record<string, unknown>;
      if (str(p.Name)) d.managedDatabases.add(`${str(p.CatalogId) ?? account}:${p.Name}`);
      return;
    }
    case 'AWS::Glue::Table': {
      const p = resolveIntrinsics({ CatalogId: raw.CatalogId, DatabaseName: raw.DatabaseName }, ctx) as Record<string, unknown>;
      if (str(p.DatabaseName)) d.managedDatabases.add(`${str(p.CatalogId) ?? account}:${p.DatabaseName}`);
      return;
    }
    case 'AWS::LakeFormation::Resource': {
      const arn = resolveIntrinsics(raw.ResourceArn, ctx);
      if (typeof arn === 'string') d.managedLocations.push(arn.replace(/\/+$/, ''));
      return;
    }
    case 'Custom::LakeFormationSettings': {
      const p = resolveIntrinsics({ CatalogId: raw.CatalogId, CrossAccountVersion: raw.CrossAccountVersion }, ctx) as Record<string, unknown>;
      d.settings.push({
        source,
        catalogId: str(p.CatalogId) ?? account,
        admins: resolveEach(d, raw.Admins, ctx, where, 'administrator'),
        crossAccountVersion: p.CrossAccountVersion === undefined ? undefined : String(p.CrossAccountVersion),
        // The toolkit's handler always empties both lists.
        createDatabaseDefaultPermissions: [],
        createTableDefaultPermissions: [],
      });
      return;
    }
    case 'AWS::LakeFormation::DataLakeSettings': {
      const admins = (Array.isArray(raw.Admins) ? raw.Admins : []).map((a) => (a as Record<string, unknown>)?.DataLakePrincipalIdentifier);
      const p = resolveIntrinsics({
        Parameters: raw.Parameters, CreateDatabaseDefaultPermissions: raw.CreateDatabaseDefaultPermissions, CreateTableDefaultPermissions: raw.CreateTableDefaultPermissions,
      }, ctx) as Record<string, unknown>;
      const version = (p.Parameters as Record<string, unknown> | undefined)?.CROSS_ACCOUNT_VERSION;
      d.settings.push({
        source,
        catalogId: account,
        admins: resolveEach(d, admins, ctx, where, 'administrator'),
        crossAccountVersion: version === undefined ? undefined : String(version),
        createDatabaseDefaultPermissions: defaultPermissions(p.CreateDatabaseDefaultPermissions),
        createTableDefaultPermissions: defaultPermissions(p.CreateTableDefaultPermissions),
      });
      return;
    }
    default:
      return;
  }
}

/** Resolves list items one by one, so that one deploy-time value does not hide the others. */
function resolveEach(d: Declarations, list: unknown, ctx: ResolveContext, where: string, what: string): string[] {
  const out: string[] = [];
  for (const item of Array.isArray(list) ? list : []) {
    try {
      const v = resolveIntrinsics(item, ctx);
      if (typeof v === 'string') out.push(v);
    } catch (err) {
      if (!(err instanceof UnresolvableError)) throw err;
      d.unchecked.push(`${where}: ${what} not compared, its value depends on ${err.message}`);
    }
  }
  return out;
}

/** `principal:permission` entries of a default-permissions list (API or CloudFormation shape). */
export function defaultPermissions(list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: string[] = [];
  for (const entry of list as Record<string, unknown>[]) {
    const principal = String((entry?.Principal as Record<string, unknown> | undefined)?.DataLakePrincipalIdentifier ?? '');
    for (const perm of strings(entry?.Permissions)) out.push(`${principal}:${perm}`);
  }
  return out.sort();
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
