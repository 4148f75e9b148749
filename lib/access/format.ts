import { stableJson } from '../assembly';
import { AccessDiff, AccessItem } from './diff';
import { AccessMatrix, selectedColumns } from './evaluate';
import { compareStrings, databaseKey, tableKey } from './model';

export interface FormatAccessTableOptions {
  /** Classifications to flag in the select column (e.g. `['confidential', 'pii']`): such columns are shown as `name[classification]`. */
  readonly sensitiveClassifications?: readonly string[];
}

/**
 * The matrix as a plain-text table, one row per database (table `*`) and per table:
 * principal | database | table | describe | select.
 */
export function formatAccessTable(matrix: AccessMatrix, options: FormatAccessTableOptions = {}): string {
  const sensitive = options.sensitiveClassifications ?? [];
  const header = ['principal', 'database', 'table', 'describe', 'select'];
  const rows: string[][] = [];
  for (const e of matrix.entries) {
    const database = `${databaseKey(e.catalogId, e.database)}${e.throughLink ? ` (link ${e.throughLink})` : e.crossAccount ? ' (no link)' : ''}`;
    rows.push([e.principal, database, '*', yesNo(e.describe), e.write ? '(write)' : '']);
    for (const table of Object.keys(e.tables).sort(compareStrings)) {
      const t = e.tables[table];
      const schema = matrix.schema[tableKey(e.catalogId, e.database, table)];
      const flag = (c: string) => {
        const cls = schema?.classifications[c];
        return cls !== undefined && sensitive.includes(cls) ? `${c}[${cls}]` : c;
      };
      let select: string;
      if (t.select === 'none') {
        select = 'none';
      } else if (t.select === 'all') {
        const flagged = selectedColumns('all', schema?.columns ?? []).map(flag).filter((x) => x.includes('['));
        select = flagged.length > 0 ? `all (sensitive: ${flagged.join(', ')})` : 'all';
      } else {
        select = t.select.map(flag).join(', ');
      }
      rows.push([e.principal, database, table, yesNo(t.describe), select]);
    }
  }
  if (rows.length === 0) return 'no access\n';
  return renderTable(header, rows);
}

function yesNo(b: boolean): string {
  return b ? 'yes' : 'no';
}

function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line)].join('\n') + '\n';
}

/** The matrix as JSON with sorted keys (stable across runs and key orders). */
export function toJson(matrix: AccessMatrix): string {
  return `${stableJson(matrix, 2)}\n`;
}

function itemText(i: AccessItem): string {
  if (i.table === undefined) return databaseKey(i.catalogId, i.database);
  return `${tableKey(i.catalogId, i.database, i.table)}${i.column !== undefined ? `.${i.column}` : ''}`;
}

/** A diff as text: per principal, `+` lines for what it gains and `-` lines for what it loses. */
export function formatAccessDiff(diff: AccessDiff): string {
  if (diff.principals.length === 0) return 'no access changes\n';
  const lines: string[] = [];
  const labels = { databases: 'database', tables: 'table', columns: 'column', write: 'write' } as const;
  for (const p of diff.principals) {
    lines.push(p.principal);
    for (const [sign, changes] of [['+', p.gained], ['-', p.lost]] as const) {
      for (const level of ['databases', 'tables', 'columns', 'write'] as const) {
        for (const item of changes[level]) lines.push(`  ${sign} ${labels[level].padEnd(8)} ${itemText(item)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
