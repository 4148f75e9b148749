import { afterAll, describe, expect, it } from 'vitest';
import { diffAccess, formatAccessDiff, formatAccessTable, isEmptyDiff, sensitiveColumnReaders, toJson } from '../../lib/access';
import { GOV, cleanup, evaluateWith } from './fixture';
import { grant, roleArn, roleArnJoin, tagPolicy } from './helpers';

afterAll(cleanup);

const ANALYST = roleArn(GOV, 'analyst');
const WRITER = roleArn(GOV, 'writer');
const VIEWER = roleArn(GOV, 'viewer');

const before = evaluateWith({
  A1: grant(roleArnJoin(GOV, 'analyst'), tagPolicy(GOV, 'DATABASE', { domain: ['sales'], classification: ['internal'] }), ['DESCRIBE']),
  A2: grant(roleArnJoin(GOV, 'analyst'), tagPolicy(GOV, 'TABLE', { domain: ['sales'], classification: ['internal'] }), ['SELECT', 'DESCRIBE']),
  W: grant(roleArnJoin(GOV, 'writer'), { Table: { CatalogId: GOV, DatabaseName: 'hr_people', TableWildcard: {} } }, ['SELECT', 'INSERT']),
});
const after = evaluateWith({
  A1: grant(roleArnJoin(GOV, 'analyst'), tagPolicy(GOV, 'DATABASE', { domain: ['sales'], classification: ['internal', 'confidential'] }), ['DESCRIBE']),
  A2: grant(roleArnJoin(GOV, 'analyst'), tagPolicy(GOV, 'TABLE', { domain: ['sales'], classification: ['internal', 'pii'] }), ['SELECT', 'DESCRIBE']),
  V: grant(roleArnJoin(GOV, 'viewer'), { Table: { CatalogId: GOV, DatabaseName: 'sales_customers', Name: 'customers' } }, ['SELECT']),
});

describe('diffAccess', () => {
  it('lists what each principal gains and loses, sorted', () => {
    const none = { databases: [], tables: [], columns: [], write: [] };
    const orders = { catalogId: GOV, database: 'sales_orders' };
    const customers = { catalogId: GOV, database: 'sales_customers' };
    const people = { catalogId: GOV, database: 'hr_people' };
    expect(diffAccess(before.matrix, after.matrix)).toEqual({
      principals: [
        { principal: ANALYST, gained: { ...none, databases: [customers], columns: [{ ...orders, table: 'order_lines', column: 'customer_email' }] }, lost: none },
        {
          principal: VIEWER,
          gained: { ...none, columns: [{ ...customers, table: 'customers', column: 'customer_id' }, { ...customers, table: 'customers', column: 'name' }] },
          lost: none,
        },
        {
          principal: WRITER,
          gained: none,
          lost: { ...none, columns: [{ ...people, table: 'people', column: 'person_id' }, { ...people, table: 'people', column: 'salary' }], write: [people] },
        },
      ],
    });
  });

  it('is empty between a matrix and itself, and symmetric', () => {
    expect(isEmptyDiff(diffAccess(after.matrix, after.matrix))).toBe(true);
    expect(formatAccessDiff(diffAccess(after.matrix, after.matrix))).toBe('no access changes\n');
    const forward = diffAccess(before.matrix, after.matrix);
    const backward = diffAccess(after.matrix, before.matrix);
    expect(backward.principals.map((p) => ({ principal: p.principal, gained: p.lost, lost: p.gained }))).toEqual(forward.principals);
  });

  it('formats as text', () => {
    expect(formatAccessDiff(diffAccess(before.matrix, after.matrix))).toBe([
      ANALYST,
      `  + database ${GOV}:sales_customers`,
      `  + column   ${GOV}:sales_orders.order_lines.customer_email`,
      VIEWER,
      `  + column   ${GOV}:sales_customers.customers.customer_id`,
      `  + column   ${GOV}:sales_customers.customers.name`,
      WRITER,
      `  - column   ${GOV}:hr_people.people.person_id`,
      `  - column   ${GOV}:hr_people.people.salary`,
      `  - write    ${GOV}:hr_people`,
      '',
    ].join('\n'));
  });
});

describe('formatAccessTable and toJson', () => {
  it('renders one row per database and table, flagging sensitive columns', () => {
    expect(formatAccessTable(after.matrix, { sensitiveClassifications: ['pii'] })).toBe([
      'principal                              | database                     | table       | describe | select',
      '---------------------------------------+------------------------------+-------------+----------+-------------------------------------',
      'arn:aws:iam::111111111111:role/analyst | 111111111111:sales_customers | *           | yes      |',
      'arn:aws:iam::111111111111:role/analyst | 111111111111:sales_orders    | *           | yes      |',
      'arn:aws:iam::111111111111:role/analyst | 111111111111:sales_orders    | order_lines | yes      | all (sensitive: customer_email[pii])',
      'arn:aws:iam::111111111111:role/viewer  | 111111111111:sales_customers | *           | no       |',
      'arn:aws:iam::111111111111:role/viewer  | 111111111111:sales_customers | customers   | no       | all',
      '',
    ].join('\n'));
    const rows = formatAccessTable(before.matrix, { sensitiveClassifications: ['pii'] }).split('\n').map((l) => l.split('|').map((c) => c.trim()));
    expect(rows).toContainEqual([ANALYST, `${GOV}:sales_orders`, 'order_lines', 'yes', 'amount, day, order_id']);
    expect(rows).toContainEqual([WRITER, `${GOV}:hr_people`, '*', 'no', '(write)']);
    expect(formatAccessTable({ entries: [], schema: {}, warnings: [] })).toBe('no access\n');
  });

  it('shows "all" with the sensitive columns it includes', () => {
    expect(formatAccessTable(before.matrix, { sensitiveClassifications: ['pii'] })).toMatch(/ \| people +\| no +\| all \(sensitive: salary\[pii\]\)\n/);
    expect(formatAccessTable(before.matrix)).toMatch(/ \| people +\| no +\| all\n/);
  });

  it('serializes with sorted keys, round-tripping', () => {
    const json = toJson(after.matrix);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(after.matrix)));
    expect(json.startsWith('{\n  "entries": [\n    {\n      "catalogId": "111111111111",\n      "crossAccount": false,\n      "database": "sales_customers",')).toBe(true);
  });
});

describe('sensitiveColumnReaders', () => {
  it('lists who can select columns whose effective classification is sensitive', () => {
    expect(sensitiveColumnReaders(before.model, before.matrix)).toEqual([
      { principal: WRITER, catalogId: GOV, database: 'hr_people', table: 'people', column: 'salary', classification: 'pii' },
    ]);
    expect(sensitiveColumnReaders(after.model, after.matrix)).toEqual([
      { principal: ANALYST, catalogId: GOV, database: 'sales_orders', table: 'order_lines', column: 'customer_email', classification: 'pii' },
      // customers inherits confidential from its database.
      { principal: VIEWER, catalogId: GOV, database: 'sales_customers', table: 'customers', column: 'customer_id', classification: 'confidential' },
      { principal: VIEWER, catalogId: GOV, database: 'sales_customers', table: 'customers', column: 'name', classification: 'confidential' },
    ]);
    expect(sensitiveColumnReaders(after.model, after.matrix, ['pii']).map((r) => r.column)).toEqual(['customer_email']);
  });
});
