import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DqdlRule, dqdlNumber, dqdlString, parseDqdl, renderCondition, renderRule, renderRuleset } from '../../lib/contracts/dqdl';

const COLUMNS = ['a', 'b', 'status', 'd'];

function ok(text: string): readonly string[] {
  const r = parseDqdl(text, { columns: COLUMNS });
  expect(r.problems).toEqual([]);
  return r.rules.map((x) => x.text);
}

function problem(text: string): string {
  const r = parseDqdl(text, { columns: COLUMNS });
  expect(r.problems).toHaveLength(1);
  return r.problems[0];
}

describe('parseDqdl: accepted forms', () => {
  it.each([
    'RowCount > 0',
    'RowCount between 10 and 100',
    'RowCount not between 10 and 100',
    'RowCount = 5',
    'RowCount != 5',
    'RowCount >= 1',
    'RowCount <= 1',
    'RowCount < 1',
    'RowCount in [1, 2]',
    'Completeness "a" >= 0.95',
    'IsComplete "a"',
    'IsUnique "a"',
    'Uniqueness "a" > 0.9',
    'Uniqueness "a" "b" = 1',
    'UniqueValueRatio "a" < 0.5',
    'IsPrimaryKey "a" "b"',
    'ColumnExists "a"',
    'ColumnValues "status" in ["open", "closed", NULL, EMPTY, WHITESPACES_ONLY]',
    'ColumnValues "status" not in ["x"]',
    'ColumnValues "a" matches "^[a-z]+$"',
    'ColumnValues "a" not matches "^x"',
    'ColumnValues "a" = "x"',
    'ColumnValues "a" != NULL',
    'ColumnValues "b" between -5 and 5.5',
    'ColumnValues "d" > (now() - 3 days)',
    'ColumnValues "d" <= now()',
    'ColumnValues "d" between "2024-01-01" and "2024-12-31"',
    'ColumnValues "status" in ["open"] with threshold > 0.9',
    'ColumnValues "a" matches "x" where "a is not null" with threshold >= 0.5',
    'ColumnLength "a" <= 10',
    'ColumnLength "a" between 1 and 10 with threshold > 0.99',
    'Mean "b" > 3',
    'Sum "b" < 100',
    'StandardDeviation "b" < 2.5',
    'DistinctValuesCount "status" = 2',
    'CustomSql "select count(*) from primary" between 10 and 20',
    'CustomSql "select count(*) from primary where a = \\"x\\"" = 0 with threshold > 0.9',
    '(IsComplete "a") and (IsUnique "a")',
    '(RowCount > 0) or (IsComplete "a") or (IsUnique "b")',
    '(RowCount > 0) or ((IsComplete "a") and (IsUnique "a"))',
  ])('accepts %s', (rule) => {
    expect(ok(rule)).toEqual([rule]);
  });

  it('accepts a ruleset, a bare list, comments and newlines', () => {
    expect(ok('Rules = [\n  IsComplete "a", // first\n  /* second */ RowCount > 0\n]')).toEqual(['IsComplete "a"', 'RowCount > 0']);
    expect(ok('IsComplete "a",\nRowCount > 0')).toEqual(['IsComplete "a"', 'RowCount > 0']);
  });

  it('returns the structure of rules', () => {
    const [rule] = parseDqdl('ColumnValues "status" in ["a", NULL] where "x > 1" with threshold > 0.9').rules as DqdlRule[];
    expect(rule).toEqual({
      kind: 'rule', type: 'ColumnValues', params: ['status'],
      condition: { op: 'in', values: [{ kind: 'string', value: 'a' }, { kind: 'keyword', value: 'NULL' }] },
      where: 'x > 1',
      threshold: { op: '>', value: { kind: 'number', value: 0.9 } },
      text: 'ColumnValues "status" in ["a", NULL] where "x > 1" with threshold > 0.9',
    });
    const [composite] = parseDqdl('(IsComplete "a") and (RowCount > 0)').rules;
    expect(composite.kind).toBe('and');
  });

  it('does not check columns when none are given', () => {
    expect(parseDqdl('IsComplete "anything"').problems).toEqual([]);
  });
});

describe('parseDqdl: refused forms', () => {
  it.each([
    ['Foo "a"', 'unsupported rule type "Foo"; supported: RowCount, Completeness,'],
    ['isComplete "a"', 'did you mean "IsComplete"? rule types are case-sensitive'],
    ['IsComplete "zz"', 'IsComplete names column "zz", which is not a column of the table (a, b, status, d)'],
    ['IsComplete', 'IsComplete takes 1 quoted column name, got 0'],
    ['IsUnique "a" "b"', 'IsUnique takes 1 quoted column name, got 2'],
    ['IsPrimaryKey', 'IsPrimaryKey takes at least 1 quoted column names, got 0'],
    ['RowCount "a" > 1', 'RowCount takes 0 quoted column names, got 1'],
    ['RowCount', 'RowCount needs a condition'],
    ['IsComplete "a" > 1', 'IsComplete takes no condition'],
    ['Completeness "a" > 2', 'must use ratios between 0 and 1, got 2'],
    ['RowCount > "x"', 'the condition of RowCount must compare numbers, got "x"'],
    ['RowCount matches "x"', 'must compare numbers, not match a pattern'],
    ['ColumnValues "a" in ["x"] with threshold > 5', 'the threshold must use ratios between 0 and 1'],
    ['Mean "b" > 1 with threshold > 0.5', 'Mean does not take "with threshold"'],
    ['RowCount between 10 and 1', 'between needs the smaller bound first'],
    ['RowCount between 1 or 10', 'expected "and" in "between a and b"'],
    ['ColumnValues "a" matches "(["', 'invalid regular expression "(["'],
    ['ColumnValues "a" matches x', 'expected a quoted regular expression after matches'],
    ['CustomSql "" > 0', 'CustomSql needs a SQL statement'],
    ['CustomSql > 0', 'CustomSql takes one quoted SQL statement, got 0'],
    ['IsComplete "a" and IsUnique "a"', 'wrap each rule joined by and/or in parentheses'],
    ['(IsComplete "a") and (IsUnique "a") or (RowCount > 0)', 'do not mix and with or without parentheses'],
    ['(IsComplete "a") and IsUnique "a"', 'wrap each rule joined by and/or in parentheses'],
    ['IsComplete "a" IsUnique "a"', 'expected "," between rules'],
    ['Rules = [ IsComplete "a" ', 'expected "]"'],
    ['Rules = [ ]', 'expected at least one rule'],
    ['', 'expected at least one rule'],
    ['Rules = [ IsComplete "a" ] extra', 'expected the end of the ruleset'],
    ['Metadata = { "a": "b" } Rules = [ RowCount > 0 ]', 'the Metadata section is not supported'],
    ['IsComplete "a', 'unterminated string'],
    ['RowCount > 1 /* open', 'unterminated comment'],
    ['RowCount > 1 ;', 'unexpected character ";"'],
    ['ColumnValues "d" > (now() * 3 days)', 'unexpected character "*"'],
    ['ColumnValues "d" > (now() - 3 weeks)', 'expected a unit (days, hours, minutes)'],
    ['ColumnValues "a" where 1', 'expected a quoted SQL filter after where'],
    ['ColumnValues "a" = 1 with 0.5', 'expected "threshold" after "with"'],
    ['RowCount not > 1', 'expected between, in or matches after not'],
  ])('refuses %s', (text, message) => {
    expect(problem(text)).toContain(message);
  });

  it('says where the problem is', () => {
    expect(problem('Rules = [ IsComplete "a", Foo "b" ]')).toMatch(/ at "Foo "b" \]"$/);
    expect(problem('RowCount >')).toMatch(/ at the end$/);
  });
});

describe('DQDL writing', () => {
  it('quotes strings, escaping quotes and only the backslashes that need it', () => {
    expect(dqdlString('plain')).toBe('"plain"');
    expect(dqdlString('say "hi"')).toBe('"say \\"hi\\""');
    expect(dqdlString('^\\d+$')).toBe('"^\\d+$"');
    expect(dqdlString('ends with \\')).toBe('"ends with \\\\"');
    expect(dqdlString('a\\\\b')).toBe('"a\\\\\\b"');
  });

  it('writes numbers without exponent or binary noise', () => {
    expect(dqdlNumber(1e-7)).toBe('0.0000001');
    expect(dqdlNumber(1 - 0.99)).toBe('0.01');
    expect(dqdlNumber(0.1 + 0.2)).toBe('0.3');
    expect(dqdlNumber(-3)).toBe('-3');
    expect(dqdlNumber(1e21)).toMatch(/^1000000000000000000000/);
  });

  it('renders conditions, rules and rulesets', () => {
    expect(renderCondition({ op: 'not between', low: { kind: 'number', value: 1 }, high: { kind: 'number', value: 2 } })).toBe('not between 1 and 2');
    expect(renderCondition({ op: 'in', values: [{ kind: 'string', value: 'x' }, { kind: 'keyword', value: 'EMPTY' }] })).toBe('in ["x", EMPTY]');
    expect(renderRule({ type: 'ColumnValues', params: ['a'], condition: { op: 'matches', pattern: '^x' }, where: 'a > 1', threshold: { op: '>=', value: { kind: 'number', value: 0.5 } } }))
      .toBe('ColumnValues "a" matches "^x" where "a > 1" with threshold >= 0.5');
    expect(renderRuleset(['RowCount > 0', 'IsComplete "a"'])).toBe('Rules = [\n    RowCount > 0,\n    IsComplete "a"\n]');
    expect(renderRuleset([])).toBe('Rules = [ ]');
  });

  it('reads back every string it writes (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (s) => {
      const r = parseDqdl(`ColumnValues "a" = ${dqdlString(s)}`);
      expect(r.problems).toEqual([]);
      const rule = r.rules[0] as DqdlRule;
      expect(rule.condition).toEqual({ op: '=', value: { kind: 'string', value: s } });
    }), { numRuns: 100 });
  });

  it('reads back every number it writes (property)', () => {
    fc.assert(fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true }), (n) => {
      const r = parseDqdl(`RowCount > ${dqdlNumber(n)}`);
      expect(r.problems).toEqual([]);
      const v = ((r.rules[0] as DqdlRule).condition as { value: { value: number } }).value.value;
      expect(Math.abs(v - n)).toBeLessThanOrEqual(Math.abs(n) * 1e-11 + 1e-12);
    }), { numRuns: 100 });
  });
});
