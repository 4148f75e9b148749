import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  ATHENA_MAX_WORKGROUPS_PER_ACCOUNT, CFN_MAX_VALUES_PER_TAG_RESOURCE, DataMeshValidationError, LF_MAX_TAGS_PER_RESOURCE, LF_MAX_VALUES_PER_TAG,
} from '../../lib';
import {
  DEFAULT_MESH_FILE, loadMeshDefinition, MeshDefinition, parseMeshDefinition, reachedProducts, resolveSubscriptions, SUBSCRIPTION_ANY_CLASSIFICATION,
  SUBSCRIPTION_MATCHES_NOTHING,
} from '../../lib/mesh';

const FILE = 'mesh.yaml';

/** A multi-account mesh: governance plus three domains, each in its own account. */
const VALID_MESH = `name: acme
governance:
  account: "111111111111"
  region: eu-west-1
sharedOrganization: false
lakeFormation:
  crossAccountVersion: 4
  adminRoleNames: [break-glass-admin]
tags:
  cost_center: [finance, marketing, operations]
defaults:
  bytesScannedCutoffPerQuery: 10737418240
  queryRoleMaxClassification: confidential
domains:
  - name: sales
    role: producer
    account: "222222222222"
    region: eu-west-1
    description: Orders and customers
    products:
      - name: orders
        description: Every order placed in the web shop
        owner: sales-data-team
        contact: sales-data@example.com
        classification: confidential
        tags:
          cost_center: finance
        tables:
          - name: orders
            description: One row per order
            format: parquet
            columns:
              - name: order_id
                type: string
                comment: Unique ID of the order
              - name: amount
                type: decimal(12,2)
              - name: email
                type: string
                classification: pii
              - name: dt
                type: date
            partitionKeys: [dt]
            projection:
              dt:
                type: date
                range: NOW-3YEARS,NOW
                format: yyyy-MM-dd
      - name: customers
        description: Customer master data
        owner: sales-data-team
        classification: internal
        storage: domain-prefix
        catalogShard: 2
        tables:
          - name: customers
            columns:
              - name: customer_id
                type: bigint
              - name: segment
                type: string
  - name: marketing
    role: both
    account: "333333333333"
    region: eu-central-1
    bytesScannedCutoffPerQuery: 20000000
    products:
      - name: campaigns
        description: Marketing campaigns
        owner: marketing-team
        classification: public
        tags:
          cost_center: marketing
        tables:
          - name: campaigns
            columns:
              - name: campaign_id
                type: string
  - name: finance
    role: consumer
    account: "444444444444"
    region: us-east-1
    queryRoleMaxClassification: internal
subscriptions:
  - consumer: marketing
    name: sales-up-to-confidential
    expression:
      domain: [sales]
      classification: [public, internal, confidential]
  - consumer: finance
    products: [sales.orders, marketing.campaigns]
    maxClassification: internal
    grantToAccount: true
`;

const MARK = '⟦';

/** Replaces snippets of `text`; each `from` must occur exactly once. */
function edit(text: string, ...changes: readonly (readonly [string, string])[]): string {
  let out = text;
  for (const [from, to] of changes) {
    const i = out.indexOf(from);
    if (i < 0 || out.indexOf(from, i + 1) >= 0) throw new Error(`snippet must occur exactly once: ${from}`);
    out = out.slice(0, i) + to + out.slice(i + from.length);
  }
  return out;
}

/** Removes the ⟦ marker and returns the `line:col` it marked. */
function marked(text: string): { text: string; at: string } {
  const i = text.indexOf(MARK);
  if (i < 0 || text.indexOf(MARK, i + 1) >= 0) throw new Error('exactly one marker expected');
  const before = text.slice(0, i);
  return { text: before + text.slice(i + 1), at: `${before.split('\n').length}:${i - before.lastIndexOf('\n')}` };
}

/** Line and column of the first character of `needle`, counted independently of the loader. */
function lineColOf(text: string, needle: string, from = 0): string {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, i);
  return `${before.split('\n').length}:${i - before.lastIndexOf('\n')}`;
}

function problemsOf(text: string): readonly string[] {
  try {
    parseMeshDefinition(text, FILE);
  } catch (e) {
    if (e instanceof DataMeshValidationError) return e.problems;
    throw e;
  }
  throw new Error('expected a DataMeshValidationError');
}

function problemFor(problems: readonly string[], field: string): string {
  const p = problems.find((x) => x.includes(`\`${field}\` `));
  expect(p, `no problem for ${field} in:\n${problems.join('\n')}`).toBeDefined();
  return p!;
}

/**
 * Asserts that `textWithMark` fails with exactly one problem, on `field`, positioned where the ⟦ marker is,
 * and containing every fragment (value received, allowed values, fix).
 */
function failsWith(textWithMark: string, field: string, ...fragments: string[]): string {
  const { text, at } = marked(textWithMark);
  const problems = problemsOf(text);
  expect(problems, problems.join('\n')).toHaveLength(1);
  const p = problemFor(problems, field);
  expect(p.startsWith(`${FILE}:${at} \`${field}\` `), `expected ${FILE}:${at} \`${field}\`, got:\n${p}`).toBe(true);
  for (const f of fragments) expect(p).toContain(f);
  return p;
}

/** Like {@link failsWith} but other problems may be reported too. */
function failsAmong(text: string, at: string, field: string, ...fragments: string[]): string {
  const p = problemFor(problemsOf(text), field);
  expect(p.startsWith(`${FILE}:${at} \`${field}\` `), `expected ${FILE}:${at} \`${field}\`, got:\n${p}`).toBe(true);
  for (const f of fragments) expect(p).toContain(f);
  return p;
}

function baseObject(): MeshDefinition {
  return parse(VALID_MESH) as MeshDefinition;
}

describe('parseMeshDefinition: a valid multi-account mesh', () => {
  it('given governance and three domains in four accounts, when parsed, then every value is kept as written and there are no warnings', () => {
    // WHEN
    const loaded = parseMeshDefinition(VALID_MESH, FILE);

    // THEN
    const def = loaded.definition;
    expect(loaded.fileName).toBe(FILE);
    expect(loaded.warnings).toEqual([]);
    expect(def.name).toBe('acme');
    expect(def.governance).toEqual({ account: '111111111111', region: 'eu-west-1' });
    expect(def.sharedOrganization).toBe(false);
    expect(def.lakeFormation).toEqual({ crossAccountVersion: 4, adminRoleNames: ['break-glass-admin'] });
    expect(def.tags).toEqual({ cost_center: ['finance', 'marketing', 'operations'] });
    expect(def.defaults).toEqual({ bytesScannedCutoffPerQuery: 10737418240, queryRoleMaxClassification: 'confidential' });
    expect(def.domains.map((d) => [d.name, d.role, d.account, d.region])).toEqual([
      ['sales', 'producer', '222222222222', 'eu-west-1'],
      ['marketing', 'both', '333333333333', 'eu-central-1'],
      ['finance', 'consumer', '444444444444', 'us-east-1'],
    ]);
    const [orders, customers] = def.domains[0].products!;
    expect(orders.tags).toEqual({ cost_center: 'finance' });
    expect(orders.tables![0].columns[1]).toEqual({ name: 'amount', type: 'decimal(12,2)' });
    expect(orders.tables![0].columns[2].classification).toBe('pii');
    expect(orders.tables![0].projection).toEqual({ dt: { type: 'date', range: 'NOW-3YEARS,NOW', format: 'yyyy-MM-dd' } });
    expect(customers.storage).toBe('domain-prefix');
    expect(customers.catalogShard).toBe(2);
    expect(def.domains[1].bytesScannedCutoffPerQuery).toBe(20000000);
    expect(def.domains[2].products).toBeUndefined();
    expect(def.subscriptions).toEqual([
      { consumer: 'marketing', name: 'sales-up-to-confidential', expression: { domain: ['sales'], classification: ['public', 'internal', 'confidential'] } },
      { consumer: 'finance', products: ['sales.orders', 'marketing.campaigns'], maxClassification: 'internal', grantToAccount: true },
    ]);
  });

  it('given the valid mesh, when parsed, then the definition equals the YAML data exactly (no defaults filled in)', () => {
    expect(parseMeshDefinition(VALID_MESH, FILE).definition).toEqual(baseObject());
  });

  it('given a mesh with only the required fields, when parsed, then no optional field appears', () => {
    const minimal = 'name: m1\ngovernance: { account: "111111111111", region: eu-west-1 }\ndomains:\n  - { name: d, role: consumer, account: "111111111111", region: eu-west-1 }\n';
    expect(parseMeshDefinition(minimal, FILE).definition).toEqual({
      name: 'm1', governance: { account: '111111111111', region: 'eu-west-1' }, domains: [{ name: 'd', role: 'consumer', account: '111111111111', region: 'eu-west-1' }],
    });
  });

  it('exports the default file name', () => {
    expect(DEFAULT_MESH_FILE).toBe('mesh.yaml');
  });
});

describe('parseMeshDefinition: YAML and structure', () => {
  it('fails if the YAML has a syntax error, with its position', () => {
    const text = 'name: acme\ndomains: [a,\ngovernance: {}\n';
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^mesh\.yaml:3:1 `\(yaml\)` has a YAML syntax error: /);
    expect(problems[0]).toContain('got: "governance: {}"');
    expect(problems[0]).toContain('Fix the YAML at this position');
  });

  it('fails if a mapping key is repeated, pointing at the repetition', () => {
    const first = lineColOf(VALID_MESH, 'role: consumer').split(':');
    const p = failsWith(edit(VALID_MESH, ['    role: consumer\n', '    role: consumer\n    ⟦role: both\n']), 'domains[2].role',
      `must appear only once in its map (first at line ${first[0]}, column ${first[1]})`, 'got: "role"', 'Remove or merge the repeated key.');
    expect(p).toMatch(new RegExp(`^mesh\\.yaml:${Number(first[0]) + 1}:5 `));
  });

  it('fails if the file is empty', () => {
    failsWith('⟦', '(root)', 'must be a map holding the mesh definition', 'got: nothing');
  });

  it('fails if the document is not a map', () => {
    failsWith('⟦- name: acme\n', '(root)', 'must be a map holding the mesh definition', 'got: [{"name":"acme"}]');
  });

  it('fails if a top-level key is unknown, suggesting the closest key', () => {
    const text = edit(VALID_MESH, ['domains:\n  - name: sales', 'domains:\n  - name: sales'], ['subscriptions:\n', '⟦domians: []\nsubscriptions:\n']);
    failsWith(text, 'domians', 'is not a field of the mesh (allowed: name, governance, sharedOrganization, lakeFormation, tags, defaults, domains, subscriptions)',
      'got: "domians"', 'Did you mean "domains"?');
  });

  it('fails if a nested key is unknown, suggesting by common prefix', () => {
    failsWith(edit(VALID_MESH, ['    bytesScannedCutoffPerQuery: 20000000', '    ⟦bytesScannedCutoff: 20000000']), 'domains[1].bytesScannedCutoff',
      'is not a field of a domain (allowed: name, role, account, region, description, bytesScannedCutoffPerQuery, queryRoleMaxClassification, products)',
      'Did you mean "bytesScannedCutoffPerQuery"?');
  });

  it('fails if a key is unknown and nothing is close, without a suggestion', () => {
    failsWith(edit(VALID_MESH, ['            format: parquet\n', '            format: parquet\n            ⟦zzzzzz: 1\n']), 'domains[0].products[0].tables[0].zzzzzz',
      'is not a field of a table (allowed: name, description, format, classification, columns, partitionKeys, projection)', 'Remove it or correct its name.');
  });

  it('fails if a projection has a key of another projection type', () => {
    failsWith(edit(VALID_MESH, ['                format: yyyy-MM-dd\n', '                format: yyyy-MM-dd\n                ⟦digits: 2\n']),
      'domains[0].products[0].tables[0].projection.dt.digits', 'is not a field of a date projection (allowed: type, range, format, interval, unit)');
  });

  it('fails if a required field is missing, pointing at the enclosing map', () => {
    failsWith(edit(VALID_MESH, ['  - name: finance\n    role: consumer\n    account: "444444444444"\n', '  - ⟦name: finance\n    role: consumer\n']),
      'domains[2].account', 'is required in a domain', 'got: nothing', 'Add it, e.g. account: "123456789012".');
  });

  it('fails if a required top-level field is missing, pointing at the document', () => {
    failsWith(`⟦${edit(VALID_MESH, ['name: acme\n', ''])}`, 'name', 'is required in the mesh', 'Add it, e.g. name: acme.');
  });

  it('fails if a string field holds a number, saying to quote it', () => {
    failsWith(edit(VALID_MESH, ['        owner: marketing-team', '        owner: ⟦2024']), 'domains[1].products[0].owner',
      'must be a string', 'got: 2024', 'Quote the value in YAML, e.g. "2024".');
  });

  it('fails if a number field holds a quoted number, saying to remove the quotes', () => {
    failsWith(edit(VALID_MESH, ['catalogShard: 2', 'catalogShard: ⟦"2"']), 'domains[0].products[1].catalogShard',
      'must be a number', 'got: "2"', 'Remove the quotes around the number.');
  });

  it('fails if sharedOrganization is not a boolean', () => {
    failsWith(edit(VALID_MESH, ['sharedOrganization: false', 'sharedOrganization: ⟦"yes"']), 'sharedOrganization',
      'must be true or false', 'got: "yes"', 'e.g. sharedOrganization: true');
  });

  it('fails if a list field holds a scalar', () => {
    failsWith(edit(VALID_MESH, ['partitionKeys: [dt]', 'partitionKeys: ⟦dt']), 'domains[0].products[0].tables[0].partitionKeys',
      'must be a list', 'got: "dt"', 'Write a YAML list, e.g. partitionKeys: [dt].');
  });

  it('fails if a map field holds a list', () => {
    failsWith(edit(VALID_MESH, ['governance:\n  account: "111111111111"\n  region: eu-west-1\n', 'governance: ⟦[111111111111, eu-west-1]\n']), 'governance',
      'must be a map of key: value pairs', 'got: [111111111111,"eu-west-1"]');
  });

  it('fails if a list item has the wrong type, pointing at the item', () => {
    failsWith(edit(VALID_MESH, ['adminRoleNames: [break-glass-admin]', 'adminRoleNames: [break-glass-admin, ⟦42]']), 'lakeFormation.adminRoleNames[1]',
      'must be a string', 'got: 42');
  });

  it('fails if a YAML tag is unknown', () => {
    failsWith(edit(VALID_MESH, ['name: acme', 'name: ⟦!secret acme']), '(yaml)', 'has a YAML problem: Unresolved tag: !secret', 'got: "name: !secret acme"');
  });

  it('given anchors and aliases, when parsed, then the aliased values are part of the definition', () => {
    const text = edit(VALID_MESH, ['    account: "444444444444"\n', '    account: &finance_account "444444444444"\n'],
      ['    queryRoleMaxClassification: internal\n', '    queryRoleMaxClassification: internal\n  - name: treasury\n    role: consumer\n    account: *finance_account\n    region: us-east-1\n']);
    expect(parseMeshDefinition(text, FILE).definition.domains[3]).toEqual({ name: 'treasury', role: 'consumer', account: '444444444444', region: 'us-east-1' });
  });

  it('fails if a YAML alias makes a value contain itself', () => {
    failsWith(edit(VALID_MESH, ['adminRoleNames: [break-glass-admin]', 'adminRoleNames: &roles [break-glass-admin, ⟦*roles]']), 'lakeFormation.adminRoleNames[1]',
      'must not contain itself through a YAML alias', 'got: "*roles"');
  });

  it('fails if a key is empty, quoting it in the field path', () => {
    failsWith(edit(VALID_MESH, ['sharedOrganization: false\n', 'sharedOrganization: false\n⟦"": x\n']), '""', 'is not a field of the mesh');
  });

  it('fails if a domain is not a map', () => {
    failsWith(edit(VALID_MESH, ['  - name: finance\n    role: consumer\n    account: "444444444444"\n    region: us-east-1\n    queryRoleMaxClassification: internal\n', '  - ⟦finance\n']),
      'domains[2]', 'must be a map (a domain)', 'got: "finance"');
  });
});

describe('parseMeshDefinition: mesh-level rules', () => {
  it('fails if the mesh name is invalid', () => {
    failsWith(edit(VALID_MESH, ['name: acme\n', 'name: ⟦Acme_Mesh\n']), 'name',
      'must be 2-20 characters of lowercase letters, digits and hyphens, starting with a letter', 'got: "Acme_Mesh"', 'pick a short name such as "acme-mesh"');
  });

  it('fails if the mesh name starts with a prefix S3 reserves', () => {
    failsWith(edit(VALID_MESH, ['name: acme\n', 'name: ⟦xn--acme\n']), 'name', 'must not start with "xn--", a prefix S3 reserves', 'got: "xn--acme"');
  });

  it('fails if an account ID is not 12 digits', () => {
    failsWith(edit(VALID_MESH, ['  account: "111111111111"', '  account: ⟦"1234"']), 'governance.account',
      'must be a 12-digit AWS account ID, got: "1234". Quote the ID in YAML, e.g. account: "123456789012".');
  });

  it('fails if an account ID is an unquoted number, saying to quote it', () => {
    const p = failsWith(edit(VALID_MESH, ['    account: "333333333333"', '    account: ⟦333333333333']), 'domains[1].account',
      'must be a 12-digit AWS account ID written as a quoted string (YAML read a number)', 'got: 333333333333', 'Quote the ID in YAML, e.g. account: "333333333333"');
    expect(p).toContain('drops leading zeros');
  });

  it('fails if an unquoted account ID lost its leading zero, showing the digits as written', () => {
    failsWith(edit(VALID_MESH, ['    account: "444444444444"', '    account: ⟦044444444444']), 'domains[2].account',
      'got: 44444444444', 'account: "044444444444"');
  });

  it('fails if a region is not a region code', () => {
    failsWith(edit(VALID_MESH, ['    region: eu-central-1', '    region: ⟦Frankfurt']), 'domains[1].region',
      'must be an AWS region code matching ^[a-z]{2}(-gov)?-[a-z]+-\\d$', 'got: "Frankfurt"', 'Use a region code such as "eu-west-1"');
  });

  it('fails if a region is in capitals, suggesting the lowercase code', () => {
    failsWith(edit(VALID_MESH, ['  region: eu-west-1\nshared', '  region: ⟦EU-WEST-1\nshared']), 'governance.region', 'got: "EU-WEST-1"', 'Use "eu-west-1".');
  });

  it('fails if the cross-account version is not supported', () => {
    failsWith(edit(VALID_MESH, ['crossAccountVersion: 4', 'crossAccountVersion: ⟦2']), 'lakeFormation.crossAccountVersion',
      'must be a supported Lake Formation cross-account version (3, 4, 5)', 'got: 2', 'Use 4 (the default)');
  });

  it('fails if an admin role name is not an IAM role name', () => {
    failsWith(edit(VALID_MESH, ['adminRoleNames: [break-glass-admin]', 'adminRoleNames: [⟦"arn:aws:iam::111111111111:role/admin"]']),
      'lakeFormation.adminRoleNames[0]', 'must be an IAM role name matching ^[\\w+=,.@-]{1,64}$', 'got: "arn:aws:iam::111111111111:role/admin"',
      'Give the role\'s name, not its ARN, e.g. "admin".');
  });

  it('fails if an admin role name is repeated', () => {
    failsWith(edit(VALID_MESH, ['adminRoleNames: [break-glass-admin]', 'adminRoleNames: [break-glass-admin, ⟦break-glass-admin]']),
      'lakeFormation.adminRoleNames[1]', 'must not repeat a role name (also adminRoleNames[0])');
  });

  it('fails if the default scan cutoff is below Athena\'s minimum', () => {
    failsWith(edit(VALID_MESH, ['  bytesScannedCutoffPerQuery: 10737418240', '  bytesScannedCutoffPerQuery: ⟦1000']), 'defaults.bytesScannedCutoffPerQuery',
      'must be a whole number of bytes of at least 10,000,000 (Athena\'s minimum)', 'got: 1000', 'Use at least 10000000');
  });

  it('fails if a domain\'s scan cutoff is below Athena\'s minimum', () => {
    failsWith(edit(VALID_MESH, ['bytesScannedCutoffPerQuery: 20000000', 'bytesScannedCutoffPerQuery: ⟦9999999']), 'domains[1].bytesScannedCutoffPerQuery',
      'at least 10,000,000', 'got: 9999999');
  });

  it('fails if the governance audit bucket name is too long for the mesh name and region', () => {
    // The domains' athena-results buckets are longer still, so they are reported too; the audit bucket must be among the problems.
    const text = edit(VALID_MESH, ['name: acme\n', 'name: ⟦acme-lakehouse1\n'], ['  region: eu-west-1\nshared', '  region: ap-southeast-2\nshared']);
    const audit = problemsOf(marked(text).text).find((p) => p.includes('governance-audit'));
    expect(audit).toContain('mesh.yaml:1:7 `name` makes a bucket name of 65 characters; S3 allows at most 63, got: "acme-lakehouse1-governance-audit-logs-111111111111-ap-southeast-2"');
    expect(audit).toContain('by 2 characters');
  });
});

describe('parseMeshDefinition: LF-tag ontology', () => {
  it('fails if a declared tag key is not lowercase', () => {
    failsWith(edit(VALID_MESH, ['  cost_center: [finance, marketing, operations]\n', '  cost_center: [finance, marketing, operations]\n  Region: ⟦[emea]\n']), 'tags.Region',
      'must be an LF-tag key of 1-50 lowercase characters', 'got: "Region"', 'Use "region"');
  });

  it('fails if a declared tag value is longer than 50 characters', () => {
    const long = 'x'.repeat(51);
    failsWith(edit(VALID_MESH, ['[finance, marketing, operations]', `[finance, marketing, ⟦${long}]`]), 'tags.cost_center[2]',
      'must be an LF-tag value of 1-50 lowercase characters', `got: "${long}"`);
  });

  it('fails if the built-in domain key is declared', () => {
    failsWith(edit(VALID_MESH, ['  cost_center: [finance, marketing, operations]\n', '  cost_center: [finance, marketing, operations]\n  domain: ⟦[sales]\n']), 'tags.domain',
      'is built in and cannot be declared (its values are the names of the domains of the mesh)', 'got: ["sales"]', 'Remove tags.domain');
  });

  it(`fails if a declared key has more than ${CFN_MAX_VALUES_PER_TAG_RESOURCE} values`, () => {
    const values = Array.from({ length: 51 }, (_, i) => `v${i}`).join(', ');
    failsWith(edit(VALID_MESH, ['  cost_center: [finance, marketing, operations]\n', `  cost_center: [finance, marketing, operations]\n  region: ⟦[${values}]\n`]), 'tags.region',
      'must list at most 50 values (the limit of an AWS::LakeFormation::Tag)', 'got: "51 values"', 'Remove 1 values');
  });

  it('fails if a declared key has no values', () => {
    failsWith(edit(VALID_MESH, ['[finance, marketing, operations]', '[finance, marketing, operations]\n  region: ⟦[]']), 'tags.region', 'must list at least one value');
  });

  it('fails if a declared key repeats a value', () => {
    failsWith(edit(VALID_MESH, ['[finance, marketing, operations]', '[finance, marketing, ⟦finance]']), 'tags.cost_center[2]',
      'must not repeat a value (also tags.cost_center[0])', 'got: "finance"', 'Remove the duplicate.');
  });

  it('given custom classification values, when a value outside them is used, then it fails listing the custom values', () => {
    const text = edit(VALID_MESH, ['  cost_center: [finance, marketing, operations]\n', '  cost_center: [finance, marketing, operations]\n  classification: [public, internal, confidential, personal]\n'],
      ['                classification: pii', '                classification: ⟦pii']);
    failsWith(text, 'domains[0].products[0].tables[0].columns[2].classification', 'must be a classification of the ontology (public, internal, confidential, personal)', 'got: "pii"');
  });

  it('given custom classification values without "internal", when a product sets no classification, then it fails saying the field is required', () => {
    const text = edit(VALID_MESH,
      ['  cost_center: [finance, marketing, operations]\n', '  cost_center: [finance, marketing, operations]\n  classification: [public, confidential, pii]\n'],
      ['        classification: public\n', ''], ['\n      - name: campaigns', '\n      - ⟦name: campaigns'],
      ['        classification: internal\n        storage', '        classification: public\n        storage'],
      ['    maxClassification: internal\n', '    maxClassification: confidential\n'], ['    queryRoleMaxClassification: internal\n', ''],
      ['classification: [public, internal, confidential]', 'classification: [public, confidential]']);
    failsWith(text, 'domains[1].products[0].classification',
      'is required because the ontology\'s classification values (public, confidential, pii) do not include the default "internal"', 'got: nothing',
      'add "internal" to tags.classification');
  });
});

describe('parseMeshDefinition: default classifications missing from a custom ontology', () => {
  const CUSTOM = ['  cost_center: [finance, marketing, operations]\n', '  cost_center: [finance, marketing, operations]\n  classification: [public, internal, pii]\n'] as const;

  it('fails if the query role default is not a classification and defaults do not set one', () => {
    const text = edit(VALID_MESH, CUSTOM, ['defaults:\n  bytesScannedCutoffPerQuery: 10737418240\n  queryRoleMaxClassification: confidential\n', 'defaults:\n  ⟦bytesScannedCutoffPerQuery: 10737418240\n'],
      ['classification: [public, internal, confidential]', 'classification: [public, internal]'], ['        classification: confidential\n', '']);
    failsWith(text, 'defaults.queryRoleMaxClassification',
      'is required because the ontology\'s classification values (public, internal, pii) do not include the default "confidential"', 'got: nothing',
      'Set it to one of public, internal, pii, or add "confidential" to tags.classification.');
  });

  it('fails if a products subscription relies on the default maximum classification that the ontology lacks', () => {
    const text = edit(VALID_MESH, CUSTOM, ['  queryRoleMaxClassification: confidential', '  queryRoleMaxClassification: internal'],
      ['classification: [public, internal, confidential]', 'classification: [public, internal]'], ['        classification: confidential\n', ''],
      ['    maxClassification: internal\n', ''], ['  - consumer: finance', '  - ⟦consumer: finance']);
    failsWith(text, 'subscriptions[1].maxClassification', 'do not include the default "confidential"', 'got: nothing');
  });

  it('given a custom ontology that sets every classification explicitly, when parsed, then it is valid', () => {
    const text = edit(VALID_MESH, CUSTOM, ['  queryRoleMaxClassification: confidential', '  queryRoleMaxClassification: internal'],
      ['classification: [public, internal, confidential]', 'classification: [public, internal]'], ['        classification: confidential\n', '']);
    expect(parseMeshDefinition(text, FILE).definition.tags).toEqual({ cost_center: ['finance', 'marketing', 'operations'], classification: ['public', 'internal', 'pii'] });
  });
});

describe('parseMeshDefinition: domains', () => {
  it('given a single-account mesh, when parsed, then it is valid', () => {
    const single = VALID_MESH.replace(/"[234]{12}"/g, '"111111111111"').replace('    grantToAccount: true\n', '');
    expect(parseMeshDefinition(single, FILE).definition.domains.every((d) => d.account === '111111111111')).toBe(true);
  });

  it('fails if a domain name is invalid', () => {
    failsWith(edit(VALID_MESH, ['  - name: marketing', '  - name: ⟦Marketing-EU'], ['consumer: marketing', 'consumer: Marketing-EU'],
      ['marketing.campaigns', 'Marketing-EU.campaigns']), 'domains[1].name',
    'must be a domain name matching ^[a-z][a-z0-9_]*$', 'got: "Marketing-EU"', 'Use for example "marketing_eu".');
  });

  it('fails if two domains have the same name', () => {
    failsWith(edit(VALID_MESH, ['  - name: finance', '  - name: ⟦sales'], ['  - consumer: finance\n    products: [sales.orders, marketing.campaigns]\n    maxClassification: internal\n    grantToAccount: true\n', '']),
      'domains[2].name', 'must be unique in the mesh (also domains[0])', 'got: "sales"');
  });

  it('fails if a domain role is not producer, consumer or both', () => {
    failsWith(edit(VALID_MESH, ['    role: producer', '    role: ⟦publisher']), 'domains[0].role', 'must be one of producer, consumer, both', 'got: "publisher"');
  });

  it('fails if a consumer domain has products', () => {
    failsWith(edit(VALID_MESH, ['    role: both', '    role: consumer'], ['  - consumer: marketing\n    name: sales-up-to-confidential\n    expression:\n      domain: [sales]\n      classification: [public, internal, confidential]\n', ''],
      ['    products:\n      - name: campaigns', '    products:\n      ⟦- name: campaigns'], ['sales.orders, marketing.campaigns', 'sales.orders']), 'domains[1].products',
    'must be empty for a domain with role consumer (consumers publish no products)', 'got: ["campaigns"]', 'Set role: both');
  });

  it(`fails if there are more than ${LF_MAX_VALUES_PER_TAG} domains, and more than ${ATHENA_MAX_WORKGROUPS_PER_ACCOUNT} Athena workgroups in one account`, () => {
    const def = baseObject() as unknown as { domains: unknown[]; subscriptions?: unknown };
    delete def.subscriptions;
    def.domains = Array.from({ length: 1001 }, (_, i) => ({ name: `d${i}`, role: 'consumer', account: '222222222222', region: 'eu-west-1' }));
    const text = stringify(def);
    const at = lineColOf(text, '- name: d0');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(2);
    failsAmong(text, at, 'domains', 'must list at most 1000 domains (each is a value of the "domain" LF-tag; Lake Formation\'s limit)', 'got: "1001 domains"');
    expect(problems[1]).toBe(`${FILE}:${at} \`domains\` must put at most 1000 domains in one account (each domain has an Athena workgroup; Athena's limit per account), `
      + 'got: "1001 domains in account 222222222222". Move some domains to other accounts.');
  });

  it('fails if the mesh has no domain', () => {
    failsWith('name: acme\ngovernance: { account: "111111111111", region: eu-west-1 }\ndomains: ⟦[]\n', 'domains', 'must list at least one domain', 'got: []');
  });

  it('fails if the query role classification of a domain is not in the ontology', () => {
    failsWith(edit(VALID_MESH, ['    queryRoleMaxClassification: internal', '    queryRoleMaxClassification: ⟦secret']), 'domains[2].queryRoleMaxClassification',
      'must be a classification of the ontology (public, internal, confidential, pii)', 'got: "secret"');
  });

  it('fails if a domain bucket name is too long, naming the domain field', () => {
    const long = 'marketing_and_communications_eu';
    const text = edit(VALID_MESH, ['  - name: marketing', `  - name: ⟦${long}`], ['consumer: marketing', `consumer: ${long}`], ['marketing.campaigns', `${long}.campaigns`]);
    const { text: clean, at } = marked(text);
    failsAmong(clean, at, 'domains[1].name', 'makes a bucket name of 77 characters; S3 allows at most 63',
      'got: "acme-marketing-and-communications-eu-athena-results-333333333333-eu-central-1"', 'Shorten the mesh, domain or product name by 14 characters');
    expect(problemsOf(clean)).toHaveLength(2); // its product's bucket is too long as well
  });
});

describe('parseMeshDefinition: products', () => {
  it('fails if a product name is invalid', () => {
    failsWith(edit(VALID_MESH, ['\n      - name: campaigns', '\n      - name: ⟦Campaigns'], ['marketing.campaigns', 'marketing.Campaigns']), 'domains[1].products[0].name',
      'must be a product name matching ^[a-z][a-z0-9_]*$', 'got: "Campaigns"', 'Use for example "campaigns".');
  });

  it('fails if two products of a domain have the same name', () => {
    failsWith(edit(VALID_MESH, ['\n      - name: customers', '\n      - name: ⟦orders']), 'domains[0].products[1].name',
      'must be unique in domain "sales" (also products[0])', 'got: "orders"');
  });

  it('fails if a product description is empty', () => {
    failsWith(edit(VALID_MESH, ['        description: Marketing campaigns', '        description: ⟦"  "']), 'domains[1].products[0].description',
      'must describe the product (it is its catalog documentation)', 'got: "  "', 'Add a one-line description.');
  });

  it('fails if a product owner is empty', () => {
    failsWith(edit(VALID_MESH, ['        owner: marketing-team', '        owner: ⟦""']), 'domains[1].products[0].owner', 'must name the accountable owner', 'got: ""');
  });

  it('fails if a product storage is unknown', () => {
    failsWith(edit(VALID_MESH, ['storage: domain-prefix', 'storage: ⟦prefix']), 'domains[0].products[1].storage',
      'must be one of bucket, domain-prefix', 'got: "prefix"', 'Use bucket');
  });

  it.each([[0], [1.5]])('fails if catalogShard is %s', (shard) => {
    failsWith(edit(VALID_MESH, ['catalogShard: 2', `catalogShard: ⟦${shard}`]), 'domains[0].products[1].catalogShard',
      'must be a whole number of at least 1', `got: ${shard}`);
  });

  it('fails if a product has no table', () => {
    failsWith(edit(VALID_MESH, ['        tables:\n          - name: campaigns\n            columns:\n              - name: campaign_id\n                type: string\n', '        tables: ⟦[]\n']),
      'domains[1].products[0].tables', 'must declare at least one table', 'got: []');
  });

  it('fails if a product bucket name is too long, naming the product field', () => {
    const long = 'campaign_performance_by_channel';
    failsWith(edit(VALID_MESH, ['\n      - name: campaigns', `\n      - name: ⟦${long}`], ['marketing.campaigns', `marketing.${long}`]), 'domains[1].products[0].name',
      'makes a bucket name of 72 characters; S3 allows at most 63', `got: "acme-marketing-campaign-performance-by-channel-333333333333-eu-central-1"`, 'by 9 characters');
  });

  it('fails if two products make the same database and bucket name (domain a_b product c vs domain a product b_c)', () => {
    const text = `name: acme
governance: { account: "111111111111", region: eu-west-1 }
domains:
  - name: a_b
    role: producer
    account: "222222222222"
    region: eu-west-1
    products:
      - { name: c, description: C, owner: team, tables: [{ name: t, columns: [{ name: x, type: string }] }] }
  - name: a
    role: producer
    account: "222222222222"
    region: eu-west-1
    products:
      - { ⟦name: b_c, description: BC, owner: team, tables: [{ name: t, columns: [{ name: x, type: string }] }] }
`.replace('{ ⟦name: b_c', '{ name: ⟦b_c');
    failsWith(text, 'domains[1].products[0].name',
      'must give product "a.b_c" a Glue database and bucket of its own; the database "a_b_c" and the bucket "acme-a-b-c-222222222222-eu-west-1" are also those of product "a_b.c" (domains[0].products[0])',
      'got: "b_c"', 'Rename one of the products or domains');
  });

  it('fails if a product bucket is the same as a bucket of its domain', () => {
    failsWith(edit(VALID_MESH, ['\n      - name: campaigns', '\n      - name: ⟦logs'], ['marketing.campaigns', 'marketing.logs']), 'domains[1].products[0].name',
      'must not be one of logs, athena_results, data: its bucket name would be one of the domain\'s own buckets',
      'got: "logs"', 'Rename the product, e.g. "logs_product".');
  });

  describe('tags', () => {
    it('fails if a product sets the domain or classification LF-tag', () => {
      failsWith(edit(VALID_MESH, ['          cost_center: marketing', '          cost_center: marketing\n          classification: ⟦public']),
        'domains[1].products[0].tags.classification', 'is set by the toolkit', 'got: "public"', 'set the product\'s classification field instead');
    });

    it('fails if a product tag key is not in the ontology', () => {
      failsWith(edit(VALID_MESH, ['          cost_center: marketing', '          team: ⟦growth']), 'domains[1].products[0].tags.team',
        'must use an LF-tag key declared in the ontology\'s tags (cost_center)', 'got: "team"', 'Declare "team"');
    });

    it('fails if a product tag value is not allowed', () => {
      failsWith(edit(VALID_MESH, ['          cost_center: marketing', '          cost_center: ⟦sales']), 'domains[1].products[0].tags.cost_center',
        'must be a value of LF-tag "cost_center" (finance, marketing, operations)', 'got: "sales"', 'add it to tags.cost_center');
    });

    it(`fails if a product database would carry more than ${LF_MAX_TAGS_PER_RESOURCE} LF-tags`, () => {
      const def = baseObject() as unknown as { tags: Record<string, string[]>; domains: { products?: { tags?: Record<string, string> }[] }[] };
      const keys = Array.from({ length: 49 }, (_, i) => `k${i}`);
      for (const k of keys) def.tags[k] = ['v'];
      def.domains[1].products![0].tags = Object.fromEntries(keys.map((k) => [k, 'v']));
      const text = stringify(def);
      const at = lineColOf(text, 'k0: v');
      const p = failsAmong(text, at, 'domains[1].products[0].tags',
        'must leave room for the domain and classification LF-tags within Lake Formation\'s 50 LF-tags per resource', 'got: "49 tags"', 'Remove at least 1 tags');
      expect(problemsOf(text)).toEqual([p]);
    });
  });

  describe('tables', () => {
    it('fails if a table name is invalid', () => {
      failsWith(edit(VALID_MESH, ['          - name: campaigns', '          - name: ⟦Campaigns']), 'domains[1].products[0].tables[0].name',
        'must be a table name matching ^[a-z][a-z0-9_]*$', 'got: "Campaigns"');
    });

    it('fails if two tables of a product have the same name', () => {
      failsWith(edit(VALID_MESH, ['              - name: campaign_id\n                type: string\n', '              - name: campaign_id\n                type: string\n          - name: ⟦campaigns\n            columns: [{ name: x, type: int }]\n']),
        'domains[1].products[0].tables[1].name', 'must be unique in the product (also tables[0])', 'got: "campaigns"');
    });

    it('fails if a table has no column', () => {
      failsWith(edit(VALID_MESH, ['            columns:\n              - name: campaign_id\n                type: string\n', '            columns: ⟦[]\n']),
        'domains[1].products[0].tables[0].columns', 'must list at least one column', 'got: []');
    });

    it('fails if a column name is invalid', () => {
      failsWith(edit(VALID_MESH, ['              - name: campaign_id', '              - name: ⟦campaignId']), 'domains[1].products[0].tables[0].columns[0].name',
        'must be a column name matching', 'got: "campaignId"', 'Use for example "campaign_id".');
    });

    it('fails if a column type is not a Glue type', () => {
      failsWith(edit(VALID_MESH, ['                type: decimal(12,2)', '                type: ⟦money']), 'domains[0].products[0].tables[0].columns[1].type',
        'must be a supported Glue type ("money" is not a Glue type)', 'got: "money"', 'Use a Glue type: boolean, tinyint');
    });

    it('fails if a column comment is longer than 255 characters', () => {
      const long = 'c'.repeat(256);
      failsWith(edit(VALID_MESH, ['comment: Unique ID of the order', `comment: ⟦${long}`]), 'domains[0].products[0].tables[0].columns[0].comment',
        'must be a string of at most 255 characters (Glue\'s limit)', 'Shorten the comment');
    });

    it('fails if a partition key is not a column', () => {
      const text = edit(VALID_MESH, ['partitionKeys: [dt]', 'partitionKeys: [dt, ⟦region]'], ['                format: yyyy-MM-dd\n', '                format: yyyy-MM-dd\n              region: { type: injected }\n']);
      failsWith(text, 'domains[0].products[0].tables[0].partitionKeys[1]', 'must name a column of table "orders"', 'got: "region"',
        'Use one of: order_id, amount, email, dt, or add the column.');
    });

    it('fails if a partition key is not of a primitive type', () => {
      failsWith(edit(VALID_MESH, ['- name: dt\n                type: date', '- name: dt\n                type: array<date>'], ['partitionKeys: [dt]', 'partitionKeys: [⟦dt]']),
        'domains[0].products[0].tables[0].partitionKeys[0]', 'must be a column of a primitive type', 'got: "dt: array<date>"');
    });

    it('fails if a partition key has no projection while projection is used', () => {
      const text = edit(VALID_MESH, ['              - name: dt\n', '              - name: hour\n                type: int\n              - name: dt\n'],
        ['partitionKeys: [dt]', 'partitionKeys: [dt, hour]'], ['            projection:\n              dt:', '            projection:\n              ⟦dt:']);
      failsWith(text, 'domains[0].products[0].tables[0].projection.hour', 'must be configured for every partition key when projection is used',
        'got: nothing', 'Add a projection for "hour"');
    });

    it('fails if a projection date unit is unknown', () => {
      failsWith(edit(VALID_MESH, ['                format: yyyy-MM-dd\n', '                format: yyyy-MM-dd\n                unit: ⟦days\n']),
        'domains[0].products[0].tables[0].projection.dt.unit', 'must be one of YEARS, MONTHS, WEEKS, DAYS, HOURS, MINUTES, SECONDS', 'got: "days"');
    });

    it('fails if a table format is unknown', () => {
      failsWith(edit(VALID_MESH, ['format: parquet', 'format: ⟦orc']), 'domains[0].products[0].tables[0].format', 'must be one of parquet, json, csv', 'got: "orc"');
    });
  });

  it.each([
    ['a product', ['        classification: internal\n        storage', '        classification: ⟦secret\n        storage'], 'domains[0].products[1].classification'],
    ['a table', ['            format: parquet', '            format: parquet\n            classification: ⟦secret'], 'domains[0].products[0].tables[0].classification'],
    ['a column', ['                classification: pii', '                classification: ⟦secret'], 'domains[0].products[0].tables[0].columns[2].classification'],
    ['a subscription', ['    maxClassification: internal', '    maxClassification: ⟦secret'], 'subscriptions[1].maxClassification'],
    ['the defaults', ['  queryRoleMaxClassification: confidential', '  queryRoleMaxClassification: ⟦secret'], 'defaults.queryRoleMaxClassification'],
  ] as const)('fails if the classification of %s is not a classification of the ontology', (_, change, field) => {
    failsWith(edit(VALID_MESH, change), field, 'must be a classification of the ontology (public, internal, confidential, pii)', 'got: "secret"',
      'add the value to the classification LF-tag of the ontology');
  });
});

describe('parseMeshDefinition: subscriptions', () => {
  const EXPRESSION = '    expression:\n      domain: [sales]\n      classification: [public, internal, confidential]\n';

  it('fails if the consumer is not a domain, suggesting a close name', () => {
    failsWith(edit(VALID_MESH, ['  - consumer: finance', '  - consumer: ⟦financ']), 'subscriptions[1].consumer',
      'must name a domain of the mesh (sales, marketing, finance)', 'got: "financ"', 'Did you mean "finance"?');
  });

  it('fails if the consumer is a producer-only domain', () => {
    failsWith(edit(VALID_MESH, ['  - consumer: finance', '  - consumer: ⟦sales'], ['[sales.orders, marketing.campaigns]', '[marketing.campaigns]']),
      'subscriptions[1].consumer', 'must name a domain with role consumer or both', 'got: "sales (role producer)"', 'Change the role of domain "sales" to both');
  });

  it('fails if a subscription has neither expression nor products', () => {
    failsWith(edit(VALID_MESH, ['    products: [sales.orders, marketing.campaigns]\n    maxClassification: internal\n', ''], ['  - consumer: finance', '  - ⟦consumer: finance']),
      'subscriptions[1]', 'must have exactly one of expression or products', 'got: nothing', 'products: [sales.orders]');
  });

  it('fails if a subscription has both expression and products', () => {
    failsWith(edit(VALID_MESH, ['    products: [sales.orders, marketing.campaigns]\n', `    products: ⟦[sales.orders, marketing.campaigns]\n${EXPRESSION}`]),
      'subscriptions[1].products', 'must not be combined with expression', 'Split it into two subscriptions.');
  });

  it('fails if an expression key is not an ontology key', () => {
    failsWith(edit(VALID_MESH, ['      domain: [sales]', '      domain: [sales]\n      costcenter: ⟦[finance]']), 'subscriptions[0].expression.costcenter',
      'must be an LF-tag key of the ontology (classification, cost_center, domain)', 'got: "costcenter"', 'Did you mean "cost_center"?');
  });

  it('fails if an expression has no key', () => {
    failsWith(edit(VALID_MESH, ['    expression:\n      domain: [sales]\n      classification: [public, internal, confidential]\n', '    expression: ⟦{}\n']),
      'subscriptions[0].expression', 'must have at least one LF-tag key', 'got: {}');
  });

  it('fails if an expression repeats a key (a repeated YAML key)', () => {
    failsWith(edit(VALID_MESH, ['      domain: [sales]\n', '      domain: [sales]\n      ⟦domain: [marketing]\n']), 'subscriptions[0].expression.domain',
      'must appear only once in its map', 'got: "domain"');
  });

  it('fails if a subscription name is empty', () => {
    failsWith(edit(VALID_MESH, ['    name: sales-up-to-confidential', '    name: ⟦""']), 'subscriptions[0].name', 'must not be empty', 'got: ""');
  });

  it('fails if an expression key has no values', () => {
    failsWith(edit(VALID_MESH, ['      domain: [sales]', '      domain: ⟦[]']), 'subscriptions[0].expression.domain', 'must list at least one value', 'got: []');
  });

  it('fails if an expression domain value is not a domain of the mesh', () => {
    failsWith(edit(VALID_MESH, ['      domain: [sales]', '      domain: [sales, ⟦crm]']), 'subscriptions[0].expression.domain[1]',
      'must be a domain of the mesh (sales, marketing, finance)', 'got: "crm"');
  });

  it('fails if an expression value is not allowed for its key', () => {
    failsWith(edit(VALID_MESH, ['      classification: [public, internal, confidential]', '      classification: [public, ⟦secret]']),
      'subscriptions[0].expression.classification[1]', 'must be a value of LF-tag "classification" (public, internal, confidential, pii)', 'got: "secret"');
  });

  it(`fails if an expression has more than 5 keys`, () => {
    const def = baseObject() as unknown as { tags: Record<string, string[]>; subscriptions: { expression?: Record<string, string[]> }[] };
    for (const k of ['a1', 'a2', 'a3', 'a4']) def.tags[k] = ['v'];
    def.subscriptions[0].expression = { domain: ['sales'], classification: ['public'], a1: ['v'], a2: ['v'], a3: ['v'], a4: ['v'] };
    const text = stringify(def);
    const at = lineColOf(text, 'domain:', text.indexOf('expression:'));
    const p = failsAmong(text, at, 'subscriptions[0].expression', 'must have at most 5 LF-tag keys (Lake Formation\'s limit of conditions in an LF-tag expression)',
      'got: ["domain","classification","a1","a2","a3","a4"]', 'split the subscription');
    expect(problemsOf(text)).toEqual([p]);
  });

  it('fails if an expression key has more than 50 values', () => {
    const def = baseObject() as unknown as { tags: Record<string, string[]>; subscriptions: { expression?: Record<string, string[]> }[] };
    const values = Array.from({ length: 50 }, (_, i) => `v${i}`);
    def.tags.a = values.slice(0, 50);
    def.tags.b = ['x'];
    def.subscriptions[0].expression = { domain: ['sales'], classification: ['public'], a: [...values, 'v0'] };
    const text = stringify(def);
    const at = lineColOf(text, '- v0', text.indexOf('expression:'));
    const problems = problemsOf(text);
    failsAmong(text, at, 'subscriptions[0].expression.a', 'must list at most 50 values (Lake Formation\'s limit per key of an LF-tag expression)', 'got: "51 values"');
    expect(problems).toHaveLength(2);
    expect(problems[1]).toContain('`subscriptions[0].expression.a[50]` must not repeat a value (also subscriptions[0].expression.a[0])');
  });

  it('fails if a subscribed product does not exist, suggesting a close one', () => {
    failsWith(edit(VALID_MESH, ['[sales.orders, marketing.campaigns]', '[sales.orders, ⟦marketing.campaign]']), 'subscriptions[1].products[1]',
      'must name a product of the mesh as <domain>.<product>', 'got: "marketing.campaign"', 'Did you mean "marketing.campaigns"?');
  });

  it('fails if a subscribed product belongs to the consumer itself', () => {
    failsWith(edit(VALID_MESH, ['  - consumer: finance\n    products: [sales.orders, marketing.campaigns]\n    maxClassification: internal\n    grantToAccount: true\n',
      '  - consumer: marketing\n    products: [sales.orders, ⟦marketing.campaigns]\n']), 'subscriptions[1].products[1]',
    'must be a product of another domain than the consumer "marketing"', 'got: "marketing.campaigns"');
  });

  it('fails if a subscribed product is repeated', () => {
    failsWith(edit(VALID_MESH, ['[sales.orders, marketing.campaigns]', '[sales.orders, marketing.campaigns, ⟦sales.orders]']), 'subscriptions[1].products[2]',
      'must not repeat a product (also products[0])', 'got: "sales.orders"');
  });

  it('fails if grantToAccount is set for a consumer in the governance account', () => {
    failsWith(edit(VALID_MESH, ['    account: "444444444444"', '    account: "111111111111"'], ['grantToAccount: true', 'grantToAccount: ⟦true']),
      'subscriptions[1].grantToAccount', 'can be true only for a consumer in another account than governance; domain "finance" is in the governance account 111111111111',
      'got: true', 'Remove grantToAccount');
  });

  it('fails if two subscriptions of a consumer have the same ID', () => {
    const text = `${VALID_MESH}  - ⟦consumer: finance\n    products: [marketing.campaigns, sales.orders]\n`;
    failsWith(text, 'subscriptions[2]', 'must have an ID of its own among the subscriptions of consumer "finance"; "products:marketing.campaigns,sales.orders" is also the ID of subscriptions[1]',
      'got: "products:marketing.campaigns,sales.orders"', 'give the subscriptions distinct names');
  });

  it('fails if two named subscriptions of a consumer share the name', () => {
    const text = `${VALID_MESH}  - consumer: marketing\n    name: ⟦sales-up-to-confidential\n    products: [sales.customers]\n`;
    failsWith(text, 'subscriptions[2].name', 'is also the ID of subscriptions[0]', 'Rename one of them.');
  });
});

describe('parseMeshDefinition: several problems', () => {
  it('given a file with many problems, when parsed, then one error lists them all in file order with positions', () => {
    const text = `name: Acme
domians: []
governance:
  account: 1234
  region: eu-west-1
domains:
  - name: sales
    role: seller
    account: "222222222222"
    region: eu-west-1
`;
    let error: unknown;
    try {
      parseMeshDefinition(text, 'config/mesh.yaml');
    } catch (e) {
      error = e;
    }
    expect(DataMeshValidationError.isDataMeshValidationError(error)).toBe(true);
    const e = error as DataMeshValidationError;
    expect(e.location).toBe('config/mesh.yaml');
    expect(e.problems).toEqual([
      'config/mesh.yaml:1:7 `name` must be 2-20 characters of lowercase letters, digits and hyphens, starting with a letter, got: "Acme". It prefixes every bucket and role name; pick a short name such as "acme-mesh".',
      'config/mesh.yaml:2:1 `domians` is not a field of the mesh (allowed: name, governance, sharedOrganization, lakeFormation, tags, defaults, domains, subscriptions), got: "domians". Did you mean "domains"?',
      'config/mesh.yaml:4:12 `governance.account` must be a 12-digit AWS account ID written as a quoted string (YAML read a number), got: 1234. Quote the ID in YAML, e.g. account: "123456789012" (unquoted, YAML reads a number and drops leading zeros).',
      'config/mesh.yaml:8:11 `domains[0].role` must be one of producer, consumer, both, got: "seller". Use producer (publishes products), consumer (subscribes to products of other domains) or both.',
    ]);
    expect(e.message).toMatch(/^config\/mesh\.yaml: 4 problems:\n {2}- config\/mesh\.yaml:1:7 /);
  });

  it('given a wrongly typed field, when parsed, then rules on that field are not reported again', () => {
    const problems = problemsOf(edit(VALID_MESH, ['  - name: marketing', '  - name: 12']));
    expect(problems.filter((p) => p.includes('`domains[1].name`'))).toHaveLength(1);
  });
});

describe('parseMeshDefinition: warnings', () => {
  it('given an expression subscription that matches no product and does not constrain classification, when parsed, then both warnings are returned with IDs', () => {
    // GIVEN
    const text = edit(VALID_MESH, ['      domain: [sales]\n      classification: [public, internal, confidential]\n', '      domain: [finance]\n']);

    // WHEN
    const { warnings } = parseMeshDefinition(text, FILE);

    // THEN
    const at = lineColOf(text, 'consumer: marketing');
    expect(warnings).toEqual([
      { id: SUBSCRIPTION_MATCHES_NOTHING, message: expect.stringContaining(`${FILE}:${at} subscription "sales-up-to-confidential" of consumer "marketing" matches no product`) },
      { id: SUBSCRIPTION_ANY_CLASSIFICATION, message: expect.stringContaining(`${FILE}:${at} subscription "sales-up-to-confidential" of consumer "marketing" does not constrain classification`) },
    ]);
    expect(SUBSCRIPTION_MATCHES_NOTHING).toBe('cdk-data-mesh:subscription-matches-nothing');
    expect(SUBSCRIPTION_ANY_CLASSIFICATION).toBe('cdk-data-mesh:subscription-any-classification');
    expect(warnings[1].message).toContain('including the most sensitive ("pii")');
    expect(warnings[1].message).toContain('classification: [public, internal, confidential]');
  });

  it('given an expression without classification that matches products, when parsed, then only the classification warning is returned', () => {
    const { warnings } = parseMeshDefinition(edit(VALID_MESH, ['      classification: [public, internal, confidential]\n', '']), FILE);
    expect(warnings.map((w) => w.id)).toEqual([SUBSCRIPTION_ANY_CLASSIFICATION]);
    expect(warnings[0].message).toContain('subscription "sales-up-to-confidential" of consumer "marketing"');
  });
});

describe('parseMeshDefinition: what a subscription reaches (the access evaluator\'s LF-tag semantics)', () => {
  const EXPRESSION = '      domain: [sales]\n      classification: [public, internal, confidential]\n';
  const matchesNothing = (text: string) => parseMeshDefinition(text, FILE).warnings.filter((w) => w.id === SUBSCRIPTION_MATCHES_NOTHING);

  it('given an expression that matches only a column of a product (its own LF-tag), when parsed, then it does not warn that it reaches nothing', () => {
    // orders is confidential; only its email column is pii.
    expect(matchesNothing(edit(VALID_MESH, [EXPRESSION, '      domain: [sales]\n      classification: [pii]\n']))).toEqual([]);
  });

  it('given classification: [confidential] on an internal product with a confidential column, when parsed, then it does not warn', () => {
    const text = edit(VALID_MESH,
      ['        classification: confidential\n        tags:\n          cost_center: finance', '        classification: internal\n        tags:\n          cost_center: finance'],
      ['              - name: amount\n                type: decimal(12,2)\n', '              - name: amount\n                type: decimal(12,2)\n                classification: confidential\n'],
      [EXPRESSION, '      domain: [sales]\n      classification: [confidential]\n']);
    expect(matchesNothing(text)).toEqual([]);
    const loaded = parseMeshDefinition(text, FILE);
    const subscriptions = resolveSubscriptions(loaded.resolved);
    expect(reachedProducts(loaded.resolved, subscriptions)[0]).toEqual(['sales.orders']);
  });

  it('given an expression that matches only a table (its own LF-tag), when parsed, then it does not warn', () => {
    const text = edit(VALID_MESH,
      ['          - name: customers\n            columns:', '          - name: customers\n            classification: pii\n            columns:'],
      [EXPRESSION, '      domain: [sales]\n      classification: [pii]\n'],
      ['              - name: email\n                type: string\n                classification: pii\n', '']);
    expect(matchesNothing(text)).toEqual([]);
    const loaded = parseMeshDefinition(text, FILE);
    expect(reachedProducts(loaded.resolved, resolveSubscriptions(loaded.resolved))[0]).toEqual(['sales.customers']);
  });

  it('given an expression that no database, table or column matches, when parsed, then it warns that it reaches nothing', () => {
    // Nothing of sales is public: orders confidential (email pii), customers internal.
    const text = edit(VALID_MESH, [EXPRESSION, '      domain: [sales]\n      classification: [public]\n']);
    expect(matchesNothing(text)).toEqual([{
      id: SUBSCRIPTION_MATCHES_NOTHING,
      message: expect.stringContaining(`${FILE}:${lineColOf(text, 'consumer: marketing')} subscription "sales-up-to-confidential" of consumer "marketing" matches no product`),
    }]);
  });

  it('given a product whose database matches but every column is tagged out of the expression, then it is still reached (DESCRIBE on the database)', () => {
    // customers is internal but both of its columns are pii.
    const text = edit(VALID_MESH,
      ['              - name: customer_id\n                type: bigint\n', '              - name: customer_id\n                type: bigint\n                classification: pii\n'],
      ['              - name: segment\n                type: string\n', '              - name: segment\n                type: string\n                classification: pii\n'],
      [EXPRESSION, '      domain: [sales]\n      classification: [internal]\n']);
    const loaded = parseMeshDefinition(text, FILE);
    expect(reachedProducts(loaded.resolved, resolveSubscriptions(loaded.resolved))[0]).toEqual(['sales.customers']);
    expect(matchesNothing(text)).toEqual([]);
  });

  it('given a product subscription, then it reaches the products it names', () => {
    const loaded = parseMeshDefinition(VALID_MESH, FILE);
    expect(reachedProducts(loaded.resolved, resolveSubscriptions(loaded.resolved))[1]).toEqual(['marketing.campaigns', 'sales.orders']);
  });
});

describe('loadMeshDefinition', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-loader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a file, when loaded, then it is parsed with the path as file name', () => {
    const path = join(dir, 'mesh.yaml');
    writeFileSync(path, VALID_MESH);
    const loaded = loadMeshDefinition(path);
    expect(loaded.fileName).toBe(path);
    expect(loaded.definition.name).toBe('acme');
  });

  it('given a file with a problem, when loaded, then the problem names the path', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, edit(VALID_MESH, ['name: acme', 'name: A']));
    expect(() => loadMeshDefinition(path)).toThrow(`${path}:1:7 \`name\``);
  });

  it('fails if the file does not exist, naming the path and how to point to another file', () => {
    const path = join(dir, 'missing.yaml');
    let error: unknown;
    try {
      loadMeshDefinition(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataMeshValidationError);
    const e = error as DataMeshValidationError;
    expect(e.location).toBe(path);
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toContain(`\`mesh\` must name a readable mesh definition file (ENOENT), got: "${path}"`);
    expect(e.problems[0]).toContain('-c mesh=path/to/mesh.yaml');
  });
});
