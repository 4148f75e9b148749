import { AccessEntry, AccessMatrix, CatalogModel, evaluate, readAssembly } from '../../lib/access';
import { HandStack, Resource, database, lfTag, removeDir, table, tags, tempDir, writeAssembly } from './helpers';

export const GOV = '111111111111';
export const CONSUMER = '333333333333';
export const ACCOUNT_CONSUMER = '444444444444';

/**
 * A hand-written governance catalog:
 * - sales_orders (domain=sales, classification=internal, tier=gold)
 *   - order_lines: order_id, amount, customer_email (column: classification=pii), partition key day
 *   - returns (table: classification=public): return_id, reason, note (column: classification=confidential)
 * - sales_customers (domain=sales, classification=confidential; no tier)
 *   - customers: customer_id, name
 * - hr_people (domain=hr, classification=internal; no tier)
 *   - people: person_id, salary (column: classification=pii)
 */
export function catalogStack(): HandStack {
  const db = (name: string) => ({ Database: { CatalogId: GOV, Name: name } });
  const tbl = (d: string, name: string) => ({ Table: { CatalogId: GOV, DatabaseName: d, Name: name } });
  const cols = (d: string, name: string, columns: string[]) => ({ TableWithColumns: { CatalogId: GOV, DatabaseName: d, Name: name, ColumnNames: columns } });
  return {
    id: 'catalog',
    account: GOV,
    resources: {
      TagDomain: lfTag(GOV, 'domain', ['hr', 'sales']),
      TagClassification: lfTag(GOV, 'classification', ['public', 'internal', 'confidential', 'pii']),
      TagTier: lfTag(GOV, 'tier', ['gold', 'silver']),
      DbOrders: database(GOV, 'sales_orders'),
      DbOrdersTags: tags(db('sales_orders'), GOV, { domain: 'sales', classification: 'internal', tier: 'gold' }),
      TableOrderLines: table(GOV, 'sales_orders', 'order_lines', ['order_id', 'amount', 'customer_email'], ['day']),
      TableOrderLinesPii: tags(cols('sales_orders', 'order_lines', ['customer_email']), GOV, { classification: 'pii' }),
      TableReturns: table(GOV, 'sales_orders', 'returns', ['return_id', 'reason', 'note']),
      TableReturnsTags: tags(tbl('sales_orders', 'returns'), GOV, { classification: 'public' }),
      TableReturnsNote: tags(cols('sales_orders', 'returns', ['note']), GOV, { classification: 'confidential' }),
      DbCustomers: database(GOV, 'sales_customers'),
      DbCustomersTags: tags(db('sales_customers'), GOV, { domain: 'sales', classification: 'confidential' }),
      TableCustomers: table(GOV, 'sales_customers', 'customers', ['customer_id', 'name']),
      DbPeople: database(GOV, 'hr_people'),
      DbPeopleTags: tags(db('hr_people'), GOV, { domain: 'hr', classification: 'internal' }),
      TablePeople: table(GOV, 'hr_people', 'people', ['person_id', 'salary']),
      TablePeopleSalary: tags(cols('hr_people', 'people', ['salary']), GOV, { classification: 'pii' }),
    },
  };
}

const dirs: string[] = [];

/** Writes the catalog plus `grants` (a stack `grants` in the governance account) and `extra` stacks, reads and evaluates it. */
export function evaluateWith(grants: Record<string, Resource>, extra: readonly HandStack[] = []): { model: CatalogModel; matrix: AccessMatrix } {
  const dir = tempDir('hand');
  dirs.push(dir);
  writeAssembly(dir, [catalogStack(), { id: 'grants', account: GOV, resources: grants }, ...extra]);
  const model = readAssembly(dir);
  return { model, matrix: evaluate(model) };
}

export function cleanup(): void {
  for (const d of dirs.splice(0)) removeDir(d);
}

export function entriesOf(matrix: AccessMatrix, principal: string): AccessEntry[] {
  return matrix.entries.filter((e) => e.principal === principal);
}
