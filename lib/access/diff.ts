import { AccessMatrix, selectedColumns } from './evaluate';
import { compareStrings, tableKey } from './model';

/** A database (`table` and `column` unset), a table (`column` unset) or a column. */
export interface AccessItem {
  readonly catalogId: string;
  readonly database: string;
  readonly table?: string;
  readonly column?: string;
}

export interface AccessChanges {
  /** Databases the principal may describe. */
  readonly databases: readonly AccessItem[];
  /** Tables the principal may describe. */
  readonly tables: readonly AccessItem[];
  /** Columns the principal may SELECT. */
  readonly columns: readonly AccessItem[];
  /** Databases the principal may write to (some write permission on the database, its tables or its location). */
  readonly write: readonly AccessItem[];
}

export interface PrincipalAccessDiff {
  readonly principal: string;
  readonly gained: AccessChanges;
  readonly lost: AccessChanges;
}

export interface AccessDiff {
  /** Principals whose access changed, sorted. */
  readonly principals: readonly PrincipalAccessDiff[];
}

type Level = keyof AccessChanges;
const LEVELS: readonly Level[] = ['databases', 'tables', 'columns', 'write'];

/** Everything a matrix grants, per principal and level, as item keys. */
function flatten(matrix: AccessMatrix): Map<string, Map<Level, Map<string, AccessItem>>> {
  const out = new Map<string, Map<Level, Map<string, AccessItem>>>();
  const add = (principal: string, level: Level, item: AccessItem) => {
    let p = out.get(principal);
    if (!p) out.set(principal, (p = new Map(LEVELS.map((l) => [l, new Map()]))));
    p.get(level)!.set(JSON.stringify([item.catalogId, item.database, item.table ?? null, item.column ?? null]), item);
  };
  for (const e of matrix.entries) {
    const db = { catalogId: e.catalogId, database: e.database };
    if (e.describe) add(e.principal, 'databases', db);
    if (e.write) add(e.principal, 'write', db);
    for (const table of Object.keys(e.tables)) {
      const t = e.tables[table];
      if (t.describe) add(e.principal, 'tables', { ...db, table });
      const all = matrix.schema[tableKey(e.catalogId, e.database, table)]?.columns ?? [];
      for (const column of selectedColumns(t.select, all)) add(e.principal, 'columns', { ...db, table, column });
    }
  }
  return out;
}

function compareItems(a: AccessItem, b: AccessItem): number {
  return compareStrings(a.catalogId, b.catalogId) || compareStrings(a.database, b.database)
    || compareStrings(a.table ?? '', b.table ?? '') || compareStrings(a.column ?? '', b.column ?? '');
}

/** What each principal gains and loses from `before` to `after`: databases, tables, columns and write access; sorted. */
export function diffAccess(before: AccessMatrix, after: AccessMatrix): AccessDiff {
  const a = flatten(before);
  const b = flatten(after);
  const principals = [...new Set([...a.keys(), ...b.keys()])].sort(compareStrings);
  const empty = new Map<Level, Map<string, AccessItem>>(LEVELS.map((l) => [l, new Map()]));
  const result: PrincipalAccessDiff[] = [];
  for (const principal of principals) {
    const x = a.get(principal) ?? empty;
    const y = b.get(principal) ?? empty;
    const changes = (from: Map<Level, Map<string, AccessItem>>, to: Map<Level, Map<string, AccessItem>>): AccessChanges => {
      const pick = (level: Level) => [...to.get(level)!.entries()].filter(([k]) => !from.get(level)!.has(k)).map(([, v]) => v).sort(compareItems);
      return { databases: pick('databases'), tables: pick('tables'), columns: pick('columns'), write: pick('write') };
    };
    const gained = changes(x, y);
    const lost = changes(y, x);
    if (LEVELS.every((l) => gained[l].length === 0 && lost[l].length === 0)) continue;
    result.push({ principal, gained, lost });
  }
  return { principals: result };
}

/** Whether a diff has no change. */
export function isEmptyDiff(diff: AccessDiff): boolean {
  return diff.principals.length === 0;
}
