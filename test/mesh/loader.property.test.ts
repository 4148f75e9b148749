import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DataMeshValidationError, DEFAULT_CLASSIFICATION_VALUES } from '../../lib';
import { parseMeshDefinition } from '../../lib/mesh';

const FILE = 'mesh.yaml';
const PROBLEM = /^mesh\.yaml:\d+:\d+ `[^`]+` /;

/** Parses; returns the problems when a DataMeshValidationError is thrown, and rethrows anything else. */
function outcome(text: string): { ok: true; definition: unknown } | { ok: false; problems: readonly string[] } {
  try {
    return { ok: true, definition: parseMeshDefinition(text, FILE).definition };
  } catch (e) {
    if (e instanceof DataMeshValidationError) return { ok: false, problems: e.problems };
    throw e;
  }
}

function expectWellFormed(problems: readonly string[]): void {
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) expect(p).toMatch(PROBLEM);
}

const KNOWN_KEYS = [
  'name', 'governance', 'account', 'region', 'sharedOrganization', 'lakeFormation', 'crossAccountVersion', 'adminRoleNames', 'tags',
  'defaults', 'bytesScannedCutoffPerQuery', 'queryRoleMaxClassification', 'domains', 'role', 'description', 'products', 'owner', 'contact',
  'classification', 'storage', 'catalogShard', 'tables', 'format', 'columns', 'type', 'comment', 'partitionKeys', 'projection', 'range',
  'values', 'subscriptions', 'consumer', 'expression', 'maxClassification', 'grantToAccount', 'domain', '__proto__', 'constructor',
];
const LEAVES = ['sales', 'producer', 'consumer', 'both', '111111111111', 'eu-west-1', 'string', 'dt', 'public', 'pii', 'date', 'sales.orders', ''];

const leaf = fc.oneof(
  fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(...LEAVES),
);
const yamlish = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 8 })), tie('node'), { maxKeys: 6 }),
}));

/** A valid multi-account mesh used as the starting point of mutations. */
const BASE = `name: acme
governance: { account: "111111111111", region: eu-west-1 }
sharedOrganization: true
lakeFormation: { crossAccountVersion: 4, adminRoleNames: [break-glass] }
tags: { cost_center: [finance, marketing] }
defaults: { bytesScannedCutoffPerQuery: 10737418240, queryRoleMaxClassification: confidential }
domains:
  - name: sales
    role: producer
    account: "222222222222"
    region: eu-west-1
    products:
      - name: orders
        description: Orders
        owner: sales-team
        classification: confidential
        tags: { cost_center: finance }
        catalogShard: 1
        tables:
          - name: orders
            format: parquet
            columns:
              - { name: id, type: string, comment: Order ID }
              - { name: amount, type: "decimal(12,2)" }
              - { name: email, type: string, classification: pii }
              - { name: dt, type: date }
            partitionKeys: [dt]
            projection: { dt: { type: date, range: "NOW-3YEARS,NOW", format: yyyy-MM-dd } }
      - name: customers
        description: Customers
        owner: sales-team
        storage: domain-prefix
        tables:
          - name: customers
            columns: [{ name: id, type: bigint }, { name: tags, type: "array<string>" }]
  - name: marketing
    role: both
    account: "333333333333"
    region: eu-central-1
    products:
      - name: campaigns
        description: Campaigns
        owner: marketing-team
        tables: [{ name: campaigns, columns: [{ name: id, type: string }] }]
  - name: finance
    role: consumer
    account: "444444444444"
    region: us-east-1
subscriptions:
  - consumer: marketing
    expression: { domain: [sales], classification: [public, internal] }
  - consumer: finance
    products: [sales.orders, marketing.campaigns]
    grantToAccount: true
`;

type Container = Record<string, unknown> | unknown[];
interface Slot { readonly parent: Container; readonly key: string | number }

function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => { out.push({ parent: value, key: i }); slots(v, out); });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) { out.push({ parent: value as Record<string, unknown>, key: k }); slots(v, out); }
  }
  return out;
}

function get(s: Slot): unknown {
  return (s.parent as Record<string | number, unknown>)[s.key];
}

function set(s: Slot, v: unknown): void {
  (s.parent as Record<string | number, unknown>)[s.key] = v;
}

const otherTypeValues = fc.oneof(
  fc.string({ maxLength: 8 }), fc.integer({ min: -5, max: 100 }), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}),
  fc.constant(['x']), fc.constant({ x: 1 }),
);
const mutation = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'duplicate', 'uppercase', 'truncate'),
  pick: fc.nat(),
  value: otherTypeValues,
  cut: fc.nat(30),
});
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v;
}

function mutate(def: unknown, m: Mutation): void {
  const all = slots(def);
  const pickFrom = (candidates: Slot[]): Slot | undefined => (candidates.length === 0 ? undefined : candidates[m.pick % candidates.length]);
  switch (m.kind) {
    case 'delete': {
      const s = pickFrom(all);
      if (!s) return;
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
      return;
    }
    case 'replace': {
      const s = pickFrom(all.filter((x) => typeof get(x) !== 'object' || get(x) === null));
      if (!s) return;
      set(s, kindOf(m.value) === kindOf(get(s)) ? [m.value] : m.value);
      return;
    }
    case 'duplicate': {
      const s = pickFrom(all.filter((x) => Array.isArray(get(x)) && (get(x) as unknown[]).length > 0));
      if (!s) return;
      const list = get(s) as unknown[];
      list.push(structuredClone(list[m.pick % list.length]));
      return;
    }
    case 'uppercase':
    case 'truncate': {
      const s = pickFrom(all.filter((x) => typeof get(x) === 'string'));
      if (!s) return;
      const v = get(s) as string;
      set(s, m.kind === 'uppercase' ? v.toUpperCase() : v.slice(0, m.cut % Math.max(v.length, 1)));
      return;
    }
  }
}

describe('parseMeshDefinition properties', () => {
  it('given arbitrary YAML data, when parsed, then it returns or throws DataMeshValidationError with positioned problems, never anything else', () => {
    fc.assert(fc.property(yamlish.node, (data) => {
      const result = outcome(stringify(data));
      if (!result.ok) expectWellFormed(result.problems);
    }), { numRuns: 200 });
  });

  it('given arbitrary text, when parsed, then it returns or throws DataMeshValidationError, never anything else', () => {
    const chars = fc.constantFrom(...'ab: -[]{},"\'\n  #&*!|>?%@`0123456789'.split(''));
    fc.assert(fc.property(fc.string({ unit: chars, maxLength: 80 }), (text) => {
      const result = outcome(text);
      if (!result.ok) for (const p of result.problems) expect(p).toMatch(/^mesh\.yaml:\d+:\d+ `[^`]+` /);
    }), { numRuns: 200 });
  });

  it('given the base mesh, when parsed, then it is valid (the mutations start from a valid definition)', () => {
    expect(outcome(BASE)).toEqual({ ok: true, definition: parse(BASE) });
  });

  it('given mutations of a valid definition, when parsed, then it returns the data exactly or throws positioned problems naming a field', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
      const def = parse(BASE) as unknown;
      for (const m of mutations) mutate(def, m);
      const result = outcome(stringify(def));
      if (result.ok) expect(result.definition).toEqual(def);
      else expectWellFormed(result.problems);
    }), { numRuns: 200 });
  });

  it('given a random valid definition, when parsed, then it parses without problems and returns the data exactly', () => {
    fc.assert(fc.property(validMesh, (def) => {
      const result = outcome(stringify(def));
      if (!result.ok) throw new Error(`unexpected problems:\n${result.problems.join('\n')}\n${stringify(def)}`);
      expect(result.definition).toEqual(def);
    }), { numRuns: 150 });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Valid definitions. Names have no underscores (so that `<domain>_<product>` database names cannot collide),
// are short enough for every bucket name, and products avoid the names of the domain's own buckets.

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'us-gov-west-1', 'eu-central-1'];
const PRIMITIVES = ['string', 'bigint', 'int', 'double', 'boolean', 'date', 'timestamp', 'decimal(10,2)', 'varchar(20)'];
const COMPLEX = ['array<string>', 'map<string,int>', 'struct<a:string,b:array<int>>'];

const simpleName = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const productName = simpleName.filter((n) => !['logs', 'data'].includes(n));
const account = fc.stringMatching(/^[0-9]{12}$/);
const classification = fc.constantFrom(...DEFAULT_CLASSIFICATION_VALUES);

const column = (name: string) => fc.record({
  name: fc.constant(name),
  type: fc.constantFrom(...PRIMITIVES, ...COMPLEX),
  comment: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  classification: fc.option(classification, { nil: undefined }),
}, { requiredKeys: ['name', 'type'] });

const table = (name: string) => fc.uniqueArray(simpleName, { minLength: 1, maxLength: 4 }).chain((names) => fc.record({
  columns: fc.tuple(...names.map(column)),
  partitioned: fc.boolean(),
  projected: fc.boolean(),
  format: fc.option(fc.constantFrom('parquet', 'json', 'csv'), { nil: undefined }),
}).map(({ columns, partitioned, projected, format }) => {
  const t: Record<string, unknown> = { name, columns };
  if (format) t.format = format;
  if (partitioned && columns.length > 1) {
    const key = { ...columns[columns.length - 1], type: 'date' };
    t.columns = [...columns.slice(0, -1), key];
    t.partitionKeys = [key.name];
    if (projected) t.projection = { [key.name]: { type: 'date', range: 'NOW-1YEARS,NOW', format: 'yyyy-MM-dd' } };
  }
  return t;
}));

const product = (name: string, tagKeys: readonly string[]) => fc.uniqueArray(simpleName, { minLength: 1, maxLength: 3 }).chain((tables) => fc.record({
  name: fc.constant(name),
  description: fc.constant(`Product ${name}`),
  owner: fc.constantFrom('team-a', 'Data Team'),
  classification: fc.option(classification, { nil: undefined }),
  storage: fc.option(fc.constantFrom('bucket', 'domain-prefix'), { nil: undefined }),
  catalogShard: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  tags: tagKeys.length > 0 ? fc.option(fc.constant(Object.fromEntries(tagKeys.map((k) => [k, 'v1']))), { nil: undefined }) : fc.constant(undefined),
  tables: fc.tuple(...tables.map(table)),
}, { requiredKeys: ['name', 'description', 'owner', 'tables'] }));

const domain = (name: string, tagKeys: readonly string[]) => fc.record({
  role: fc.constantFrom('producer', 'consumer', 'both'),
  account,
  region: fc.constantFrom(...REGIONS),
  cutoff: fc.option(fc.integer({ min: 10_000_000, max: 2 ** 40 }), { nil: undefined }),
  productNames: fc.uniqueArray(productName, { maxLength: 3 }),
}).chain(({ role, account: acct, region, cutoff, productNames }) => (role === 'consumer' ? fc.constant([]) : fc.tuple(...productNames.map((p) => product(p, tagKeys))))
  .map((products) => {
    const d: Record<string, unknown> = { name, role, account: acct, region };
    if (cutoff !== undefined) d.bytesScannedCutoffPerQuery = cutoff;
    if (products.length > 0) d.products = products;
    return d;
  }));

interface GeneratedDomain { name: string; role: string; account: string; products?: { name: string }[] }

const validMesh = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9-]{0,4}[a-z0-9]$/).filter((n) => !n.startsWith('xn--')),
  governance: fc.record({ account, region: fc.constantFrom(...REGIONS) }),
  tagKeys: fc.uniqueArray(fc.constantFrom('cost_center', 'region', 'team'), { maxLength: 2 }),
  domainNames: fc.uniqueArray(simpleName.filter((n) => n !== 'governance'), { minLength: 1, maxLength: 6 }),
  pick: fc.nat(),
}).chain(({ name, governance, tagKeys, domainNames, pick }) => fc.tuple(...domainNames.map((d) => domain(d, tagKeys))).map((domains) => {
  const def: Record<string, unknown> = { name, governance, domains };
  if (tagKeys.length > 0) def.tags = Object.fromEntries(tagKeys.map((k) => [k, ['v1', 'v2']]));
  const subscriptions: Record<string, unknown>[] = [];
  const all = domains as unknown as GeneratedDomain[];
  for (const c of all.filter((d) => d.role !== 'producer')) {
    const others = all.filter((d) => d.name !== c.name).flatMap((d) => (d.products ?? []).map((p) => `${d.name}.${p.name}`));
    if (others.length > 0) {
      const s: Record<string, unknown> = { consumer: c.name, products: others.slice(0, 1 + (pick % others.length)) };
      if (c.account !== governance.account && pick % 2 === 0) s.grantToAccount = true;
      subscriptions.push(s);
    }
    subscriptions.push({ consumer: c.name, expression: { domain: [all[pick % all.length].name], classification: ['public', 'internal'] } });
  }
  if (subscriptions.length > 0) def.subscriptions = subscriptions;
  return def;
}));
