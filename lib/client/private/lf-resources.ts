import { compareStrings } from './compare';

/**
 * One normal form for Lake Formation resources, shared by what a template declares (CloudFormation uses the
 * API's PascalCase shapes) and what `ListPermissions` returns, so that equal grants compare equal.
 */
export type LfResource =
  | { readonly kind: 'catalog'; readonly catalogId: string }
  | { readonly kind: 'database'; readonly catalogId: string; readonly database: string }
  /** `table: '*'` is the table wildcard (every table of the database). */
  | { readonly kind: 'table'; readonly catalogId: string; readonly database: string; readonly table: string }
  | { readonly kind: 'columns'; readonly catalogId: string; readonly database: string; readonly table: string;
    readonly columns?: readonly string[]; readonly excluded?: readonly string[] }
  | { readonly kind: 'location'; readonly catalogId: string; readonly arn: string }
  | { readonly kind: 'lf-tag'; readonly catalogId: string; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: 'lf-tag-policy'; readonly catalogId: string; readonly resourceType: string;
    readonly expression: readonly { readonly key: string; readonly values: readonly string[] }[] }
  | { readonly kind: 'data-cells-filter'; readonly catalogId: string; readonly database: string; readonly table: string; readonly name: string }
  | { readonly kind: 'other'; readonly json: string };

type Json = Record<string, unknown>;

/**
 * Normalizes a Lake Formation `Resource` (API or CloudFormation shape). `defaultCatalogId` fills a missing
 * `CatalogId` (both default to the caller's account).
 */
export function normalizeResource(resource: unknown, defaultCatalogId: string): LfResource {
  const r = (resource ?? {}) as Json;
  const cat = (x: Json | undefined, key = 'CatalogId'): string => str(x?.[key]) ?? defaultCatalogId;
  if (r.Database) {
    const d = r.Database as Json;
    return { kind: 'database', catalogId: cat(d), database: str(d.Name) ?? '' };
  }
  if (r.Table) {
    const t = r.Table as Json;
    const wildcard = t.TableWildcard !== undefined || t.Name === undefined || t.Name === 'ALL_TABLES';
    return { kind: 'table', catalogId: cat(t), database: str(t.DatabaseName) ?? '', table: wildcard ? '*' : String(t.Name) };
  }
  if (r.TableWithColumns) {
    const t = r.TableWithColumns as Json;
    const base = { catalogId: cat(t), database: str(t.DatabaseName) ?? '', table: str(t.Name) ?? '*' };
    const wildcard = t.ColumnWildcard as Json | undefined;
    if (wildcard !== undefined) {
      const excluded = strings(wildcard.ExcludedColumnNames);
      // SELECT on every column is the same grant as SELECT on the table: ListPermissions reports it either way.
      if (excluded.length === 0) return { kind: 'table', ...base };
      return { kind: 'columns', ...base, excluded };
    }
    return { kind: 'columns', ...base, columns: strings(t.ColumnNames) };
  }
  if (r.DataLocation) {
    const l = r.DataLocation as Json;
    return { kind: 'location', catalogId: cat(l), arn: (str(l.ResourceArn) ?? '').replace(/\/+$/, '') };
  }
  if (r.LFTag) {
    const t = r.LFTag as Json;
    return { kind: 'lf-tag', catalogId: cat(t), key: lower(str(t.TagKey)), values: strings(t.TagValues).map(lower) };
  }
  if (r.LFTagPolicy) {
    const p = r.LFTagPolicy as Json;
    const expression = (Array.isArray(p.Expression) ? p.Expression as Json[] : [])
      .map((c) => ({ key: lower(str(c.TagKey)), values: strings(c.TagValues).map(lower) }))
      .sort((a, b) => compareStrings(a.key, b.key));
    return { kind: 'lf-tag-policy', catalogId: cat(p), resourceType: str(p.ResourceType) ?? '', expression };
  }
  if (r.DataCellsFilter) {
    const f = r.DataCellsFilter as Json;
    return { kind: 'data-cells-filter', catalogId: cat(f, 'TableCatalogId'), database: str(f.DatabaseName) ?? '', table: str(f.TableName) ?? '', name: str(f.Name) ?? '' };
  }
  if (r.Catalog !== undefined) {
    const c = r.Catalog as Json;
    return { kind: 'catalog', catalogId: str(c?.Id) ?? str(c?.CatalogId) ?? defaultCatalogId };
  }
  return { kind: 'other', json: JSON.stringify(r) };
}

/** A string that is equal for equal resources. */
export function resourceKey(r: LfResource): string {
  switch (r.kind) {
    case 'catalog': return `catalog:${r.catalogId}`;
    case 'database': return `database:${r.catalogId}:${r.database}`;
    case 'table': return `table:${r.catalogId}:${r.database}:${r.table}`;
    case 'columns': return r.excluded
      ? `columns:${r.catalogId}:${r.database}:${r.table}:*-${[...r.excluded].sort().join(',')}`
      : `columns:${r.catalogId}:${r.database}:${r.table}:${[...(r.columns ?? [])].sort().join(',')}`;
    case 'location': return `location:${r.catalogId}:${r.arn}`;
    case 'lf-tag': return `lf-tag:${r.catalogId}:${r.key}=${[...r.values].sort().join('|')}`;
    case 'lf-tag-policy': return `lf-tag-policy:${r.catalogId}:${r.resourceType}:${r.expression.map((c) => `${c.key}=${[...c.values].sort().join('|')}`).join(';')}`;
    case 'data-cells-filter': return `data-cells-filter:${r.catalogId}:${r.database}:${r.table}:${r.name}`;
    case 'other': return `other:${r.json}`;
  }
}

/** How a resource reads in a report. */
export function describeResource(r: LfResource): string {
  const inCatalog = (id: string) => ` (catalog ${id})`;
  switch (r.kind) {
    case 'catalog': return `catalog ${r.catalogId}`;
    case 'database': return `database ${r.database}${inCatalog(r.catalogId)}`;
    case 'table': return r.table === '*'
      ? `all tables of database ${r.database}${inCatalog(r.catalogId)}`
      : `table ${r.database}.${r.table}${inCatalog(r.catalogId)}`;
    case 'columns': return r.excluded
      ? `columns of table ${r.database}.${r.table} except ${r.excluded.join(', ')}${inCatalog(r.catalogId)}`
      : `columns ${(r.columns ?? []).join(', ')} of table ${r.database}.${r.table}${inCatalog(r.catalogId)}`;
    case 'location': return `data location ${r.arn}${inCatalog(r.catalogId)}`;
    case 'lf-tag': return `LF-tag ${r.key}=${r.values.join('|')}${inCatalog(r.catalogId)}`;
    case 'lf-tag-policy': return `${r.resourceType.toLowerCase() || 'resources'} matching LF-tags ${r.expression.map((c) => `${c.key}=${c.values.join('|')}`).join(' AND ')}${inCatalog(r.catalogId)}`;
    case 'data-cells-filter': return `data cells filter ${r.name} on ${r.database}.${r.table}${inCatalog(r.catalogId)}`;
    case 'other': return `resource ${r.json}`;
  }
}

/** The catalog and database a resource belongs to, for database-scoped kinds. */
export function databaseOf(r: LfResource): string | undefined {
  switch (r.kind) {
    case 'database': case 'table': case 'columns': case 'data-cells-filter':
      return `${r.catalogId}:${r.database}`;
    default:
      return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function lower(s: string | undefined): string {
  return (s ?? '').toLowerCase();
}
