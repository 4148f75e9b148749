import { describe, expect, it } from 'vitest';
import { parseDqdl } from '../../lib/contracts/dqdl';
import { ContractProductSpec } from '../../lib/contracts/map';
import { CONTRACT_RULE_APPROXIMATED, CONTRACT_RULE_UNSUPPORTED } from '../../lib/contracts/warnings';
import { dqdlOf, mapObject, problemFor, problemsOfObject, warningsOf, withProperties } from './helpers';

/** Maps a table with columns a (string, required), b (string), n (integer) and the rule on property a. */
function onColumn(rule: Record<string, unknown>): ContractProductSpec {
  return mapObject(withProperties([
    { name: 'a', logicalType: 'string', required: true, quality: [rule] },
    { name: 'b', logicalType: 'string' },
    { name: 'n', logicalType: 'integer' },
  ]));
}

function onTable(rule: Record<string, unknown>): ContractProductSpec {
  return mapObject(withProperties([
    { name: 'a', logicalType: 'string', required: true },
    { name: 'b', logicalType: 'string' },
    { name: 'n', logicalType: 'integer', primaryKey: true },
  ], { quality: [rule] }));
}

const columnDqdl = (rule: Record<string, unknown>): string[] => dqdlOf(onColumn(rule));
const tableDqdl = (rule: Record<string, unknown>): string[] => dqdlOf(onTable(rule));

describe('quality: nullValues', () => {
  it.each([
    [{ mustBe: 0 }, 'IsComplete "a"'],
    [{ mustBeLessThan: 1 }, 'IsComplete "a"'],
    [{ mustBeLessOrEqualTo: 0 }, 'IsComplete "a"'],
    [{ mustBe: 0, unit: 'percent' }, 'IsComplete "a"'],
    [{ mustBeLessThan: 1, unit: 'percent' }, 'Completeness "a" > 0.99'],
    [{ mustBeLessOrEqualTo: 5, unit: 'percent' }, 'Completeness "a" >= 0.95'],
    [{ mustBeGreaterThan: 10, unit: 'percent' }, 'Completeness "a" < 0.9'],
    [{ mustBeGreaterOrEqualTo: 10, unit: 'percent' }, 'Completeness "a" <= 0.9'],
    [{ mustBe: 50, unit: 'percent' }, 'Completeness "a" = 0.5'],
    [{ mustNotBe: 100, unit: 'percent' }, 'Completeness "a" != 0'],
    [{ mustBeBetween: [1, 5], unit: 'percent' }, 'Completeness "a" between 0.95 and 0.99'],
    [{ mustNotBeBetween: [1, 5], unit: 'percent' }, 'Completeness "a" not between 0.95 and 0.99'],
    [{ mustBeLessThan: 10 }, 'CustomSql "SELECT COUNT(*) FROM primary WHERE `a` IS NULL" < 10'],
    [{ mustBeBetween: [1, 10], unit: 'rows' }, 'CustomSql "SELECT COUNT(*) FROM primary WHERE `a` IS NULL" between 1 and 10'],
    [{ mustNotBe: 3 }, 'CustomSql "SELECT COUNT(*) FROM primary WHERE `a` IS NULL" != 3'],
  ])('turns %j into %s', (ops, expected) => {
    expect(columnDqdl({ metric: 'nullValues', ...ops })).toEqual([expected]);
  });
});

describe('quality: missingValues', () => {
  it.each([
    [{ mustBe: 0 }, 'ColumnValues "a" not in [NULL, EMPTY, "N/A"]'],
    [{ mustBeLessThan: 2, unit: 'percent' }, 'ColumnValues "a" not in [NULL, EMPTY, "N/A"] with threshold > 0.98'],
    [{ mustBeLessThan: 100 }, 'CustomSql "SELECT COUNT(*) FROM primary WHERE `a` IS NULL OR `a` IN (\'\', \'N/A\')" < 100'],
  ])('turns %j into %s', (ops, expected) => {
    expect(columnDqdl({ metric: 'missingValues', arguments: { missingValues: [null, '', 'N/A'] }, ...ops })).toEqual([expected]);
  });

  it('keeps numeric missing values as numbers and escapes quotes', () => {
    expect(columnDqdl({ metric: 'missingValues', arguments: { missingValues: [-1, 0] }, mustBe: 0 })).toEqual(['ColumnValues "a" not in [-1, 0]']);
    expect(columnDqdl({ metric: 'missingValues', arguments: { missingValues: ['say "n/a"', "it's"] }, mustBeLessThan: 5 })).toEqual([
      'CustomSql "SELECT COUNT(*) FROM primary WHERE `a` IN (\'say \\"n/a\\"\', \'it\'\'s\')" < 5',
    ]);
  });

  it('assumes null and empty strings when the contract lists no missing values, with a warning', () => {
    const spec = onColumn({ metric: 'missingValues', mustBe: 0 });
    expect(dqdlOf(spec)).toEqual(['ColumnValues "a" not in [NULL, EMPTY]']);
    expect(warningsOf(spec, CONTRACT_RULE_APPROXIMATED)).toEqual([expect.stringContaining('lists no arguments.missingValues')]);
  });
});

describe('quality: invalidValues', () => {
  it.each([
    [{ arguments: { validValues: ['kg', 'lb'] }, mustBe: 0 }, ['ColumnValues "a" in ["kg", "lb", NULL]']],
    [{ arguments: { validValues: [1, 2, null] }, mustBe: 0 }, ['ColumnValues "a" in [1, 2, NULL]']],
    [{ arguments: { validValues: ['kg', 3] }, mustBe: 0 }, ['ColumnValues "a" in ["kg", "3", NULL]']],
    [{ arguments: { validValues: ['kg'] }, mustBeLessThan: 5, unit: 'percent' }, ['ColumnValues "a" in ["kg", NULL] with threshold > 0.95']],
    [{ arguments: { validValues: ['kg'] }, mustBeLessThan: 5 }, ['CustomSql "SELECT COUNT(*) FROM primary WHERE `a` IS NOT NULL AND NOT (`a` IN (\'kg\'))" < 5']],
    [{ arguments: { pattern: '^[A-Z]{2}\\d+$' }, mustBe: 0 }, ['ColumnValues "a" matches "^[A-Z]{2}\\d+$" where "`a` IS NOT NULL"']],
    [{ arguments: { pattern: '^x$' }, mustBeLessOrEqualTo: 1, unit: 'percent' }, ['ColumnValues "a" matches "^x$" where "`a` IS NOT NULL" with threshold >= 0.99']],
    // Spark SQL literals unescape backslashes (\d → \\d); DQDL escapes only the backslash before a backslash (\\d → \\\d).
    [{ arguments: { pattern: '^\\d+$' }, mustBeLessThan: 3 }, ['CustomSql "SELECT COUNT(*) FROM primary WHERE `a` IS NOT NULL AND NOT (`a` RLIKE \'^\\\\\\d+$\')" < 3']],
    [{ arguments: { validValues: ['x'], pattern: '^x$' }, mustBe: 0 }, ['ColumnValues "a" in ["x", NULL]', 'ColumnValues "a" matches "^x$" where "`a` IS NOT NULL"']],
    [{ rule: 'validValues', validValues: ['p', 'q'] }, ['ColumnValues "a" in ["p", "q", NULL]']],
  ])('turns %j into %j', (rule, expected) => {
    expect(columnDqdl({ metric: 'rule' in rule ? undefined : 'invalidValues', ...rule })).toEqual(expected);
  });

  it('fails without valid values or pattern, and on a pattern that is not a regular expression', () => {
    expect(problemFor(problemsOfObject(withProperties([{ name: 'a', logicalType: 'string', quality: [{ metric: 'invalidValues', mustBe: 0 }] }])),
      'schema[0].properties[0].quality[0].arguments')).toContain('must give validValues or pattern for metric invalidValues');
    expect(problemFor(problemsOfObject(withProperties([{ name: 'a', logicalType: 'string', quality: [{ metric: 'invalidValues', arguments: { pattern: '([' }, mustBe: 0 }] }])),
      'schema[0].properties[0].quality[0].arguments.pattern')).toContain('must be a regular expression');
    expect(problemFor(problemsOfObject(withProperties([{ name: 'a', logicalType: 'string', quality: [{ metric: 'invalidValues', arguments: { validValues: 'kg' } }] }])),
      'schema[0].properties[0].quality[0].arguments.validValues')).toContain('must be a list of values for validValues');
  });
});

describe('quality: duplicateValues', () => {
  it.each([
    [{ mustBe: 0 }, 'IsUnique "a"'],
    [{ mustBeLessThan: 1, unit: 'percent' }, 'Uniqueness "a" > 0.99'],
    [{ mustBeLessThan: 10 }, 'CustomSql "SELECT COUNT(`a`) - COUNT(DISTINCT `a`) FROM primary" < 10'],
  ])('turns %j on a column into %s', (ops, expected) => {
    expect(columnDqdl({ metric: 'duplicateValues', ...ops })).toEqual([expected]);
  });

  it('checks a combination of properties: IsPrimaryKey when they are all required, else a count of surplus rows', () => {
    expect(tableDqdl({ metric: 'duplicateValues', mustBe: 0, arguments: { properties: ['a', 'n'] } })).toEqual(['IsPrimaryKey "a" "n"']);
    const surplus = 'SELECT COALESCE(SUM(n) - COUNT(*), 0) FROM (SELECT COUNT(*) AS n FROM primary GROUP BY `a`, `b` HAVING COUNT(*) > 1)';
    expect(tableDqdl({ metric: 'duplicateValues', mustBe: 0, arguments: { properties: ['a', 'b'] } })).toEqual([`CustomSql "${surplus}" = 0`]);
    expect(tableDqdl({ metric: 'duplicateValues', mustBeLessThan: 5, arguments: { properties: ['a', 'b'] } })).toEqual([`CustomSql "${surplus}" < 5`]);
    expect(tableDqdl({ metric: 'duplicateValues', mustBeLessThan: 1, unit: 'percent', arguments: { properties: ['a', 'b'] } })).toEqual([
      'CustomSql "SELECT COALESCE(SUM(n) - COUNT(*), 0) * 100.0 / (SELECT COUNT(*) FROM primary) FROM (SELECT COUNT(*) AS n FROM primary GROUP BY `a`, `b` '
      + 'HAVING COUNT(*) > 1)" < 1',
    ]);
  });

  it('fails when arguments.properties names a property that does not exist', () => {
    const problems = problemsOfObject(withProperties([{ name: 'order_id', logicalType: 'string' }], { quality: [{ metric: 'duplicateValues', mustBe: 0, arguments: { properties: ['order_di'] } }] }));
    expect(problemFor(problems, 'schema[0].quality[0].arguments.properties[0]')).toContain('must name a property of the object (order_id), got: "order_di". Did you mean "order_id"?');
  });
});

describe('quality: rowCount', () => {
  it.each([
    [{ mustBe: 100 }, 'RowCount = 100'],
    [{ mustNotBe: 0 }, 'RowCount != 0'],
    [{ mustBeGreaterThan: 1000 }, 'RowCount > 1000'],
    [{ mustBeGreaterOrEqualTo: 1 }, 'RowCount >= 1'],
    [{ mustBeLessThan: 1e9 }, 'RowCount < 1000000000'],
    [{ mustBeLessOrEqualTo: 5 }, 'RowCount <= 5'],
    [{ mustBeBetween: [100, 120] }, 'RowCount between 100 and 120'],
    [{ mustNotBeBetween: [0, 10] }, 'RowCount not between 0 and 10'],
  ])('turns %j into %s', (ops, expected) => {
    expect(tableDqdl({ metric: 'rowCount', ...ops })).toEqual([expected]);
  });

  it('turns several operators into one rule each', () => {
    expect(tableDqdl({ metric: 'rowCount', mustBeGreaterThan: 0, mustBeLessThan: 100 })).toEqual(['RowCount > 0', 'RowCount < 100']);
  });

  it('fails without an operator', () => {
    expect(problemFor(problemsOfObject(withProperties([{ name: 'a', logicalType: 'string' }], { quality: [{ metric: 'rowCount' }] })), 'schema[0].quality[0]'))
      .toContain('must compare the metric with an operator');
  });
});

describe('quality: library rule checks', () => {
  it('assumes mustBe: 0 for a count metric without operator, with a warning', () => {
    const spec = onColumn({ metric: 'nullValues' });
    expect(dqdlOf(spec)).toEqual(['IsComplete "a"']);
    expect(warningsOf(spec, CONTRACT_RULE_APPROXIMATED)).toEqual([expect.stringContaining('has no operator: mustBe: 0 is assumed (no null values).')]);
  });

  it('reads the v3.0 rule names', () => {
    expect(columnDqdl({ rule: 'duplicateCount', mustBe: 0 })).toEqual(['IsUnique "a"']);
    expect(columnDqdl({ rule: 'nullCheck' })).toEqual(['IsComplete "a"']);
    expect(tableDqdl({ rule: 'rowCount', mustBeGreaterThan: 0 })).toEqual(['RowCount > 0']);
  });

  it('fails on non-numeric operator values, negative counts and percentages above 100', () => {
    const problems = problemsOfObject(withProperties([{
      name: 'a', logicalType: 'string', quality: [
        { metric: 'nullValues', mustBe: 'none' }, { metric: 'nullValues', mustBeLessThan: -1 }, { metric: 'nullValues', mustBeLessThan: 150, unit: 'percent' },
      ],
    }]));
    expect(problemFor(problems, 'schema[0].properties[0].quality[0].mustBe')).toContain('must be a number for metric nullValues');
    expect(problemFor(problems, 'schema[0].properties[0].quality[1].mustBeLessThan')).toContain('must not be negative');
    expect(problemFor(problems, 'schema[0].properties[0].quality[2].mustBeLessThan')).toContain('must be a percentage between 0 and 100');
  });

  it('fails on a library rule without metric', () => {
    expect(problemFor(problemsOfObject(withProperties([{ name: 'a', logicalType: 'string', quality: [{ type: 'library', mustBe: 0 }] }])),
      'schema[0].properties[0].quality[0].metric')).toContain('is required for a library rule (one of nullValues, missingValues, invalidValues, duplicateValues, rowCount)');
  });
});

describe('quality: custom DQDL rules', () => {
  it('keeps valid DQDL as written, from a single rule, a list or a whole ruleset', () => {
    expect(columnDqdl({ type: 'custom', engine: 'glue-data-quality', implementation: 'ColumnLength "a" <= 10' })).toEqual(['ColumnLength "a" <= 10']);
    expect(tableDqdl({ type: 'custom', engine: 'dqdl', implementation: 'Mean "n" > 1,\nSum "n" < 100' })).toEqual(['Mean "n" > 1', 'Sum "n" < 100']);
    expect(tableDqdl({ type: 'custom', engine: 'AWS Glue Data Quality', implementation: 'Rules = [ (IsComplete "a") and (IsUnique "a"), DistinctValuesCount "b" > 3 ]' }))
      .toEqual(['(IsComplete "a") and (IsUnique "a")', 'DistinctValuesCount "b" > 3']);
    expect(tableDqdl({ engine: 'glue', implementation: 'CustomSql "select count(*) from primary where n < 0" = 0' }))
      .toEqual(['CustomSql "select count(*) from primary where n < 0" = 0']); // type custom is implied by engine
  });

  it('fails on DQDL the toolkit does not support, naming the reason and the position in the rule', () => {
    const problems = problemsOfObject(withProperties([{ name: 'a', logicalType: 'string' }], {
      quality: [
        { type: 'custom', engine: 'glue-data-quality', implementation: 'ColumnValues "a" in ["x"] or IsComplete "a"' },
        { type: 'custom', engine: 'glue-data-quality', implementation: 'Completeness "zz" > 0.5' },
        { type: 'custom', engine: 'glue-data-quality', implementation: 'Entropy "a" > 1' },
        { type: 'custom', engine: 'glue-data-quality', implementation: { rule: 'IsComplete' } },
      ],
    }));
    expect(problemFor(problems, 'schema[0].quality[0].implementation')).toContain('must be DQDL in a form the toolkit supports (wrap each rule joined by and/or in parentheses');
    expect(problemFor(problems, 'schema[0].quality[1].implementation')).toContain('names column "zz", which is not a column of the table (a)');
    expect(problemFor(problems, 'schema[0].quality[2].implementation')).toContain('unsupported rule type "Entropy"');
    expect(problemFor(problems, 'schema[0].quality[3].implementation')).toContain('must be DQDL text for engine glue-data-quality');
  });
});

describe('quality: unsupported rules are listed and warned about, never dropped silently', () => {
  it.each([
    [{ type: 'sql', query: 'SELECT COUNT(*) FROM {object}', mustBe: 0 }, 'SQL rules are written in the dialect of the source server'],
    [{ type: 'text', description: 'Looks right' }, 'text rules describe quality for humans'],
    [{ type: 'custom', engine: 'soda', implementation: 'type: row_count' }, 'engine "soda" is not run by the toolkit'],
    [{ type: 'custom', engine: 'greatExpectations', implementation: { type: 'x' } }, 'engine "greatExpectations" is not run by the toolkit'],
    [{ metric: 'nullValue', mustBe: 0 }, 'metric "nullValue" is not a library metric of ODCS'],
    [{ metric: 'freshness', mustBeLessThan: 3 }, 'metric "freshness" is not a library metric'],
    [{ metric: 'nullValues', mustBe: 0, unit: 'bytes' }, 'unit "bytes" is not supported (rows or percent)'],
    [{ metric: 'rowCount', mustBeGreaterThan: 0 }, 'metric rowCount is about the whole object; write the rule under the schema object'],
  ])('on a property: %j', (rule, reason) => {
    // given a property-level rule the toolkit cannot run
    const spec = onColumn(rule);
    // then it is listed with its path, table, column and reason, and a warning says so; no DQDL comes out of it
    expect(spec.unsupportedRules).toEqual([{ path: 'schema[0].properties[0].quality[0]', table: 'orders', column: 'a', reason: expect.stringContaining(reason) }]);
    expect(warningsOf(spec, CONTRACT_RULE_UNSUPPORTED)).toEqual([expect.stringContaining('`schema[0].properties[0].quality[0]` is not turned into a Glue Data Quality rule: ')]);
    expect(spec.quality).toEqual([]);
  });

  it('on objects: column metrics, percent row counts', () => {
    const spec = mapObject(withProperties([{ name: 'a', logicalType: 'string' }], {
      quality: [{ metric: 'nullValues', mustBe: 0 }, { metric: 'rowCount', mustBeGreaterThan: 1, unit: 'percent' }, { metric: 'rowCount', mustBeGreaterThan: 1 }],
    }));
    expect(spec.unsupportedRules.map((u) => [u.path, u.reason])).toEqual([
      ['schema[0].quality[0]', 'metric nullValues is about one column; write the rule under the property it checks'],
      ['schema[0].quality[1]', 'rowCount counts rows; unit percent has no meaning'],
    ]);
    expect(dqdlOf(spec)).toEqual(['RowCount > 1']);
  });

  it('suggests the metric name on a near miss', () => {
    expect(onColumn({ metric: 'nullValue', mustBe: 0 }).unsupportedRules[0].reason).toContain('Did you mean "nullValues"?');
  });
});

describe('quality: output', () => {
  it('keeps the rule metadata and gives one ruleset per table that Glue can read', () => {
    // given rules on two tables
    const spec = mapObject({
      ...withProperties([{ name: 'a', logicalType: 'string', quality: [{ metric: 'nullValues', mustBe: 0, name: 'a_complete', severity: 'error', dimension: 'completeness' }] }]),
      schema: [
        { name: 't1', properties: [{ name: 'a', logicalType: 'string', quality: [{ metric: 'nullValues', mustBe: 0, name: 'a_complete', severity: 'error', dimension: 'cp' }] }] },
        { name: 't2', properties: [{ name: 'b', logicalType: 'string' }], quality: [{ metric: 'rowCount', mustBeGreaterThan: 0, description: 'not empty' }] },
        { name: 't3', properties: [{ name: 'c', logicalType: 'string' }] },
      ],
    });
    // then each table with rules has its ruleset and rule records
    expect(spec.quality.map((q) => [q.table, q.dqdl])).toEqual([
      ['t1', 'Rules = [\n    IsComplete "a"\n]'],
      ['t2', 'Rules = [\n    RowCount > 0\n]'],
    ]);
    expect(spec.quality[0].rules).toEqual([{
      path: 'schema[0].properties[0].quality[0]', column: 'a', name: 'a_complete', severity: 'error', dimension: 'cp', source: 'library', metric: 'nullValues', dqdl: ['IsComplete "a"'],
    }]);
    for (const q of spec.quality) expect(parseDqdl(q.dqdl).problems).toEqual([]);
  });
});
