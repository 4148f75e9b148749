import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lib/access';
import type { CatalogModel, GrantModel, GrantResource, TableModel } from '../../lib/access/model';

const CATALOG = '111111111111';
const READER = `arn:aws:iam::${CATALOG}:role/reader`;

/** A catalog of one table whose columns are `columns` (as after a pipeline added some), and one grant on it. */
function catalog(columns: readonly string[], resource: GrantResource): CatalogModel {
  const table: TableModel = {
    stack: 's', logicalId: 'T', catalogId: CATALOG, databaseName: 'db', name: 't',
    columns: columns.map((name) => ({ name, type: 'string', partitionKey: false })), tags: {}, columnTags: {},
  };
  const grant: GrantModel = {
    stack: 's', logicalId: 'G', id: 's/G', grantorAccount: CATALOG, principal: READER, resource, permissions: ['SELECT'], grantable: [], legacy: false,
  };
  return {
    stacks: [], databases: [{ stack: 's', logicalId: 'D', catalogId: CATALOG, name: 'db', tags: {}, parameters: {}, isLink: false }],
    tables: [table], lfTags: [], tagAssociations: [], grants: [grant], warnings: [],
  };
}

const select = (model: CatalogModel) => evaluate(model).entries.find((e) => e.principal === READER)?.tables.t?.select;
const table = { kind: 'TableWithColumns', catalogId: CATALOG, databaseName: 'db', name: 't' } as const;

describe('TableWithColumns by ColumnNames (how the toolkit grants part of a table)', () => {
  it('given a grant naming columns, when evaluated, then exactly those columns are selectable', () => {
    expect(select(catalog(['id', 'reason', 'iban'], { ...table, columnNames: ['id', 'reason'] }))).toEqual(['id', 'reason']);
  });

  it('given a column added to the table after the grant, then it is not selectable by name, while a ColumnWildcard would let it through', () => {
    const later = ['id', 'reason', 'iban', 'salary'];
    expect(select(catalog(later, { ...table, columnNames: ['id', 'reason'] }))).toEqual(['id', 'reason']);
    expect(select(catalog(later, { ...table, excludedColumnNames: ['iban'] }))).toEqual(['id', 'reason', 'salary']);
  });

  it('given a grant naming every column, then the selection is all of them', () => {
    expect(select(catalog(['id', 'reason'], { ...table, columnNames: ['reason', 'id'] }))).toBe('all');
  });

  it('given a grant naming a column the table lacks, then it warns and selects the others', () => {
    const matrix = evaluate(catalog(['id'], { ...table, columnNames: ['id', 'gone'] }));
    expect(matrix.entries[0].tables.t.select).toBe('all');
    expect(matrix.warnings).toEqual([expect.stringContaining('has no column gone')]);
  });
});
