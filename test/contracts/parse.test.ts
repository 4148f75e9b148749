import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DataMeshValidationError } from '../../lib/errors';
import { contractFromObject, loadContract, parseContract, ParsedContract } from '../../lib/contracts/parse';
import { CONTRACT_NONSTANDARD_KEY, CONTRACT_UNKNOWN_KEY, CONTRACT_UNKNOWN_VALUE } from '../../lib/contracts/warnings';
import { base, FILE, problemFor, problemsOf } from './helpers';

const EXAMPLES = join(__dirname, '..', '..', 'examples', 'contracts');
const PROBLEM = /^orders\.odcs\.yaml:\d+:\d+ `[^`]+` .+, got: .+\. .+/;

function parseProblems(text: string): readonly string[] {
  return problemsOf(() => parseContract(text, FILE));
}

const VALID = `apiVersion: v3.1.0
kind: DataContract
id: sales-orders
version: 1.0.0
status: active
dataProduct: orders
schema:
  - name: orders
    logicalType: object
    properties:
      - name: order_id
        logicalType: string
      - name: amount
        logicalType: number
      - name: status
        logicalType: string
`;

describe('parseContract', () => {
  it('reads a valid YAML contract into plain data, with no warning', () => {
    // given a contract of ODCS v3.1.0 keys only
    // when it is parsed
    const parsed = parseContract(VALID, FILE);
    // then the contract is the YAML content and nothing is reported
    expect(parsed).toBeInstanceOf(ParsedContract);
    expect(parsed.contract.schema?.[0].properties?.map((p) => p.name)).toEqual(['order_id', 'amount', 'status']);
    expect(parsed.warnings).toEqual([]);
  });

  it('reads JSON as well and keeps its positions', () => {
    // given the same contract written as JSON with a wrong type on line 4
    const json = JSON.stringify({ ...base(), version: 2 }, null, 2);
    // when it is parsed
    const problems = parseProblems(json);
    // then the problem points at the JSON line of "version"
    const line = json.split('\n').findIndex((l) => l.includes('"version"')) + 1;
    expect(problemFor(problems, 'version')).toMatch(new RegExp(`^orders\\.odcs\\.yaml:${line}:\\d+ `));
  });

  it('reads both example contracts', () => {
    // given the example contracts (v3.1.0 and v3.0.2)
    // when they are loaded
    const orders = loadContract(join(EXAMPLES, 'orders.odcs.yaml'));
    const customers = loadContract(join(EXAMPLES, 'customers.v3.0.odcs.yaml'));
    // then they parse; the v3.0 one has its v2-era key reported, but not its v3.0 keys as deprecated
    expect(orders.contract.apiVersion).toBe('v3.1.0');
    expect(customers.contract.apiVersion).toBe('v3.0.2');
    expect(customers.warnings.map((w) => w.id)).toEqual([CONTRACT_UNKNOWN_KEY]);
    expect(customers.warnings[0].message).toContain('`schema[0].properties[0].isNullable`');
  });

  it('reports a logicalType outside the enumeration with file, line, column, allowed values and a suggestion', () => {
    // given a property with a typo in its logicalType on line 16
    const text = VALID.replace('      - name: status\n        logicalType: string', '      - name: status\n        logicalType: strng');
    // when it is parsed
    const problems = parseProblems(text);
    // then the one problem follows the project's template
    expect(problems).toEqual([
      'orders.odcs.yaml:16:22 `schema[0].properties[2].logicalType` must be one of string, date, timestamp, time, number, integer, object, array, boolean, '
      + 'got: "strng". Did you mean "string"?',
    ]);
  });

  it('fails if a top-level key is unknown, suggesting the closest key, positioned on the key', () => {
    // given a misspelled top-level key on line 7
    const text = VALID.replace('dataProduct: orders', 'dataProduct: orders\nslaProperty: []');
    // when it is parsed
    const problems = parseProblems(text);
    // then it is an error, with the suggestion and the allowed keys
    const p = problemFor(problems, 'slaProperty');
    expect(p).toMatch(/^orders\.odcs\.yaml:7:1 /);
    expect(p).toContain('is not a key of the contract in ODCS v3.1.0 (allowed: apiVersion, kind, id, version, status,');
    expect(p).toContain('Did you mean "slaProperties"?');
  });

  it('fails if a top-level key is unknown and far from every key, advising customProperties', () => {
    const p = problemFor(parseProblems(`${VALID}costCentre: finance\n`), 'costCentre');
    expect(p).toContain('Remove it, correct its name, or move it under customProperties.');
  });

  it('warns (does not fail) about an unknown key below the top level, with a suggestion', () => {
    // given a property with a misspelled key
    const text = VALID.replace('      - name: amount\n', '      - name: amount\n        requird: true\n');
    // when it is parsed
    const parsed = parseContract(text, FILE);
    // then a warning names the field, its position and the suggestion
    expect(parsed.warnings).toEqual([{
      id: CONTRACT_UNKNOWN_KEY,
      message: 'orders.odcs.yaml:14:9 `schema[0].properties[1].requird` is not a key of a property known to the toolkit and is ignored. Did you mean "required"?',
    }]);
  });

  it('fails on wrongly typed values, with a fix for each', () => {
    // given a version read as a number, a quoted boolean, a string position and a list instead of a map
    const text = `apiVersion: v3.1.0
kind: DataContract
id: sales-orders
version: 1.0
status: active
description: [not, a, map]
schema:
  - name: orders
    properties:
      - name: order_id
        required: "true"
        partitionKeyPosition: "1"
`;
    // when it is parsed
    const problems = parseProblems(text);
    // then every problem is reported at once, at its position
    expect(problems).toHaveLength(4);
    for (const p of problems) expect(p).toMatch(PROBLEM);
    expect(problemFor(problems, 'version')).toBe('orders.odcs.yaml:4:10 `version` must be a string, got: 1. Quote the value in YAML, e.g. "1".');
    expect(problemFor(problems, 'description')).toContain('must be a map of key: value pairs');
    expect(problemFor(problems, 'schema[0].properties[0].required')).toContain('Write true or false without quotes.');
    expect(problemFor(problems, 'schema[0].properties[0].partitionKeyPosition')).toContain('Remove the quotes around the number.');
  });

  it('fails if required keys are missing, with an example of each', () => {
    // given a contract without id, version and status, and a property without name
    const text = 'apiVersion: v3.1.0\nkind: DataContract\nschema:\n  - name: orders\n    properties:\n      - logicalType: string\n';
    // when it is parsed
    const problems = parseProblems(text);
    // then each missing key is named
    expect(problemFor(problems, 'id')).toContain('is required in the contract, got: nothing. Add it, e.g. id: ');
    expect(problemFor(problems, 'version')).toContain('Add it, e.g. version: "1.0.0".');
    expect(problemFor(problems, 'status')).toBeDefined();
    expect(problemFor(problems, 'schema[0].properties[0].name')).toMatch(/^orders\.odcs\.yaml:6:9 .*is required in a property/);
  });

  it('fails on a kind other than DataContract and on an unsupported apiVersion', () => {
    const problems = parseProblems(VALID.replace('kind: DataContract', 'kind: DataProduct').replace('v3.1.0', 'v3.2.0'));
    expect(problemFor(problems, 'kind')).toContain('must be one of DataContract, got: "DataProduct"');
    expect(problemFor(problems, 'apiVersion')).toContain('must be one of v3.1.0, v3.0.2, v3.0.1, v3.0.0, got: "v3.2.0"');
  });

  it('refuses ODCS v2 contracts with a specific message', () => {
    const problems = parseProblems('apiVersion: v2.2.2\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\ndataset: []\n');
    expect(problemFor(problems, 'apiVersion')).toContain('ODCS v2 (dataset, columns) is not supported');
  });

  it('fails on YAML syntax errors, reporting only those, with their position', () => {
    // given a bracket that is never closed on line 6
    const problems = parseProblems('apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\ntags: [a, b\n');
    // then only YAML problems are reported, at the line of the error
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/^orders\.odcs\.yaml:\d+:\d+ `\(yaml\)` has a YAML syntax error/);
  });

  it('fails on repeated keys, at the repetition', () => {
    const problems = parseProblems(VALID.replace('status: active', 'status: active\nstatus: draft'));
    expect(problemFor(problems, 'status')).toMatch(/^orders\.odcs\.yaml:6:1 `status` must appear only once in its map/);
  });

  it('fails if the document is not a map', () => {
    expect(parseProblems('- a\n- b\n')[0]).toContain('`(root)` must be a map holding an ODCS data contract');
  });

  it('throws one DataMeshValidationError located at the file, holding every problem sorted by position', () => {
    // given three problems in reverse order of discovery
    const text = VALID.replace('version: 1.0.0', 'version: 1').replace('        logicalType: number', '        logicalType: numbr');
    // when it is parsed
    let error: unknown;
    try {
      parseContract(text, FILE);
    } catch (e) {
      error = e;
    }
    // then a single error holds them in file order
    expect(error).toBeInstanceOf(DataMeshValidationError);
    const e = error as DataMeshValidationError;
    expect(e.location).toBe(FILE);
    expect(e.problems.map((p) => p.split(' ')[0])).toEqual(['orders.odcs.yaml:4:10', 'orders.odcs.yaml:14:22']);
    expect(e.message).toMatch(/^orders\.odcs\.yaml: 2 problems:\n {2}- /);
  });

  it('warns about deprecated keys of v3.1.0 contracts and about the non-standard owner key', () => {
    // given a v3.1.0 contract using `rule`, slaDefaultElement and owner
    const text = `${VALID}slaDefaultElement: orders.order_id\nowner: sales-team\n`.replace('        logicalType: number\n',
      '        logicalType: number\n        quality:\n          - rule: nullCheck\n');
    // when it is parsed
    const parsed = parseContract(text, FILE);
    // then each is a warning naming the replacement
    const messages = parsed.warnings.filter((w) => w.id === CONTRACT_NONSTANDARD_KEY).map((w) => w.message);
    expect(messages).toHaveLength(3);
    expect(messages.find((m) => m.includes('`schema[0].properties[1].quality[0].rule`'))).toContain('is deprecated since ODCS v3.1.0; use metric');
    expect(messages.find((m) => m.includes('`slaDefaultElement`'))).toContain('use element on each SLA property');
    expect(messages.find((m) => m.includes('`owner`'))).toContain('is not an ODCS key');
  });

  it('warns about a server type or quality dimension ODCS does not list', () => {
    const text = `${VALID}servers:\n  - server: x\n    type: s4\n`.replace('        logicalType: number\n',
      '        logicalType: number\n        quality:\n          - metric: nullValues\n            dimension: completenes\n');
    const parsed = parseContract(text, FILE);
    const messages = parsed.warnings.filter((w) => w.id === CONTRACT_UNKNOWN_VALUE).map((w) => w.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('Did you mean "completeness"?');
    expect(messages[1]).toContain('`servers[0].type` is "s4"');
  });

  it('accepts null for optional keys (ODCS examples write key: null)', () => {
    const parsed = parseContract(VALID.replace('status: active', 'status: active\ntenant: null\ndescription:\n  limitations: null'), FILE);
    expect(parsed.warnings).toEqual([]);
  });

  it('accepts both team forms: the v3.1.0 object and the v3.0.x list', () => {
    expect(() => parseContract(`${VALID}team:\n  name: t\n  members:\n    - username: a\n`, FILE)).not.toThrow();
    expect(() => parseContract(`${VALID}team:\n  - username: a\n    role: owner\n`, FILE)).not.toThrow();
    expect(parseProblems(`${VALID}team: jdoe\n`)[0]).toContain('must be a map with members (ODCS v3.1.0) or a list of members (v3.0.x)');
  });

  it('checks mustBeBetween is two numbers, smallest first', () => {
    const text = VALID.replace('        logicalType: number\n', '        logicalType: number\n        quality:\n          - metric: nullValues\n            mustBeBetween: [5, 1]\n'
      + '          - metric: nullValues\n            mustNotBeBetween: [1]\n');
    const problems = parseProblems(text);
    expect(problemFor(problems, 'schema[0].properties[1].quality[0].mustBeBetween')).toContain('must list the smaller number first');
    expect(problemFor(problems, 'schema[0].properties[1].quality[1].mustNotBeBetween')).toContain('must be a list of two numbers, smallest first');
  });
});

describe('loadContract', () => {
  it('fails with the path when the file cannot be read', () => {
    const problems = problemsOf(() => loadContract('/no/such/contract.yaml'));
    expect(problems[0]).toContain('`contract` must name a readable data contract file (ENOENT), got: "/no/such/contract.yaml"');
  });
});

describe('contractFromObject', () => {
  it('validates an in-memory contract, prefixing problems with the label', () => {
    // given an object with a wrong logicalType
    const obj = base({ schema: [{ name: 'orders', properties: [{ name: 'a', logicalType: 'text' }] }] });
    // when it is validated
    const problems = problemsOf(() => contractFromObject(obj, 'my-contract'));
    // then the label replaces the position
    expect(problems).toEqual(['my-contract `schema[0].properties[0].logicalType` must be one of string, date, timestamp, time, number, integer, object, array, '
      + 'boolean, got: "text". Use one of the allowed values.']);
  });

  it('drops undefined values and refuses non-data values', () => {
    expect(contractFromObject({ ...base(), tenant: undefined }, 'c').contract).not.toHaveProperty('tenant');
    expect(problemsOf(() => contractFromObject({ ...base(), tenant: new Date(0) }, 'c'))[0]).toContain('`tenant` must be plain data');
  });

  it('gives the same result as parsing the YAML of the object', () => {
    const obj = base();
    expect(contractFromObject(obj, 'c').contract).toEqual(parseContract(stringify(obj), FILE).contract);
  });
});
