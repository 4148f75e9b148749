import { afterAll, describe, expect, it } from 'vitest';
import { AccessEntry } from '../../lib/access';
import { ACCOUNT_CONSUMER, CONSUMER, GOV, cleanup, entriesOf, evaluateWith } from './fixture';
import { grant, link, roleArn, roleArnJoin, tagPolicy } from './helpers';

afterAll(cleanup);

const ANALYST = roleArn(GOV, 'analyst');
const PRINCIPAL = roleArnJoin(GOV, 'analyst');

/** An entry of ANALYST on a governance database, with defaults for what the test does not care about. */
function entry(database: string, e: Partial<AccessEntry>): AccessEntry {
  return { principal: ANALYST, catalogId: GOV, database, describe: false, write: false, tables: {}, via: [], crossAccount: false, ...e };
}

function only(grants: Parameters<typeof evaluateWith>[0], extra: Parameters<typeof evaluateWith>[1] = [], principal = ANALYST) {
  const { matrix } = evaluateWith(grants, extra);
  return { entries: entriesOf(matrix, principal), matrix };
}

describe('LF-tag policy on databases', () => {
  it('matches a database whose tags satisfy the expression, and no other', () => {
    const { entries } = only({ G: grant(PRINCIPAL, tagPolicy(GOV, 'DATABASE', { domain: ['sales'], classification: ['internal'] }), ['DESCRIBE']) });
    expect(entries).toEqual([entry('sales_orders', { describe: true, via: ['grants/G'] })]);
  });

  it('matches nothing when no database satisfies the expression', () => {
    const { entries } = only({ G: grant(PRINCIPAL, tagPolicy(GOV, 'DATABASE', { domain: ['hr'], classification: ['confidential'] }), ['DESCRIBE']) });
    expect(entries).toEqual([]);
  });

  it('ORs the values of one key', () => {
    const { entries } = only({ G: grant(PRINCIPAL, tagPolicy(GOV, 'DATABASE', { classification: ['internal', 'confidential'] }), ['DESCRIBE']) });
    expect(entries.map((e) => e.database)).toEqual(['hr_people', 'sales_customers', 'sales_orders']);
  });

  it('ANDs the keys', () => {
    expect(only({ G: grant(PRINCIPAL, tagPolicy(GOV, 'DATABASE', { domain: ['sales'], tier: ['gold'] }), ['DESCRIBE']) }).entries.map((e) => e.database))
      .toEqual(['sales_orders']);
    expect(only({ G: grant(PRINCIPAL, tagPolicy(GOV, 'DATABASE', { domain: ['hr'], classification: ['internal'] }), ['DESCRIBE']) }).entries.map((e) => e.database))
      .toEqual(['hr_people']);
  });

  it('does not match a database that lacks a key of the expression', () => {
    // sales_customers and hr_people have no tier at all.
    const { entries } = only({ G: grant(PRINCIPAL, tagPolicy(GOV, 'DATABASE', { tier: ['gold', 'silver'] }), ['DESCRIBE']) });
    expect(entries.map((e) => e.database)).toEqual(['sales_orders']);
    const none = only({ G: grant(PRINCIPAL, tagPolicy(GOV, 'TABLE', { tier: ['silver'] }), ['SELECT', 'DESCRIBE']) });
    expect(none.entries).toEqual([]);
  });
});

describe('LF-tag policy on tables', () => {
  const table = (expression: Record<string, string[]>) => only({ G: grant(PRINCIPAL, tagPolicy(GOV, 'TABLE', expression), ['SELECT', 'DESCRIBE']) }).entries;

  it('inherits database tags to tables and columns, and leaves out a column whose override falls outside the expression', () => {
    expect(table({ domain: ['sales'], classification: ['internal'] })).toEqual([
      // returns overrides classification to public: the table does not match; customer_email (pii) is not selectable.
      entry('sales_orders', { tables: { order_lines: { describe: true, select: ['amount', 'day', 'order_id'] } }, via: ['grants/G'] }),
    ]);
  });

  it('lets a table-level tag override the database value of the same key', () => {
    expect(table({ classification: ['public'] })).toEqual([
      // note is classified confidential at column level.
      entry('sales_orders', { tables: { returns: { describe: true, select: ['reason', 'return_id'] } }, via: ['grants/G'] }),
    ]);
    expect(table({ domain: ['sales'], classification: ['public', 'internal'] })).toEqual([
      entry('sales_orders', {
        tables: {
          order_lines: { describe: true, select: ['amount', 'day', 'order_id'] },
          returns: { describe: true, select: ['reason', 'return_id'] },
        },
        via: ['grants/G'],
      }),
    ]);
  });

  it('grants a column whose own tag matches even in a table that does not', () => {
    expect(table({ classification: ['confidential'] })).toEqual([
      entry('sales_customers', { tables: { customers: { describe: true, select: 'all' } }, via: ['grants/G'] }),
      entry('sales_orders', { tables: { returns: { describe: true, select: ['note'] } }, via: ['grants/G'] }),
    ]);
    expect(table({ classification: ['pii'] })).toEqual([
      entry('hr_people', { tables: { people: { describe: true, select: ['salary'] } }, via: ['grants/G'] }),
      entry('sales_orders', { tables: { order_lines: { describe: true, select: ['customer_email'] } }, via: ['grants/G'] }),
    ]);
  });

  it('does not give DESCRIBE on the database (a table grant does not imply it)', () => {
    const { entries } = only({
      D: grant(PRINCIPAL, tagPolicy(GOV, 'DATABASE', { domain: ['hr'] }), ['DESCRIBE']),
      T: grant(PRINCIPAL, tagPolicy(GOV, 'TABLE', { domain: ['hr'] }), ['SELECT']),
    });
    expect(entries).toEqual([entry('hr_people', { describe: true, tables: { people: { describe: false, select: 'all' } }, via: ['grants/D', 'grants/T'] })]);
  });
});

describe('named-resource grants', () => {
  const ordersTable = { CatalogId: GOV, DatabaseName: 'sales_orders', Name: 'order_lines' };

  it('Table by name: every column, only the permissions granted', () => {
    expect(only({ G: grant(PRINCIPAL, { Table: ordersTable }, ['SELECT']) }).entries).toEqual([
      entry('sales_orders', { tables: { order_lines: { describe: false, select: 'all' } }, via: ['grants/G'] }),
    ]);
  });

  it('TableWildcard: every table of the database', () => {
    expect(only({
      G: grant(PRINCIPAL, { Table: { CatalogId: GOV, DatabaseName: 'sales_orders', TableWildcard: {} } }, ['SELECT', 'DESCRIBE']),
    }).entries).toEqual([
      entry('sales_orders', { tables: { order_lines: { describe: true, select: 'all' }, returns: { describe: true, select: 'all' } }, via: ['grants/G'] }),
    ]);
  });

  it('TableWithColumns by ColumnNames', () => {
    expect(only({ G: grant(PRINCIPAL, { TableWithColumns: { ...ordersTable, ColumnNames: ['order_id', 'amount'] } }, ['SELECT']) }).entries).toEqual([
      entry('sales_orders', { tables: { order_lines: { describe: false, select: ['amount', 'order_id'] } }, via: ['grants/G'] }),
    ]);
  });

  it('TableWithColumns by ColumnWildcard minus ExcludedColumnNames (partition keys are columns)', () => {
    expect(only({
      G: grant(PRINCIPAL, { TableWithColumns: { ...ordersTable, ColumnWildcard: { ExcludedColumnNames: ['customer_email'] } } }, ['SELECT']),
    }).entries).toEqual([
      entry('sales_orders', { tables: { order_lines: { describe: false, select: ['amount', 'day', 'order_id'] } }, via: ['grants/G'] }),
    ]);
    expect(only({ G: grant(PRINCIPAL, { TableWithColumns: { ...ordersTable, ColumnWildcard: {} } }, ['SELECT']) }).entries).toEqual([
      entry('sales_orders', { tables: { order_lines: { describe: false, select: 'all' } }, via: ['grants/G'] }),
    ]);
  });

  it('merges grants and reports writers', () => {
    const { entries } = only({
      A: grant(PRINCIPAL, { Database: { CatalogId: GOV, Name: 'sales_orders' } }, ['DESCRIBE', 'CREATE_TABLE']),
      B: grant(PRINCIPAL, { TableWithColumns: { ...ordersTable, ColumnNames: ['order_id'] } }, ['SELECT']),
      C: grant(PRINCIPAL, { TableWithColumns: { ...ordersTable, ColumnNames: ['amount'] } }, ['SELECT']),
      D: grant(PRINCIPAL, { DataLocation: { CatalogId: GOV, ResourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::bucket-hr_people']] } } },
        ['DATA_LOCATION_ACCESS']),
    });
    expect(entries).toEqual([
      entry('hr_people', { write: true, via: ['grants/D'] }),
      entry('sales_orders', {
        describe: true, write: true, tables: { order_lines: { describe: false, select: ['amount', 'order_id'] } }, via: ['grants/A', 'grants/B', 'grants/C'],
      }),
    ]);
  });
});

describe('resource links', () => {
  const R3 = roleArn(CONSUMER, 'analyst');
  const linkStack = (withGrant: boolean) => ({
    id: 'consumer',
    account: CONSUMER,
    resources: {
      Link: link(CONSUMER, 'sales_orders', { catalogId: GOV, name: 'sales_orders' }),
      ...(withGrant ? { LinkGrant: grant(roleArnJoin(CONSUMER, 'analyst'), { Database: { CatalogId: CONSUMER, Name: 'sales_orders' } }, ['DESCRIBE']) } : {}),
    },
  });
  const targetGrants = {
    Db: grant(roleArnJoin(CONSUMER, 'analyst'), { Database: { CatalogId: GOV, Name: 'sales_orders' } }, ['DESCRIBE']),
    Tables: grant(roleArnJoin(CONSUMER, 'analyst'), tagPolicy(GOV, 'TABLE', { domain: ['sales'], classification: ['internal'] }), ['SELECT', 'DESCRIBE']),
  };

  it('a grant on a link without a grant on its target gives nothing', () => {
    const { entries, matrix } = only({}, [linkStack(true)], R3);
    expect(entries).toEqual([]);
    expect(matrix.warnings).toContain(`${R3} may describe resource link ${CONSUMER}:sales_orders but holds no permission on its target ${GOV}:sales_orders`);
  });

  it('a link plus grants on the target give access through the link', () => {
    const { entries } = only(targetGrants, [linkStack(true)], R3);
    expect(entries).toEqual([{
      principal: R3,
      catalogId: GOV,
      database: 'sales_orders',
      describe: true,
      write: false,
      tables: { order_lines: { describe: true, select: ['amount', 'day', 'order_id'] } },
      via: ['consumer/LinkGrant', 'grants/Db', 'grants/Tables'],
      throughLink: `${CONSUMER}:sales_orders`,
      crossAccount: true,
    }]);
  });

  it('grants on the target without a link the principal may describe leave it unreachable through a link', () => {
    const { entries } = only(targetGrants, [linkStack(false)], R3);
    expect(entries.map((e) => [e.database, e.throughLink, e.crossAccount])).toEqual([['sales_orders', undefined, true]]);
  });
});

describe('grants to accounts and re-grants', () => {
  const R4 = roleArn(ACCOUNT_CONSUMER, 'analyst');
  const r4 = roleArnJoin(ACCOUNT_CONSUMER, 'analyst');
  const govGrants = {
    CustomersDb: grant(ACCOUNT_CONSUMER, { Database: { CatalogId: GOV, Name: 'sales_customers' } }, ['DESCRIBE'], ['DESCRIBE']),
    CustomersTables: grant(ACCOUNT_CONSUMER, { Table: { CatalogId: GOV, DatabaseName: 'sales_customers', Name: 'customers' } }, ['SELECT', 'DESCRIBE'], ['SELECT', 'DESCRIBE']),
    OrdersDb: grant(ACCOUNT_CONSUMER, { Database: { CatalogId: GOV, Name: 'sales_orders' } }, ['DESCRIBE'], ['DESCRIBE']),
    OrdersTable: grant(ACCOUNT_CONSUMER, { Table: { CatalogId: GOV, DatabaseName: 'sales_orders', Name: 'order_lines' } }, ['DESCRIBE'], ['DESCRIBE']),
    OrdersColumns: grant(ACCOUNT_CONSUMER, {
      TableWithColumns: { CatalogId: GOV, DatabaseName: 'sales_orders', Name: 'order_lines', ColumnWildcard: { ExcludedColumnNames: ['customer_email'] } },
    }, ['SELECT'], ['SELECT']),
    // Without the grant option: the account may use it, not re-grant it.
    PeopleDb: grant(ACCOUNT_CONSUMER, { Database: { CatalogId: GOV, Name: 'hr_people' } }, ['DESCRIBE']),
  };
  const regrants = {
    id: 'consumer',
    account: ACCOUNT_CONSUMER,
    resources: {
      Link: link(ACCOUNT_CONSUMER, 'sales_customers', { catalogId: GOV, name: 'sales_customers' }),
      LinkGrant: grant(r4, { Database: { CatalogId: ACCOUNT_CONSUMER, Name: 'sales_customers' } }, ['DESCRIBE']),
      RegrantCustomersDb: grant(r4, { Database: { CatalogId: GOV, Name: 'sales_customers' } }, ['DESCRIBE']),
      RegrantCustomersTables: grant(r4, { Table: { CatalogId: GOV, DatabaseName: 'sales_customers', TableWildcard: {} } }, ['SELECT', 'DESCRIBE']),
      RegrantOrdersDb: grant(r4, { Database: { CatalogId: GOV, Name: 'sales_orders' } }, ['DESCRIBE']),
      // Asks for more than the account holds: returns, and customer_email of order_lines.
      RegrantOrdersTables: grant(r4, { Table: { CatalogId: GOV, DatabaseName: 'sales_orders', TableWildcard: {} } }, ['SELECT', 'DESCRIBE']),
      RegrantPeople: grant(r4, { Database: { CatalogId: GOV, Name: 'hr_people' } }, ['DESCRIBE']),
    },
  };

  it('the account administrator holds what is granted to the account', () => {
    const { entries } = only(govGrants, [regrants], ACCOUNT_CONSUMER);
    expect(entries).toEqual([
      { principal: ACCOUNT_CONSUMER, catalogId: GOV, database: 'hr_people', describe: true, write: false, tables: {}, via: ['grants/PeopleDb'], crossAccount: true },
      {
        principal: ACCOUNT_CONSUMER, catalogId: GOV, database: 'sales_customers', describe: true, write: false,
        tables: { customers: { describe: true, select: 'all' } }, via: ['grants/CustomersDb', 'grants/CustomersTables'], crossAccount: true,
      },
      {
        principal: ACCOUNT_CONSUMER, catalogId: GOV, database: 'sales_orders', describe: true, write: false,
        tables: { order_lines: { describe: true, select: ['amount', 'day', 'order_id'] } },
        via: ['grants/OrdersColumns', 'grants/OrdersDb', 'grants/OrdersTable'], crossAccount: true,
      },
    ]);
  });

  it('re-grants count for the principal they name, within what the account may grant', () => {
    const { entries, matrix } = only(govGrants, [regrants], R4);
    expect(entries).toEqual([
      {
        principal: R4, catalogId: GOV, database: 'sales_customers', describe: true, write: false,
        tables: { customers: { describe: true, select: 'all' } },
        via: ['consumer/LinkGrant', 'consumer/RegrantCustomersDb', 'consumer/RegrantCustomersTables'],
        throughLink: `${ACCOUNT_CONSUMER}:sales_customers`, crossAccount: true,
      },
      {
        principal: R4, catalogId: GOV, database: 'sales_orders', describe: true, write: false,
        tables: { order_lines: { describe: true, select: ['amount', 'day', 'order_id'] } },
        via: ['consumer/RegrantOrdersDb', 'consumer/RegrantOrdersTables'], crossAccount: true,
      },
    ]);
    expect(matrix.warnings.filter((w) => w.startsWith('grant consumer/'))).toEqual([
      `grant consumer/RegrantOrdersTables: account ${ACCOUNT_CONSUMER} re-grants DESCRIBE on 1 resource(s) it holds without the grant option (${GOV}:sales_orders.returns): `
      + 'Lake Formation rejects it; counted as not granted',
      `grant consumer/RegrantOrdersTables: account ${ACCOUNT_CONSUMER} re-grants SELECT on 4 resource(s) it holds without the grant option (${GOV}:sales_orders.order_lines.customer_email, `
      + `${GOV}:sales_orders.returns.note, ${GOV}:sales_orders.returns.reason, ...): Lake Formation rejects it; counted as not granted`,
      `grant consumer/RegrantPeople: account ${ACCOUNT_CONSUMER} re-grants DESCRIBE on 1 resource(s) it holds without the grant option (${GOV}:hr_people): `
      + 'Lake Formation rejects it; counted as not granted',
    ]);
  });

  it('a re-grant by an account that holds nothing gives nothing', () => {
    const { entries } = only({}, [regrants], R4);
    expect(entries).toEqual([]);
  });
});
