import { describe, expect, it } from 'vitest';
import { GLUE_TYPE_ALIASES, normalizeGlueType, parseGlueType } from '../../lib/contracts/glue-types';
import { gluePhysicalType } from '../../lib/contracts/map';

describe('normalizeGlueType', () => {
  it.each([
    ['integer', 'int'],
    ['INTEGER', 'int'],
    ['array<integer>', 'array<int>'],
    ['map<integer, array<integer>>', 'map<int,array<int>>'],
    ['struct<a:integer,b:map<string,integer>>', 'struct<a:int,b:map<string,int>>'],
    ['struct<integer:integer>', 'struct<integer:int>'],
    ['struct<integer: struct<integer:array<integer>>>', 'struct<integer:struct<integer:array<int>>>'],
    ['decimal(12, 2)', 'decimal(12,2)'],
    ['int', 'int'],
  ])('given %s, then the Glue table gets %s (Athena reads only the Hive name; field names are kept)', (type, expected) => {
    expect(normalizeGlueType(type)).toBe(expected);
  });

  it('gives undefined for a type that is not a Glue type', () => {
    expect(normalizeGlueType('array<integer')).toBeUndefined();
  });

  it('parses aliases into their canonical primitive', () => {
    expect(parseGlueType('array<integer>')).toEqual({ kind: 'array', element: { kind: 'primitive', name: 'int' } });
    expect(GLUE_TYPE_ALIASES).toEqual({ integer: 'int' });
  });
});

describe('gluePhysicalType', () => {
  it('normalizes an alias at any depth of a contract\'s physicalType', () => {
    expect(gluePhysicalType('integer')).toBe('int');
    expect(gluePhysicalType('array<integer>')).toBe('array<int>');
    expect(gluePhysicalType('struct<integer:integer>')).toBe('struct<integer:int>');
  });
});
