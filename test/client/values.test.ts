import { describe, expect, it } from 'vitest';
import { athenaValue } from '../../lib/client/private/athena-values';
import { normalizeResource, resourceKey } from '../../lib/client/private/lf-resources';

describe('athenaValue', () => {
  it.each([
    ['integer', '42', 42], ['tinyint', '-3', -3], ['bigint', '9007199254740991', 9007199254740991], ['bigint', '9007199254740992', '9007199254740992'],
    ['bigint', '-9223372036854775808', '-9223372036854775808'], ['double', '1.5', 1.5], ['real', 'Infinity', Infinity], ['float', '-0.25', -0.25],
    ['decimal(10,2)', '12.30', 12.3], ['boolean', 'true', true], ['boolean', 'false', false], ['date', '2024-01-31', '2024-01-31'],
    ['timestamp', '2024-01-31 12:00:00.000', '2024-01-31 12:00:00.000'], ['varchar', '007', '007'], ['array', '[1, 2]', '[1, 2]'],
    ['integer', undefined, null], ['varchar', undefined, null], ['varchar', '', ''], ['double', '', ''],
  ])('%s %j → %j', (type, text, expected) => {
    expect(athenaValue(type, text)).toEqual(expected);
  });
});

describe('normalizeResource', () => {
  const cat = '111111111111';
  it('treats SELECT on all columns as a grant on the table', () => {
    const table = normalizeResource({ Table: { CatalogId: cat, DatabaseName: 'db', Name: 't' } }, cat);
    const allColumns = normalizeResource({ TableWithColumns: { CatalogId: cat, DatabaseName: 'db', Name: 't', ColumnWildcard: {} } }, cat);
    const excluded = normalizeResource({ TableWithColumns: { DatabaseName: 'db', Name: 't', ColumnWildcard: { ExcludedColumnNames: ['b', 'a'] } } }, cat);
    expect(resourceKey(allColumns)).toBe(resourceKey(table));
    expect(resourceKey(excluded)).toBe('columns:111111111111:db:t:*-a,b');
  });

  it('normalizes table wildcards, locations and tag policies', () => {
    expect(resourceKey(normalizeResource({ Table: { DatabaseName: 'db', TableWildcard: {} } }, cat))).toBe('table:111111111111:db:*');
    expect(resourceKey(normalizeResource({ DataLocation: { ResourceArn: 'arn:aws:s3:::b/p/' } }, cat))).toBe('location:111111111111:arn:aws:s3:::b/p');
    expect(resourceKey(normalizeResource({
      LFTagPolicy: { CatalogId: cat, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['sales', 'hr'] }, { TagKey: 'classification', TagValues: ['public'] }] },
    }, cat))).toBe('lf-tag-policy:111111111111:TABLE:classification=public;domain=hr|sales');
  });
});
