import { CloudAssemblyStack, ResolveContext, TemplateResource, UNKNOWN_ACCOUNT, UNKNOWN_REGION, asString, readCloudAssembly, stableJson } from '../assembly';
import { resolveValue } from './intrinsics';
import {
  CatalogModel, ColumnModel, DatabaseModel, GrantModel, GrantResource, LfTagModel, StackInfo, TableModel, TagAssociationModel, TagCondition,
  compareStrings, databaseKey, sortedUnique, tableKey,
} from './model';

/** A stack template to model, with its environment. */
export interface StackTemplate {
  readonly id: string;
  /** @default id */
  readonly stackName?: string;
  readonly account: string;
  readonly region: string;
  readonly template: { readonly Resources?: Record<string, TemplateResource>; readonly Parameters?: Record<string, { Default?: unknown }> };
  /** @default '' */
  readonly templateFile?: string;
}

/**
 * Reads a cloud assembly (`cdk.out`, or the `outdir` of an `App`): every stack artifact of `manifest.json`
 * (nested assemblies included), its template and environment, into a {@link CatalogModel}.
 */
export function readAssembly(dir: string): CatalogModel {
  return modelFromTemplates(readCloudAssembly(dir).map(stackTemplate));
}

/** A stack of the assembly as the model sees it: environment-agnostic stacks are in `unknown-account`/`unknown-region`. */
export function stackTemplate(s: CloudAssemblyStack): StackTemplate {
  return {
    id: s.id,
    stackName: s.stackName ?? s.artifactId,
    account: s.account ?? UNKNOWN_ACCOUNT,
    region: s.region ?? UNKNOWN_REGION,
    templateFile: s.templateFile,
    template: s.template,
  };
}

interface MutableTable {
  base: Omit<TableModel, 'tags' | 'columnTags'>;
  tags: Map<string, string>;
  columnTags: Map<string, Map<string, string>>;
}

interface MutableDatabase {
  base: Omit<DatabaseModel, 'tags'>;
  tags: Map<string, string>;
}

type Props = Record<string, unknown>;

/** Builds the model from templates already in memory. Stacks are processed in ID order, resources in logical-ID order. */
export function modelFromTemplates(input: readonly StackTemplate[]): CatalogModel {
  const warnings: string[] = [];
  const stacks: StackInfo[] = [];
  const databases = new Map<string, MutableDatabase>();
  const tables = new Map<string, MutableTable>();
  const lfTags = new Map<string, LfTagModel>();
  const associations: TagAssociationModel[] = [];
  const grants: GrantModel[] = [];

  for (const s of [...input].sort((a, b) => compareStrings(a.id, b.id))) {
    const info: StackInfo = { id: s.id, stackName: s.stackName ?? s.id, account: s.account, region: s.region, templateFile: s.templateFile ?? '' };
    stacks.push(info);
    const resources = s.template.Resources ?? {};
    const ctx: ResolveContext = { account: s.account, region: s.region, stackName: info.stackName, resources, parameters: s.template.Parameters };
    for (const logicalId of Object.keys(resources).sort(compareStrings)) {
      const resource = resources[logicalId];
      const where = `${s.id}/${logicalId}`;
      const props = (resolveValue(resource.Properties ?? {}, ctx) ?? {}) as Props;
      const src = { stack: s.id, logicalId };
      switch (resource.Type) {
        case 'AWS::Glue::Database': {
          const db = readDatabase(props, s.account, src);
          if (!db) {
            warnings.push(`${where}: AWS::Glue::Database without DatabaseInput.Name`);
            break;
          }
          const key = databaseKey(db.catalogId, db.name);
          const previous = databases.get(key);
          if (previous) {
            warnings.push(`database ${key} is defined twice (${previous.base.stack}/${previous.base.logicalId} and ${where}): the second create fails`);
            break;
          }
          databases.set(key, { base: db, tags: new Map() });
          break;
        }
        case 'AWS::Glue::Table': {
          const table = readTable(props, s.account, src);
          if (!table) {
            warnings.push(`${where}: AWS::Glue::Table without DatabaseName or TableInput.Name`);
            break;
          }
          const key = tableKey(table.catalogId, table.databaseName, table.name);
          const previous = tables.get(key);
          if (previous) {
            warnings.push(`table ${key} is defined twice (${previous.base.stack}/${previous.base.logicalId} and ${where}): the second create fails`);
            break;
          }
          tables.set(key, { base: table, tags: new Map(), columnTags: new Map() });
          break;
        }
        case 'AWS::LakeFormation::Tag':
          addLfTag(props, s.account, src, lfTags, warnings);
          break;
        case 'AWS::LakeFormation::TagAssociation': {
          const resourceProp = props.Resource as Props | undefined;
          const parsed = resourceProp ? readResource(resourceProp, s.account) : undefined;
          if (!parsed) {
            warnings.push(`${where}: tag association without a resource`);
            break;
          }
          const tags = asArray(props.LFTags).map((t) => {
            const tp = t as Props;
            return { catalogId: str(tp.CatalogId) ?? s.account, key: str(tp.TagKey) ?? '', values: asArray(tp.TagValues).map(asString) };
          });
          associations.push({ ...src, resource: parsed, tags });
          break;
        }
        case 'AWS::LakeFormation::PrincipalPermissions': {
          const principal = str((props.Principal as Props | undefined)?.DataLakePrincipalIdentifier);
          const resourceProp = props.Resource as Props | undefined;
          const catalog = str(props.Catalog) ?? s.account;
          const parsed = resourceProp ? readResource(resourceProp, catalog) : undefined;
          if (!principal || !parsed) {
            warnings.push(`${where}: grant without principal or resource`);
            break;
          }
          grants.push(makeGrant(src, s.account, principal, parsed, props, false));
          break;
        }
        case 'AWS::LakeFormation::Permissions': {
          const principal = str((props.DataLakePrincipal as Props | undefined)?.DataLakePrincipalIdentifier);
          const parsed = readLegacyResource((props.Resource ?? {}) as Props, s.account);
          if (!principal || !parsed) {
            warnings.push(`${where}: legacy grant without principal or resource`);
            break;
          }
          grants.push(makeGrant(src, s.account, principal, parsed, props, true));
          warnings.push(`${where}: legacy AWS::LakeFormation::Permissions (use AWS::LakeFormation::PrincipalPermissions)`);
          break;
        }
        default:
          if ((resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource')
            && props.TagKey !== undefined && props.TagValues !== undefined) {
            addLfTag(props, s.account, src, lfTags, warnings);
          }
          break;
      }
    }
  }

  for (const a of associations) applyAssociation(a, databases, tables, lfTags, warnings);
  checkGrants(grants, warnings);

  const byDb = (a: { catalogId: string; name: string }, b: { catalogId: string; name: string }) =>
    compareStrings(a.catalogId, b.catalogId) || compareStrings(a.name, b.name);
  return {
    stacks,
    databases: [...databases.values()].map((d) => ({ ...d.base, tags: mapToRecord(d.tags) })).sort(byDb),
    tables: [...tables.values()]
      .map((t) => ({
        ...t.base,
        tags: mapToRecord(t.tags),
        columnTags: Object.fromEntries([...t.columnTags.keys()].sort(compareStrings).map((c) => [c, mapToRecord(t.columnTags.get(c)!)])),
      }))
      .sort((a, b) => compareStrings(a.catalogId, b.catalogId) || compareStrings(a.databaseName, b.databaseName) || compareStrings(a.name, b.name)),
    lfTags: [...lfTags.values()].sort((a, b) => compareStrings(a.catalogId, b.catalogId) || compareStrings(a.key, b.key)),
    tagAssociations: associations,
    grants: grants.sort((a, b) => compareStrings(a.id, b.id)),
    warnings: sortedUnique(warnings),
  };
}

function readDatabase(props: Props, account: string, src: { stack: string; logicalId: string }): Omit<DatabaseModel, 'tags'> | undefined {
  const input = (props.DatabaseInput ?? {}) as Props;
  const name = str(input.Name);
  if (!name) return undefined;
  const target = input.TargetDatabase as Props | undefined;
  const parameters: Record<string, string> = {};
  const rawParams = (input.Parameters ?? {}) as Props;
  for (const k of Object.keys(rawParams).sort(compareStrings)) parameters[k] = asString(rawParams[k]);
  const catalogId = str(props.CatalogId) ?? account;
  return {
    ...src,
    catalogId,
    name,
    parameters,
    ...(str(input.LocationUri) !== undefined ? { locationUri: str(input.LocationUri) } : {}),
    isLink: target !== undefined,
    ...(target !== undefined ? {
      target: {
        catalogId: str(target.CatalogId) ?? catalogId,
        name: str(target.DatabaseName) ?? '',
        ...(str(target.Region) !== undefined ? { region: str(target.Region) } : {}),
      },
    } : {}),
  };
}

function readTable(props: Props, account: string, src: { stack: string; logicalId: string }): Omit<TableModel, 'tags' | 'columnTags'> | undefined {
  const input = (props.TableInput ?? {}) as Props;
  const name = str(input.Name);
  const databaseName = str(props.DatabaseName);
  if (!name || !databaseName) return undefined;
  const storage = (input.StorageDescriptor ?? {}) as Props;
  const toColumn = (partitionKey: boolean) => (c: unknown): ColumnModel => {
    const cp = c as Props;
    return { name: str(cp.Name) ?? '', type: str(cp.Type) ?? '', partitionKey };
  };
  const columns = [...asArray(storage.Columns).map(toColumn(false)), ...asArray(input.PartitionKeys).map(toColumn(true))];
  return { ...src, catalogId: str(props.CatalogId) ?? account, databaseName, name, columns };
}

function addLfTag(props: Props, account: string, src: { stack: string; logicalId: string }, lfTags: Map<string, LfTagModel>, warnings: string[]): void {
  const key = str(props.TagKey);
  if (!key) return;
  const catalogId = str(props.CatalogId) ?? account;
  const id = `${catalogId}:${key}`;
  const previous = lfTags.get(id);
  if (previous) {
    warnings.push(`LF-tag ${key} of catalog ${catalogId} is defined twice (${previous.stack}/${previous.logicalId} and ${src.stack}/${src.logicalId})`);
    return;
  }
  lfTags.set(id, { ...src, catalogId, key, values: asArray(props.TagValues).map(asString) });
}

/** Parses the `Resource` of a PrincipalPermissions or TagAssociation. */
function readResource(r: Props, defaultCatalog: string): GrantResource | undefined {
  const cat = (x: Props) => str(x.CatalogId) ?? defaultCatalog;
  if (r.Database) {
    const d = r.Database as Props;
    return { kind: 'Database', catalogId: cat(d), name: str(d.Name) ?? '' };
  }
  if (r.Table) {
    const t = r.Table as Props;
    const wildcard = t.TableWildcard !== undefined;
    return { kind: 'Table', catalogId: cat(t), databaseName: str(t.DatabaseName) ?? '', ...(wildcard ? {} : { name: str(t.Name) ?? '' }) };
  }
  if (r.TableWithColumns) {
    const t = r.TableWithColumns as Props;
    return tableWithColumns(t, cat(t));
  }
  if (r.LFTagPolicy) {
    const p = r.LFTagPolicy as Props;
    const resourceType = str(p.ResourceType) === 'DATABASE' ? 'DATABASE' : 'TABLE';
    const expression: TagCondition[] = asArray(p.Expression).map((e) => {
      const ep = e as Props;
      return { key: str(ep.TagKey) ?? '', values: asArray(ep.TagValues).map(asString) };
    });
    return { kind: 'LFTagPolicy', catalogId: cat(p), resourceType, expression };
  }
  if (r.DataLocation) {
    const l = r.DataLocation as Props;
    return { kind: 'DataLocation', catalogId: cat(l), resourceArn: str(l.ResourceArn) ?? '' };
  }
  if (r.Catalog !== undefined) return { kind: 'Catalog', catalogId: defaultCatalog };
  const kinds = Object.keys(r).sort(compareStrings);
  return { kind: 'Other', catalogId: defaultCatalog, description: kinds.length > 0 ? `${kinds.join(',')} ${stableJson(r)}` : '?' };
}

function tableWithColumns(t: Props, catalogId: string): GrantResource {
  const wildcard = t.ColumnWildcard as Props | undefined;
  return {
    kind: 'TableWithColumns',
    catalogId,
    databaseName: str(t.DatabaseName) ?? '',
    name: str(t.Name) ?? '',
    ...(t.ColumnNames !== undefined ? { columnNames: asArray(t.ColumnNames).map(asString) } : {}),
    ...(wildcard !== undefined ? { excludedColumnNames: asArray(wildcard.ExcludedColumnNames).map(asString) } : {}),
  };
}

function readLegacyResource(r: Props, account: string): GrantResource | undefined {
  const cat = (x: Props) => str(x.CatalogId) ?? account;
  if (r.DatabaseResource) {
    const d = r.DatabaseResource as Props;
    return { kind: 'Database', catalogId: cat(d), name: str(d.Name) ?? '' };
  }
  if (r.TableResource) {
    const t = r.TableResource as Props;
    const wildcard = t.TableWildcard !== undefined;
    return { kind: 'Table', catalogId: cat(t), databaseName: str(t.DatabaseName) ?? '', ...(wildcard ? {} : { name: str(t.Name) ?? '' }) };
  }
  if (r.TableWithColumnsResource) {
    const t = r.TableWithColumnsResource as Props;
    return tableWithColumns(t, cat(t));
  }
  if (r.DataLocationResource) {
    const l = r.DataLocationResource as Props;
    return { kind: 'DataLocation', catalogId: cat(l), resourceArn: str(l.S3Resource) ?? '' };
  }
  return undefined;
}

function makeGrant(src: { stack: string; logicalId: string }, grantorAccount: string, principal: string, resource: GrantResource,
  props: Props, legacy: boolean): GrantModel {
  return {
    ...src,
    id: `${src.stack}/${src.logicalId}`,
    grantorAccount,
    principal: principal.trim(),
    resource,
    permissions: sortedUnique(asArray(props.Permissions).map(asString)),
    grantable: sortedUnique(asArray(props.PermissionsWithGrantOption).map(asString)),
    legacy,
  };
}

function applyAssociation(a: TagAssociationModel, databases: Map<string, MutableDatabase>, tables: Map<string, MutableTable>,
  lfTags: Map<string, LfTagModel>, warnings: string[]): void {
  const where = `${a.stack}/${a.logicalId}`;
  const r = a.resource;
  const targets: { label: string; tags: Map<string, string>; catalogId: string }[] = [];
  if (r.kind === 'Database') {
    const db = databases.get(databaseKey(r.catalogId, r.name));
    if (!db) {
      warnings.push(`${where}: tags database ${databaseKey(r.catalogId, r.name)}, which the assembly does not define`);
      return;
    }
    if (db.base.isLink) warnings.push(`${where}: tags resource link ${databaseKey(r.catalogId, r.name)}; Lake Formation does not evaluate LF-tags on links`);
    targets.push({ label: `database ${databaseKey(r.catalogId, r.name)}`, tags: db.tags, catalogId: r.catalogId });
  } else if (r.kind === 'Table') {
    const matched = [...tables.values()].filter((t) => t.base.catalogId === r.catalogId && t.base.databaseName === r.databaseName
      && (r.name === undefined || t.base.name === r.name));
    if (matched.length === 0) {
      warnings.push(`${where}: tags ${r.name === undefined ? `the tables of ${databaseKey(r.catalogId, r.databaseName)}` : `table ${tableKey(r.catalogId, r.databaseName, r.name)}`}, which the assembly does not define`);
      return;
    }
    for (const t of matched) targets.push({ label: `table ${tableKey(t.base.catalogId, t.base.databaseName, t.base.name)}`, tags: t.tags, catalogId: r.catalogId });
  } else if (r.kind === 'TableWithColumns') {
    const t = tables.get(tableKey(r.catalogId, r.databaseName, r.name));
    if (!t) {
      warnings.push(`${where}: tags columns of table ${tableKey(r.catalogId, r.databaseName, r.name)}, which the assembly does not define`);
      return;
    }
    const all = t.base.columns.map((c) => c.name);
    const names = r.columnNames ?? all.filter((c) => !(r.excludedColumnNames ?? []).includes(c));
    for (const c of names) {
      if (!all.includes(c)) {
        warnings.push(`${where}: tags column ${c} of table ${tableKey(r.catalogId, r.databaseName, r.name)}, which has no such column`);
        continue;
      }
      let m = t.columnTags.get(c);
      if (!m) t.columnTags.set(c, (m = new Map()));
      targets.push({ label: `column ${tableKey(r.catalogId, r.databaseName, r.name)}.${c}`, tags: m, catalogId: r.catalogId });
    }
  } else {
    warnings.push(`${where}: tag association on a ${r.kind} resource is not modelled`);
    return;
  }
  for (const tag of a.tags) {
    if (tag.values.length !== 1) {
      warnings.push(`${where}: LF-tag ${tag.key} must have exactly one value on a resource, got ${tag.values.length}`);
      if (tag.values.length === 0) continue;
    }
    const value = tag.values[0];
    const ontology = lfTags.get(`${tag.catalogId}:${tag.key}`);
    if (!ontology) {
      warnings.push(`${where}: LF-tag ${tag.key} is not defined in catalog ${tag.catalogId}`);
    } else if (!ontology.values.includes(value)) {
      warnings.push(`${where}: ${value} is not a value of LF-tag ${tag.key} (${ontology.values.join(', ')})`);
    }
    for (const target of targets) {
      if (tag.catalogId !== target.catalogId) {
        warnings.push(`${where}: LF-tag ${tag.key} of catalog ${tag.catalogId} cannot be attached to ${target.label} of another catalog`);
      }
      const existing = target.tags.get(tag.key);
      if (existing !== undefined && existing !== value) {
        warnings.push(`${where}: ${target.label} gets LF-tag ${tag.key} twice (${existing} and ${value})`);
      }
      target.tags.set(tag.key, value);
    }
  }
}

/** Two grants with the same principal and resource collide in Lake Formation (CloudFormation create-only properties). */
function checkGrants(grants: readonly GrantModel[], warnings: string[]): void {
  const seen = new Map<string, string>();
  for (const g of [...grants].sort((a, b) => compareStrings(a.id, b.id))) {
    const key = `${g.principal} ${canonicalResource(g.resource)}`;
    const previous = seen.get(key);
    if (previous) warnings.push(`grants ${previous} and ${g.id} have the same principal and resource: they collide`);
    else seen.set(key, g.id);
    if (g.permissions.length === 0) warnings.push(`grant ${g.id} has no permissions`);
    const notGranted = g.grantable.filter((p) => !g.permissions.includes(p));
    if (notGranted.length > 0) warnings.push(`grant ${g.id} makes ${notGranted.join(', ')} grantable without granting it`);
  }
}

/** Canonical text of a grant resource (lists sorted). */
export function canonicalResource(r: GrantResource): string {
  switch (r.kind) {
    case 'LFTagPolicy':
      return stableJson({ ...r, expression: [...r.expression].map((c) => ({ key: c.key, values: sortedUnique(c.values) })).sort((a, b) => compareStrings(a.key, b.key)) });
    case 'TableWithColumns':
      return stableJson({
        ...r,
        ...(r.columnNames ? { columnNames: sortedUnique(r.columnNames) } : {}),
        ...(r.excludedColumnNames ? { excludedColumnNames: sortedUnique(r.excludedColumnNames) } : {}),
      });
    default:
      return stableJson(r);
  }
}

function mapToRecord(m: Map<string, string>): Record<string, string> {
  return Object.fromEntries([...m.keys()].sort(compareStrings).map((k) => [k, m.get(k)!]));
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return asString(v);
}
