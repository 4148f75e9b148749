import {
  CatalogModel, DatabaseModel, GrantModel, TableModel, TagCondition, TagMap, compareStrings, databaseKey, sortedUnique, tableKey,
} from './model';

/** Which columns of a table a principal may SELECT. */
export type ColumnSelection = 'all' | 'none' | readonly string[];

export interface TableAccess {
  /** DESCRIBE on the table (explicit, or through an LF-tag grant whose expression the table or some of its columns match). */
  readonly describe: boolean;
  /** `'all'` when every column is selectable, the sorted selectable columns otherwise, `'none'` when none is. */
  readonly select: ColumnSelection;
}

/** What one principal can do with one product database (the target, never a resource link). */
export interface AccessEntry {
  /** IAM principal ARN, or an account ID (that account's data lake administrator). */
  readonly principal: string;
  readonly catalogId: string;
  readonly database: string;
  /** DESCRIBE on the database. */
  readonly describe: boolean;
  /** Some write permission (INSERT, DELETE, ALTER, DROP, CREATE_TABLE, or DATA_LOCATION_ACCESS on the database's location). */
  readonly write: boolean;
  /** Tables the principal has any permission on, by name. */
  readonly tables: Readonly<Record<string, TableAccess>>;
  /** IDs (`<stack>/<logicalId>`) of the grants that contributed, link grants included; sorted. */
  readonly via: readonly string[];
  /** `<catalogId>:<name>` of the resource link (in the principal's account) the principal reaches the database through. */
  readonly throughLink?: string;
  /**
   * The database is in another account's catalog than the principal's. Without {@link throughLink}, the principal holds the
   * permissions but has no resource link it may describe (it can only name the foreign catalog explicitly).
   */
  readonly crossAccount: boolean;
}

export interface TableSchema {
  /** Column names in declaration order (partition keys last). */
  readonly columns: readonly string[];
  /** Effective classification of each column that has one. */
  readonly classifications: Readonly<Record<string, string>>;
}

export interface AccessMatrix {
  /** Sorted by principal, catalog, database. */
  readonly entries: readonly AccessEntry[];
  /** Columns and classifications of every table that appears in an entry, by `<catalogId>:<database>.<table>`. */
  readonly schema: Readonly<Record<string, TableSchema>>;
  /** Problems found while evaluating (grants on unknown resources, re-grants beyond the grant option, dangling links...), sorted. */
  readonly warnings: readonly string[];
}

export interface EvaluateOptions {
  /** LF-tag key holding the sensitivity of data. @default 'classification' */
  readonly classificationKey?: string;
}

export const DATABASE_PERMISSIONS: readonly string[] = ['ALTER', 'CREATE_TABLE', 'DESCRIBE', 'DROP'];
export const TABLE_PERMISSIONS: readonly string[] = ['ALTER', 'DELETE', 'DESCRIBE', 'DROP', 'INSERT', 'SELECT'];
export const WRITE_PERMISSIONS: readonly string[] = ['ALTER', 'CREATE_TABLE', 'DATA_LOCATION_ACCESS', 'DELETE', 'DROP', 'INSERT'];

/** Lake Formation's semantics: every key of the expression is on the resource with one of the allowed values. */
export function expressionMatches(expression: readonly TagCondition[], tags: TagMap): boolean {
  return expression.length > 0 && expression.every((c) => Object.prototype.hasOwnProperty.call(tags, c.key) && c.values.includes(tags[c.key]));
}

/** Index over a model: lookups and effective LF-tags (database → table → column inheritance with overrides). */
export class CatalogIndex {
  private readonly dbs = new Map<string, DatabaseModel>();
  private readonly tablesByKey = new Map<string, TableModel>();
  private readonly tablesByDb = new Map<string, TableModel[]>();

  constructor(public readonly model: CatalogModel) {
    for (const d of model.databases) this.dbs.set(databaseKey(d.catalogId, d.name), d);
    for (const t of model.tables) {
      this.tablesByKey.set(tableKey(t.catalogId, t.databaseName, t.name), t);
      const k = databaseKey(t.catalogId, t.databaseName);
      this.tablesByDb.set(k, [...(this.tablesByDb.get(k) ?? []), t]);
    }
  }

  public database(catalogId: string, name: string): DatabaseModel | undefined {
    return this.dbs.get(databaseKey(catalogId, name));
  }

  public table(catalogId: string, databaseName: string, name: string): TableModel | undefined {
    return this.tablesByKey.get(tableKey(catalogId, databaseName, name));
  }

  public tablesOf(catalogId: string, databaseName: string): readonly TableModel[] {
    return this.tablesByDb.get(databaseKey(catalogId, databaseName)) ?? [];
  }

  public databaseTags(catalogId: string, name: string): TagMap {
    return this.database(catalogId, name)?.tags ?? {};
  }

  /** The database's tags, overridden key by key by the table's. */
  public tableTags(t: TableModel): TagMap {
    return { ...this.databaseTags(t.catalogId, t.databaseName), ...t.tags };
  }

  /** The table's effective tags, overridden key by key by the column's. */
  public columnTags(t: TableModel, column: string): TagMap {
    return { ...this.tableTags(t), ...(t.columnTags[column] ?? {}) };
  }
}

/** One permission on one database, table or column (SELECT is always per column). */
interface Atom {
  readonly catalogId: string;
  readonly database: string;
  readonly table?: string;
  readonly column?: string;
  readonly permission: string;
}

interface Held {
  grantable: boolean;
  readonly grants: Set<string>;
}

function atomKey(a: Atom): string {
  return JSON.stringify([a.catalogId, a.database, a.table ?? null, a.column ?? null, a.permission]);
}

function atomLabel(a: Atom): string {
  return a.table === undefined ? databaseKey(a.catalogId, a.database)
    : `${tableKey(a.catalogId, a.database, a.table)}${a.column !== undefined ? `.${a.column}` : ''}`;
}

/** The account of a principal: an account ID itself, or the account of an IAM ARN. */
export function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const m = /^arn:[^:]+:iam::(\d{12}):/.exec(principal);
  return m ? m[1] : undefined;
}

/**
 * Evaluates the effective Lake Formation permissions of every principal the model's grants name, by Lake
 * Formation's rules:
 * - LF-tags are inherited database → table → column; a table's tag overrides the database's value of the same key,
 *   a column's the table's.
 * - An `LFTagPolicy` grant with resource type DATABASE applies to the databases whose tags satisfy the expression
 *   (AND across keys, OR within a key's values; a resource without a key does not match); with TABLE, its
 *   permissions apply to every table whose effective tags match, and SELECT to exactly the columns whose
 *   effective tags match (a column of a non-matching table that matches is selectable, and its table describable).
 * - Named grants: Database; Table by name or `TableWildcard`; `TableWithColumns` by `ColumnNames` or
 *   `ColumnWildcard` minus `ExcludedColumnNames`.
 * - A grant on a resource link gives DESCRIBE on the link only. A principal of another account than the catalog
 *   reaches a database through a link of its account that it may describe ({@link AccessEntry.throughLink}).
 * - Grants to an account ID are held by that account's administrator; a grant made in account A on a resource of
 *   another catalog (a re-grant) is effective only as far as A holds the permission with the grant option.
 */
export function evaluate(model: CatalogModel, options: EvaluateOptions = {}): AccessMatrix {
  const index = new CatalogIndex(model);
  const warnings: string[] = [];
  const effects = new Map<string, Atom[]>();
  for (const g of model.grants) effects.set(g.id, grantAtoms(g, index, warnings));

  // Fixpoint: re-grants depend on what the re-granting account holds with the grant option.
  let held = new Map<string, Map<string, Held>>();
  let clipped: string[] = [];
  for (let iteration = 0; iteration < 20; iteration++) {
    const next = new Map<string, Map<string, Held>>();
    clipped = [];
    for (const g of model.grants) {
      const denied = new Map<string, string[]>();
      for (const atom of effects.get(g.id)!) {
        const key = atomKey(atom);
        const isRegrant = atom.catalogId !== g.grantorAccount && principalAccount(g.grantorAccount) !== undefined;
        let grantable = g.grantable.includes(atom.permission) || (atom.permission !== 'SELECT' && g.grantable.includes('ALL'));
        if (isRegrant) {
          const h = held.get(g.grantorAccount)?.get(key);
          if (!h?.grantable) {
            denied.set(atom.permission, [...(denied.get(atom.permission) ?? []), atomLabel(atom)]);
            continue;
          }
          grantable = grantable && h.grantable;
        }
        let m = next.get(g.principal);
        if (!m) next.set(g.principal, (m = new Map()));
        const existing = m.get(key);
        if (existing) {
          existing.grants.add(g.id);
          existing.grantable ||= grantable;
        } else {
          m.set(key, { grantable, grants: new Set([g.id]) });
        }
      }
      for (const permission of [...denied.keys()].sort(compareStrings)) {
        const labels = sortedUnique(denied.get(permission)!);
        clipped.push(`grant ${g.id}: account ${g.grantorAccount} re-grants ${permission} on ${labels.length} resource(s) it holds without the grant option `
          + `(${labels.slice(0, 3).join(', ')}${labels.length > 3 ? ', ...' : ''}): Lake Formation rejects it; counted as not granted`);
      }
    }
    const done = sameHeld(held, next);
    held = next;
    if (done) break;
  }
  warnings.push(...clipped);

  const entries: AccessEntry[] = [];
  const schema: Record<string, TableSchema> = {};
  const classificationKey = options.classificationKey ?? 'classification';
  for (const principal of [...held.keys()].sort(compareStrings)) {
    const atoms = held.get(principal)!;
    // Group by database.
    const byDb = new Map<string, { atom: Atom; held: Held }[]>();
    for (const [key, h] of atoms) {
      const atom = keyToAtom(key);
      const k = databaseKey(atom.catalogId, atom.database);
      byDb.set(k, [...(byDb.get(k) ?? []), { atom, held: h }]);
    }
    const account = principalAccount(principal);
    const reachedTargets = new Set<string>();
    const linkDescribes = new Map<string, { link: DatabaseModel; grants: Set<string> }>();
    for (const [, list] of byDb) {
      const { catalogId, database } = list[0].atom;
      const db = index.database(catalogId, database);
      if (!db?.isLink) continue;
      const describe = list.find((x) => x.atom.table === undefined && x.atom.permission === 'DESCRIBE');
      if (describe) linkDescribes.set(databaseKey(catalogId, database), { link: db, grants: describe.held.grants });
    }
    for (const dbKey of [...byDb.keys()].sort(compareStrings)) {
      const list = byDb.get(dbKey)!;
      const { catalogId, database } = list[0].atom;
      const db = index.database(catalogId, database);
      if (!db || db.isLink) continue;
      reachedTargets.add(dbKey);
      const via = new Set<string>();
      let describe = false;
      let write = false;
      const tableAtoms = new Map<string, { describe: boolean; columns: Set<string> }>();
      for (const { atom, held: h } of list) {
        for (const g of h.grants) via.add(g);
        if (WRITE_PERMISSIONS.includes(atom.permission)) write = true;
        if (atom.table === undefined) {
          if (atom.permission === 'DESCRIBE') describe = true;
          continue;
        }
        let t = tableAtoms.get(atom.table);
        if (!t) tableAtoms.set(atom.table, (t = { describe: false, columns: new Set() }));
        if (atom.permission === 'DESCRIBE') t.describe = true;
        if (atom.permission === 'SELECT' && atom.column !== undefined) t.columns.add(atom.column);
      }
      const tables: Record<string, TableAccess> = {};
      for (const name of [...tableAtoms.keys()].sort(compareStrings)) {
        const t = tableAtoms.get(name)!;
        const tm = index.table(catalogId, database, name)!;
        const all = tm.columns.map((c) => c.name);
        const selected = all.filter((c) => t.columns.has(c));
        tables[name] = {
          describe: t.describe,
          select: selected.length === 0 ? 'none' : selected.length === all.length ? 'all' : sortedUnique(selected),
        };
        const tk = tableKey(catalogId, database, name);
        if (!schema[tk]) {
          const classifications: Record<string, string> = {};
          for (const c of [...all].sort(compareStrings)) {
            const v = index.columnTags(tm, c)[classificationKey];
            if (v !== undefined) classifications[c] = v;
          }
          schema[tk] = { columns: all, classifications };
        }
      }
      const crossAccount = account !== undefined && account !== catalogId;
      let throughLink: string | undefined;
      if (crossAccount) {
        const links = [...linkDescribes.values()]
          .filter((l) => l.link.catalogId === account && l.link.target?.catalogId === catalogId && l.link.target?.name === database)
          .sort((a, b) => compareStrings(a.link.name, b.link.name));
        if (links.length > 0) {
          throughLink = databaseKey(links[0].link.catalogId, links[0].link.name);
          for (const g of links[0].grants) via.add(g);
        }
      }
      entries.push({
        principal, catalogId, database, describe, write, tables, via: sortedUnique(via), ...(throughLink ? { throughLink } : {}), crossAccount,
      });
    }
    for (const [linkKey, { link }] of [...linkDescribes.entries()].sort(([a], [b]) => compareStrings(a, b))) {
      const target = link.target!;
      if (!index.database(target.catalogId, target.name)) {
        warnings.push(`resource link ${linkKey} targets ${databaseKey(target.catalogId, target.name)}, which the assembly does not define`);
      } else if (!reachedTargets.has(databaseKey(target.catalogId, target.name))) {
        warnings.push(`${principal} may describe resource link ${linkKey} but holds no permission on its target ${databaseKey(target.catalogId, target.name)}`);
      } else if (link.catalogId !== account) {
        warnings.push(`${principal} may describe resource link ${linkKey} of another account than its own`);
      }
    }
  }
  const sortedSchema: Record<string, TableSchema> = {};
  for (const k of Object.keys(schema).sort(compareStrings)) sortedSchema[k] = schema[k];
  return { entries, schema: sortedSchema, warnings: sortedUnique([...model.warnings, ...warnings]) };
}

function keyToAtom(key: string): Atom {
  const [catalogId, database, table, column, permission] = JSON.parse(key) as [string, string, string | null, string | null, string];
  return { catalogId, database, ...(table !== null ? { table } : {}), ...(column !== null ? { column } : {}), permission };
}

function sameHeld(a: Map<string, Map<string, Held>>, b: Map<string, Map<string, Held>>): boolean {
  if (a.size !== b.size) return false;
  for (const [p, m] of b) {
    const o = a.get(p);
    if (!o || o.size !== m.size) return false;
    for (const [k, h] of m) {
      const x = o.get(k);
      if (!x || x.grantable !== h.grantable) return false;
    }
  }
  return true;
}

function expand(permissions: readonly string[], level: 'database' | 'table'): string[] {
  const out: string[] = [];
  for (const p of permissions) {
    if (p === 'ALL' || p === 'SUPER') out.push(...(level === 'database' ? DATABASE_PERMISSIONS : TABLE_PERMISSIONS));
    else out.push(p);
  }
  return sortedUnique(out);
}

/** The atoms a grant gives, before any grant-option check. */
function grantAtoms(g: GrantModel, index: CatalogIndex, warnings: string[]): Atom[] {
  const r = g.resource;
  const atoms: Atom[] = [];
  const tableAtoms = (t: TableModel, permissions: readonly string[], columns: readonly string[]) => {
    for (const p of permissions) {
      if (p === 'SELECT') {
        for (const c of columns) atoms.push({ catalogId: t.catalogId, database: t.databaseName, table: t.name, column: c, permission: p });
      } else {
        atoms.push({ catalogId: t.catalogId, database: t.databaseName, table: t.name, permission: p });
      }
    }
  };
  const targetDatabase = (catalogId: string, name: string, what: string): DatabaseModel | undefined => {
    const db = index.database(catalogId, name);
    // Every catalog has a `default` database (the toolkit creates it when missing); grants on it (DESCRIBE for
    // Athena) reach no product, so they are neither a warning nor an entry of the matrix.
    if (!db && name === 'default') return undefined;
    if (!db) {
      warnings.push(`grant ${g.id}: ${what} ${databaseKey(catalogId, name)}, which the assembly does not define`);
      return undefined;
    }
    return db;
  };
  switch (r.kind) {
    case 'Database': {
      const db = targetDatabase(r.catalogId, r.name, 'grants on database');
      if (!db) break;
      const permissions = expand(g.permissions, 'database');
      const invalid = permissions.filter((p) => !DATABASE_PERMISSIONS.includes(p));
      if (invalid.length > 0) warnings.push(`grant ${g.id}: ${invalid.join(', ')} is not a database permission`);
      if (db.isLink) {
        const extra = permissions.filter((p) => p !== 'DESCRIBE' && p !== 'DROP');
        if (extra.length > 0) warnings.push(`grant ${g.id}: ${extra.join(', ')} on resource link ${databaseKey(r.catalogId, r.name)} does not apply to its target`);
      }
      for (const p of permissions.filter((x) => DATABASE_PERMISSIONS.includes(x))) atoms.push({ catalogId: r.catalogId, database: r.name, permission: p });
      break;
    }
    case 'Table': {
      const db = targetDatabase(r.catalogId, r.databaseName, 'grants on tables of');
      if (!db) break;
      if (db.isLink) {
        warnings.push(`grant ${g.id}: table grant through resource link ${databaseKey(r.catalogId, r.databaseName)} is not evaluated; grant on the target`);
        break;
      }
      const tables = r.name === undefined ? index.tablesOf(r.catalogId, r.databaseName) : [index.table(r.catalogId, r.databaseName, r.name)].filter((t): t is TableModel => !!t);
      if (r.name !== undefined && tables.length === 0) {
        warnings.push(`grant ${g.id}: grants on table ${tableKey(r.catalogId, r.databaseName, r.name)}, which the assembly does not define`);
      }
      const permissions = expand(g.permissions, 'table');
      const invalid = permissions.filter((p) => !TABLE_PERMISSIONS.includes(p));
      if (invalid.length > 0) warnings.push(`grant ${g.id}: ${invalid.join(', ')} is not a table permission`);
      for (const t of tables) tableAtoms(t, permissions.filter((p) => TABLE_PERMISSIONS.includes(p)), t.columns.map((c) => c.name));
      break;
    }
    case 'TableWithColumns': {
      const db = targetDatabase(r.catalogId, r.databaseName, 'grants on columns of a table of');
      if (!db) break;
      if (db.isLink) {
        warnings.push(`grant ${g.id}: column grant through resource link ${databaseKey(r.catalogId, r.databaseName)} is not evaluated; grant on the target`);
        break;
      }
      const t = index.table(r.catalogId, r.databaseName, r.name);
      if (!t) {
        warnings.push(`grant ${g.id}: grants on columns of table ${tableKey(r.catalogId, r.databaseName, r.name)}, which the assembly does not define`);
        break;
      }
      const all = t.columns.map((c) => c.name);
      const named = r.columnNames ?? all.filter((c) => !(r.excludedColumnNames ?? []).includes(c));
      const unknown = [...(r.columnNames ?? []), ...(r.excludedColumnNames ?? [])].filter((c) => !all.includes(c));
      if (unknown.length > 0) warnings.push(`grant ${g.id}: table ${tableKey(r.catalogId, r.databaseName, r.name)} has no column ${sortedUnique(unknown).join(', ')}`);
      const columns = all.filter((c) => named.includes(c));
      if (columns.length === 0) warnings.push(`grant ${g.id}: selects no column of ${tableKey(r.catalogId, r.databaseName, r.name)}`);
      const permissions = expand(g.permissions, 'table');
      const notSelect = permissions.filter((p) => p !== 'SELECT');
      if (notSelect.length > 0) warnings.push(`grant ${g.id}: ${notSelect.join(', ')} on TableWithColumns applies to the whole table`);
      tableAtoms(t, permissions.filter((p) => TABLE_PERMISSIONS.includes(p)), columns);
      break;
    }
    case 'LFTagPolicy': {
      const keys = r.expression.map((c) => c.key);
      if (r.expression.length === 0) warnings.push(`grant ${g.id}: empty LF-tag expression matches nothing`);
      if (new Set(keys).size !== keys.length) warnings.push(`grant ${g.id}: LF-tag expression repeats a key`);
      for (const c of r.expression) {
        const tag = index.model.lfTags.find((t) => t.catalogId === r.catalogId && t.key === c.key);
        if (!tag) warnings.push(`grant ${g.id}: LF-tag ${c.key} is not defined in catalog ${r.catalogId}`);
        else for (const v of c.values) if (!tag.values.includes(v)) warnings.push(`grant ${g.id}: ${v} is not a value of LF-tag ${c.key}`);
      }
      const dbs = index.model.databases.filter((d) => d.catalogId === r.catalogId && !d.isLink);
      if (r.resourceType === 'DATABASE') {
        const permissions = expand(g.permissions, 'database');
        const invalid = permissions.filter((p) => !DATABASE_PERMISSIONS.includes(p));
        if (invalid.length > 0) warnings.push(`grant ${g.id}: ${invalid.join(', ')} is not a database permission`);
        for (const d of dbs) {
          if (!expressionMatches(r.expression, d.tags)) continue;
          for (const p of permissions.filter((x) => DATABASE_PERMISSIONS.includes(x))) atoms.push({ catalogId: d.catalogId, database: d.name, permission: p });
        }
      } else {
        const permissions = expand(g.permissions, 'table');
        const invalid = permissions.filter((p) => !TABLE_PERMISSIONS.includes(p));
        if (invalid.length > 0) warnings.push(`grant ${g.id}: ${invalid.join(', ')} is not a table permission`);
        for (const d of dbs) {
          for (const t of index.tablesOf(d.catalogId, d.name)) {
            const tableMatches = expressionMatches(r.expression, index.tableTags(t));
            const columns = t.columns.map((c) => c.name).filter((c) => expressionMatches(r.expression, index.columnTags(t, c)));
            if (tableMatches) {
              tableAtoms(t, permissions.filter((p) => TABLE_PERMISSIONS.includes(p)), columns);
            } else if (columns.length > 0) {
              // Columns whose own tags match are granted even when the table's do not: SELECT on them, and the table is visible.
              tableAtoms(t, permissions.filter((p) => p === 'SELECT' || p === 'DESCRIBE'), columns);
            }
          }
        }
      }
      break;
    }
    case 'DataLocation': {
      const location = s3ArnToUri(r.resourceArn);
      if (!location) {
        warnings.push(`grant ${g.id}: data location ${r.resourceArn} is not an S3 ARN`);
        break;
      }
      for (const d of index.model.databases) {
        if (d.catalogId !== r.catalogId || d.isLink || d.locationUri === undefined) continue;
        const uri = d.locationUri.replace(/\/+$/, '');
        if (uri === location || uri.startsWith(`${location}/`)) {
          for (const p of g.permissions) atoms.push({ catalogId: d.catalogId, database: d.name, permission: p });
        }
      }
      break;
    }
    case 'Catalog':
      break;
    case 'Other':
      warnings.push(`grant ${g.id}: resource ${r.description} is not evaluated`);
      break;
  }
  return atoms;
}

function s3ArnToUri(arn: string): string | undefined {
  const m = /^arn:[^:]+:s3:::(.+)$/.exec(arn);
  return m ? `s3://${m[1].replace(/\/+$/, '')}` : undefined;
}

/** A principal that may SELECT a column whose effective classification is sensitive. */
export interface SensitiveRead {
  readonly principal: string;
  readonly catalogId: string;
  readonly database: string;
  readonly table: string;
  readonly column: string;
  readonly classification: string;
  readonly throughLink?: string;
}

/**
 * Who can SELECT columns whose effective classification (LF-tag `classificationKey`, inherited database → table →
 * column) is one of `sensitive`. Sorted by principal, catalog, database, table, column.
 */
export function sensitiveColumnReaders(model: CatalogModel, matrix: AccessMatrix, sensitive: readonly string[] = ['confidential', 'pii'],
  options: EvaluateOptions = {}): SensitiveRead[] {
  const index = new CatalogIndex(model);
  const key = options.classificationKey ?? 'classification';
  const out: SensitiveRead[] = [];
  for (const e of matrix.entries) {
    for (const name of Object.keys(e.tables).sort(compareStrings)) {
      const t = index.table(e.catalogId, e.database, name);
      if (!t) continue;
      for (const column of selectedColumns(e.tables[name].select, t.columns.map((c) => c.name))) {
        const classification = index.columnTags(t, column)[key];
        if (classification !== undefined && sensitive.includes(classification)) {
          out.push({ principal: e.principal, catalogId: e.catalogId, database: e.database, table: name, column, classification,
            ...(e.throughLink ? { throughLink: e.throughLink } : {}) });
        }
      }
    }
  }
  return out.sort((a, b) => compareStrings(a.principal, b.principal) || compareStrings(a.catalogId, b.catalogId)
    || compareStrings(a.database, b.database) || compareStrings(a.table, b.table) || compareStrings(a.column, b.column));
}

/** The selectable columns of a selection, sorted. */
export function selectedColumns(select: ColumnSelection, allColumns: readonly string[]): string[] {
  if (select === 'all') return sortedUnique(allColumns);
  if (select === 'none') return [];
  return sortedUnique(select);
}
