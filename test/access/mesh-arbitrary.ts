import fc from 'fast-check';
import type {
  ColumnDefinition, DomainDefinition, MeshDefinition, ProductDefinition, SubscriptionDefinition, TableDefinition,
} from '../../lib/mesh/definition';

/** The default ontology order, least to most sensitive. */
export const CLASSES = ['public', 'internal', 'confidential', 'pii'] as const;
export const GOV_ACCOUNT = '100000000000';
/** Domains share accounts (and the governance account) on purpose: single-account and mixed meshes are supported. */
export const ACCOUNTS = [GOV_ACCOUNT, '200000000000', '300000000000'] as const;
export const MESH_NAME = 'pm';
const REGION = 'eu-west-1';
const DOMAIN_NAMES = ['sales', 'marketing', 'finance', 'hr'] as const;
const PRODUCT_NAMES = ['orders', 'customers', 'events'] as const;
const TABLE_NAMES = ['facts', 'dims'] as const;
const COLUMN_NAMES = ['c1', 'c2', 'c3'] as const;

export interface MeshArbitraryOptions {
  /** Classifications a column may override to; the brief's meshes classify some columns pii. */
  readonly columnClassifications: readonly string[];
  /** Whether tables may override the product's classification. */
  readonly tableClassifications: boolean;
  /** Whether subscriptions may ask for grants to the consumer account (grant option + re-grant). @default false */
  readonly grantToAccount?: boolean;
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

function columnsArb(o: MeshArbitraryOptions): fc.Arbitrary<{ columns: ColumnDefinition[]; partition: boolean }> {
  return fc.record({
    classes: fc.array(optional(fc.constantFrom(...o.columnClassifications)), { minLength: 1, maxLength: COLUMN_NAMES.length }),
    partition: fc.boolean(),
  }).map(({ classes, partition }) => ({
    columns: classes.map((c, i) => ({ name: COLUMN_NAMES[i], type: i === 0 ? 'string' : 'bigint', ...(c !== undefined ? { classification: c } : {}) })),
    partition: partition && classes.length > 1,
  }));
}

function tableArb(o: MeshArbitraryOptions, name: string): fc.Arbitrary<TableDefinition> {
  return fc.record({
    classification: o.tableClassifications ? optional(fc.constantFrom(...CLASSES)) : fc.constant(undefined),
    cols: columnsArb(o),
  }).map(({ classification, cols }) => ({
    name,
    columns: cols.columns,
    ...(cols.partition ? { partitionKeys: [cols.columns[cols.columns.length - 1].name] } : {}),
    ...(classification !== undefined ? { classification } : {}),
  }));
}

function productArb(o: MeshArbitraryOptions, name: string): fc.Arbitrary<ProductDefinition> {
  return fc.record({
    classification: optional(fc.constantFrom(...CLASSES)),
    tables: fc.integer({ min: 1, max: TABLE_NAMES.length }).chain((n) => fc.tuple(...TABLE_NAMES.slice(0, n).map((t) => tableArb(o, t)))),
  }).map(({ classification, tables }) => ({
    name,
    description: `Product ${name}`,
    owner: 'team',
    tables,
    ...(classification !== undefined ? { classification } : {}),
  }));
}

function domainArb(o: MeshArbitraryOptions, name: string): fc.Arbitrary<DomainDefinition> {
  return fc.record({
    role: fc.constantFrom('producer', 'consumer', 'both') as fc.Arbitrary<'producer' | 'consumer' | 'both'>,
    account: fc.constantFrom(...ACCOUNTS),
    queryRoleMaxClassification: optional(fc.constantFrom(...CLASSES)),
    products: fc.subarray([...PRODUCT_NAMES], { maxLength: 3 }).chain((names) => fc.tuple(...names.map((p) => productArb(o, p)))),
  }).map(({ role, account, queryRoleMaxClassification, products }) => ({
    name,
    role,
    account,
    region: REGION,
    ...(queryRoleMaxClassification !== undefined ? { queryRoleMaxClassification } : {}),
    ...(role !== 'consumer' && products.length > 0 ? { products } : {}),
  }));
}

interface RawSubscription {
  readonly consumer: number;
  readonly kind: 'expression' | 'products';
  readonly domains?: readonly string[];
  readonly classifications?: readonly string[];
  readonly products: readonly number[];
  readonly maxClassification?: string;
  readonly grantToAccount: boolean;
}

const rawSubscriptionArb: fc.Arbitrary<RawSubscription> = fc.record({
  consumer: fc.nat({ max: 3 }),
  kind: fc.constantFrom('expression', 'products') as fc.Arbitrary<'expression' | 'products'>,
  domains: optional(fc.subarray([...DOMAIN_NAMES], { minLength: 1 })),
  classifications: optional(fc.subarray([...CLASSES], { minLength: 1 })),
  products: fc.array(fc.nat({ max: 11 }), { minLength: 1, maxLength: 3 }),
  maxClassification: optional(fc.constantFrom(...CLASSES)),
  grantToAccount: fc.boolean(),
});

/**
 * Random valid mesh definitions: 1-4 domains (shared accounts), 0-3 products of 1-2 tables with 1-3 columns, and
 * expression (domain/classification) and products subscriptions, deduplicated the way the loader requires. At least
 * one product: a mesh without any (it synthesizes, every domain being a value of the `domain` LF-tag) grants nothing
 * the properties could check, and would only spend their runs.
 */
export function meshDefinitionArb(o: MeshArbitraryOptions): fc.Arbitrary<MeshDefinition> {
  return fc.record({
    names: fc.subarray([...DOMAIN_NAMES], { minLength: 1, maxLength: 4 }),
    defaultMax: optional(fc.constantFrom(...CLASSES)),
    subscriptions: fc.array(rawSubscriptionArb, { maxLength: 6 }),
  }).chain(({ names, defaultMax, subscriptions }) => fc.tuple(...names.map((n) => domainArb(o, n))).map((domains) => {
    const def: MeshDefinition = {
      name: MESH_NAME,
      governance: { account: GOV_ACCOUNT, region: REGION },
      ...(defaultMax !== undefined ? { defaults: { queryRoleMaxClassification: defaultMax } } : {}),
      domains,
      subscriptions: buildSubscriptions(domains, subscriptions, o.grantToAccount ?? false),
    };
    return def;
  })).filter((def) => def.domains.some((d) => (d.products ?? []).length > 0));
}

function buildSubscriptions(domains: readonly DomainDefinition[], raw: readonly RawSubscription[], allowGrantToAccount: boolean): SubscriptionDefinition[] {
  const consumers = domains.filter((d) => d.role !== 'producer');
  const names = domains.map((d) => d.name);
  const products = domains.flatMap((d) => (d.products ?? []).map((p) => `${d.name}.${p.name}`));
  const out: SubscriptionDefinition[] = [];
  const expressions = new Map<string, Set<string>>();
  const listed = new Map<string, Set<string>>();
  const perConsumer = new Map<string, number>();
  for (const r of raw) {
    if (consumers.length === 0) break;
    const consumer = consumers[r.consumer % consumers.length];
    const count = perConsumer.get(consumer.name) ?? 0;
    if (count >= 3) continue;
    const grantToAccount = allowGrantToAccount && r.grantToAccount && consumer.account !== GOV_ACCOUNT ? { grantToAccount: true } : {};
    if (r.kind === 'expression') {
      const domainValues = (r.domains ?? []).filter((d) => names.includes(d));
      const expression: Record<string, string[]> = {};
      if (domainValues.length > 0) expression.domain = domainValues;
      if (r.classifications) expression.classification = [...r.classifications];
      if (Object.keys(expression).length === 0) continue;
      const canonical = JSON.stringify(Object.keys(expression).sort().map((k) => [k, [...expression[k]].sort()]));
      const seen = expressions.get(consumer.name) ?? new Set<string>();
      if (seen.has(canonical)) continue;
      seen.add(canonical);
      expressions.set(consumer.name, seen);
      out.push({ consumer: consumer.name, name: `s${out.length}`, expression, ...grantToAccount });
    } else {
      const seen = listed.get(consumer.name) ?? new Set<string>();
      const candidates = products.filter((p) => !p.startsWith(`${consumer.name}.`));
      const picked = [...new Set(r.products.map((i) => candidates[i % Math.max(candidates.length, 1)]))].filter((p) => p !== undefined && !seen.has(p)).sort();
      if (picked.length === 0) continue;
      for (const p of picked) seen.add(p);
      listed.set(consumer.name, seen);
      out.push({
        consumer: consumer.name, name: `s${out.length}`, products: picked,
        ...(r.maxClassification !== undefined ? { maxClassification: r.maxClassification } : {}), ...grantToAccount,
      });
    }
    perConsumer.set(consumer.name, count + 1);
  }
  return out;
}

/** Selectable columns per `<database>.<table>` (sorted column names); tables without any are left out. */
export type Selection = Record<string, string[]>;

export interface IntendedAccess {
  /** Product databases the query role may describe, sorted. */
  readonly databases: string[];
  readonly columns: Selection;
}

const DEFAULT_PRODUCT_CLASSIFICATION = 'internal';
const DEFAULT_MAX = 'confidential';

function upTo(max: string): readonly string[] {
  return CLASSES.slice(0, CLASSES.indexOf(max as (typeof CLASSES)[number]) + 1);
}

function matches(expression: Readonly<Record<string, readonly string[]>>, tags: Readonly<Record<string, string>>): boolean {
  return Object.keys(expression).every((k) => tags[k] !== undefined && expression[k].includes(tags[k]));
}

/**
 * What a domain's query role should read, computed from the definition alone: its own products up to the domain's
 * maximum classification, products listed in its subscriptions up to their maximum, and for expression
 * subscriptions, the databases whose tags match and the columns whose effective tags (database → table → column) match.
 * Columns are selected by their effective classification (column ?? table ?? product), whatever their table's.
 *
 * An expression subscription with `grantToAccount` (consumer outside the governance account) grants the expression
 * to the account, which re-grants to the query role named grants on each product whose database matches, its own
 * products excepted (its query role reads them up to its own maximum), of the columns whose effective classification
 * is among the expression's classification values (any when it names none). A products subscription reads the same
 * with or without `grantToAccount`.
 */
export function intendedAccess(def: MeshDefinition, domainName: string): IntendedAccess {
  const domain = def.domains.find((d) => d.name === domainName)!;
  const databases = new Set<string>();
  const columns = new Map<string, Set<string>>();
  const add = (db: string, table: string, column: string) => {
    const k = `${db}.${table}`;
    columns.set(k, (columns.get(k) ?? new Set()).add(column));
  };
  const all = def.domains.flatMap((d) => (d.products ?? []).map((p) => ({ domain: d.name, product: p, db: `${d.name}_${p.name}` })));
  const effective = (p: ProductDefinition, t: TableDefinition, c: ColumnDefinition) => c.classification ?? t.classification ?? p.classification ?? DEFAULT_PRODUCT_CLASSIFICATION;
  const byList = (entry: (typeof all)[number], max: string) => {
    databases.add(entry.db);
    const allowed = upTo(max);
    for (const t of entry.product.tables ?? []) for (const c of t.columns) if (allowed.includes(effective(entry.product, t, c))) add(entry.db, t.name, c.name);
  };
  const ownMax = domain.queryRoleMaxClassification ?? def.defaults?.queryRoleMaxClassification ?? DEFAULT_MAX;
  for (const entry of all.filter((x) => x.domain === domainName)) byList(entry, ownMax);
  for (const s of (def.subscriptions ?? []).filter((x) => x.consumer === domainName)) {
    if (s.products) {
      for (const entry of all.filter((x) => s.products!.includes(`${x.domain}.${x.product.name}`))) byList(entry, s.maxClassification ?? DEFAULT_MAX);
      continue;
    }
    const expression = s.expression ?? {};
    if (s.grantToAccount && domain.account !== def.governance.account) {
      const allowed = expression.classification ?? CLASSES;
      for (const entry of all) {
        if (entry.domain === domainName) continue;
        if (!matches(expression, { domain: entry.domain, classification: entry.product.classification ?? DEFAULT_PRODUCT_CLASSIFICATION })) continue;
        databases.add(entry.db);
        for (const t of entry.product.tables ?? []) for (const c of t.columns) if (allowed.includes(effective(entry.product, t, c))) add(entry.db, t.name, c.name);
      }
      continue;
    }
    for (const entry of all) {
      const dbTags = { domain: entry.domain, classification: entry.product.classification ?? DEFAULT_PRODUCT_CLASSIFICATION };
      if (matches(expression, dbTags)) databases.add(entry.db);
      for (const t of entry.product.tables ?? []) {
        for (const c of t.columns) if (matches(expression, { ...dbTags, classification: effective(entry.product, t, c) })) add(entry.db, t.name, c.name);
      }
    }
  }
  const selection: Selection = {};
  for (const k of [...columns.keys()].sort()) selection[k] = [...columns.get(k)!].sort();
  return { databases: [...databases].sort(), columns: selection };
}

/** The most sensitive classification a domain subscribed to (its own products included), or undefined when it reads nothing. */
export function highestSubscribedClassification(def: MeshDefinition, domainName: string): string | undefined {
  const domain = def.domains.find((d) => d.name === domainName)!;
  const levels: string[] = [];
  if ((domain.products ?? []).length > 0) levels.push(domain.queryRoleMaxClassification ?? def.defaults?.queryRoleMaxClassification ?? DEFAULT_MAX);
  for (const s of (def.subscriptions ?? []).filter((x) => x.consumer === domainName)) {
    if (s.products) levels.push(s.maxClassification ?? DEFAULT_MAX);
    else levels.push(...(s.expression?.classification ?? CLASSES));
  }
  if (levels.length === 0) return undefined;
  return CLASSES[Math.max(...levels.map((l) => CLASSES.indexOf(l as (typeof CLASSES)[number])))];
}

export function queryRoleArn(def: MeshDefinition, domainName: string): string {
  const d = def.domains.find((x) => x.name === domainName)!;
  return `arn:aws:iam::${d.account}:role/${def.name}-${domainName}-query`;
}
