import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { DataMeshValidationError, ProblemCollector, formatProblem } from '../../lib/errors';

describe('formatProblem', () => {
  it('renders `<field>` <rule>, got: <value>. <fix>', () => {
    expect(formatProblem({ field: 'tables[0].name', rule: 'must be lowercase', got: 'Orders', fix: 'Use "orders".' }))
      .toBe('`tables[0].name` must be lowercase, got: "Orders". Use "orders".');
  });

  it.each([
    [undefined, 'nothing'],
    ['', '""'],
    ['say "hi"', '"say \\"hi\\""'],
    [0, '0'],
    [false, 'false'],
    [null, 'null'],
    [['a', 1], '["a",1]'],
    [{ k: 'v' }, '{"k":"v"}'],
  ])('renders the received value %j as %s', (got, rendered) => {
    expect(formatProblem({ field: 'f', rule: 'r', got, fix: 'x' })).toBe(`\`f\` r, got: ${rendered}. x`);
  });

  it('shortens long non-string values to 120 characters', () => {
    // given
    const got = Array.from({ length: 100 }, (_, i) => i);
    // when
    const message = formatProblem({ field: 'f', rule: 'r', got, fix: 'x' });
    // then
    const rendered = message.slice('`f` r, got: '.length, -'. x'.length);
    expect(rendered).toHaveLength(120);
    expect(rendered.endsWith('...')).toBe(true);
    expect(rendered.startsWith('[0,1,2,')).toBe(true);
  });

  it('renders values JSON cannot serialize with String()', () => {
    // given: a circular object and a bigint
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    // then
    expect(formatProblem({ field: 'f', rule: 'r', got: circular, fix: 'x' })).toBe('`f` r, got: [object Object]. x');
    expect(formatProblem({ field: 'f', rule: 'r', got: BigInt(7), fix: 'x' })).toBe('`f` r, got: 7. x');
  });
});

describe('DataMeshValidationError', () => {
  it('lists one problem under its location', () => {
    const e = new DataMeshValidationError('Stack/Domain', ['`a` b, got: 1. c']);
    expect(e.message).toBe('Stack/Domain: 1 problem:\n  - `a` b, got: 1. c');
    expect(e.location).toBe('Stack/Domain');
    expect(e.problems).toEqual(['`a` b, got: 1. c']);
    expect(e.name).toBe('DataMeshValidationError');
    expect(e).toBeInstanceOf(Error);
  });

  it('counts several problems', () => {
    const e = new DataMeshValidationError('mesh.yaml', ['p1', 'p2', 'p3']);
    expect(e.message).toBe('mesh.yaml: 3 problems:\n  - p1\n  - p2\n  - p3');
  });

  it('is recognized by name (errors crossing module copies) and nothing else is', () => {
    const foreign = new Error('x');
    foreign.name = 'DataMeshValidationError';
    expect(DataMeshValidationError.isDataMeshValidationError(new DataMeshValidationError('l', ['p']))).toBe(true);
    expect(DataMeshValidationError.isDataMeshValidationError(foreign)).toBe(true);
    expect(DataMeshValidationError.isDataMeshValidationError(new Error('x'))).toBe(false);
    expect(DataMeshValidationError.isDataMeshValidationError({ name: 'DataMeshValidationError' })).toBe(false);
    expect(DataMeshValidationError.isDataMeshValidationError(undefined)).toBe(false);
  });
});

describe('ProblemCollector', () => {
  it('is empty and does not throw when nothing was added', () => {
    const c = new ProblemCollector();
    expect(c.empty).toBe(true);
    expect(c.list).toEqual([]);
    expect(() => c.throwIfAny('anywhere')).not.toThrow();
  });

  it('prefixes fields of nested collectors and writes into the same list', () => {
    // given
    const c = new ProblemCollector();
    const table = c.nested('tables[0]');
    // when
    table.add('name', 'r', 'v', 'f');
    table.nested('columns').add('[2]', 'r', 'v', 'f');
    table.add('', 'r', 'v', 'f');
    c.add('top', 'r', 'v', 'f');
    // then
    expect(c.list.map((p) => p.field)).toEqual(['tables[0].name', 'tables[0].columns[2]', 'tables[0]', 'top']);
    expect(c.empty).toBe(false);
    expect(table.list).toBe(c.list);
  });

  it('prefixes problems added in bulk', () => {
    const c = new ProblemCollector('domains[1]');
    c.addAll([{ field: 'name', rule: 'r', got: 1, fix: 'f' }, { field: '[0]', rule: 'r', got: 2, fix: 'f' }]);
    expect(c.list.map((p) => p.field)).toEqual(['domains[1].name', 'domains[1][0]']);
  });

  it('throws every problem at once, rendered with the template, at the construct path', () => {
    // given
    const stack = new Stack(new App(), 'Stack');
    const construct = new Construct(stack, 'Domain');
    const c = new ProblemCollector();
    c.add('meshName', 'must be short', 'x'.repeat(3), 'Shorten it.');
    c.add('domainName', 'must be lowercase', 'Sales', 'Use "sales".');
    // when
    let thrown: unknown;
    try {
      c.throwIfAny(construct);
    } catch (e) {
      thrown = e;
    }
    // then
    expect(DataMeshValidationError.isDataMeshValidationError(thrown)).toBe(true);
    const e = thrown as DataMeshValidationError;
    expect(e.location).toBe('Stack/Domain');
    expect(e.problems).toEqual(['`meshName` must be short, got: "xxx". Shorten it.', '`domainName` must be lowercase, got: "Sales". Use "sales".']);
    expect(e.message.startsWith('Stack/Domain: 2 problems:\n')).toBe(true);
  });

  it('names the app <app> when the construct is the root, and takes a file location as a string', () => {
    const c = new ProblemCollector();
    c.add('f', 'r', 1, 'x');
    expect(() => c.throwIfAny(new App())).toThrow(/^<app>: 1 problem:/);
    expect(() => c.throwIfAny('mesh.yaml:3')).toThrow(/^mesh\.yaml:3: 1 problem:/);
  });
});
