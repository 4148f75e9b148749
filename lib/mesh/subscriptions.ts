import { evaluate, expressionMatches as tagPolicyMatches } from '../access/evaluate';
import type { CatalogModel, DatabaseModel, GrantModel, TableModel, TagCondition } from '../access/model';
import { CLASSIFICATION_TAG_KEY, DEFAULT_PRODUCT_CLASSIFICATION, DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION, DOMAIN_TAG_KEY } from '../defaults';
import type { MeshDefinition, ProductDefinition, SubscriptionDefinition } from './definition';

/** An LF-tag expression: key → allowed values (AND across keys, OR within a key). */
export type TagExpression = Readonly<Record<string, readonly string[]>>;

/** The LF-tags a product database carries. */
export function productDatabaseTags(domain: string, product: ProductDefinition): Record<string, string> {
  return {
    ...product.tags,
    [DOMAIN_TAG_KEY]: domain,
    [CLASSIFICATION_TAG_KEY]: product.classification ?? DEFAULT_PRODUCT_CLASSIFICATION,
  };
}

/** The expression as the access evaluator's conditions, keys sorted. */
function tagConditions(expression: TagExpression): TagCondition[] {
  return Object.keys(expression).sort().map((key) => ({ key, values: expression[key] }));
}

/**
 * Lake Formation's semantics, as the access evaluator implements them: every key of the expression is on the
 * resource with an allowed value (an empty expression matches nothing).
 */
export function expressionMatches(expression: TagExpression, tags: Readonly<Record<string, string>>): boolean {
  return tagPolicyMatches(tagConditions(expression), tags);
}

/** A subscription after resolution: what it matches in the mesh. */
export interface ResolvedSubscription {
  /** Stable ID (construct ID): the subscription's name, or derived from its content. */
  readonly id: string;
  readonly consumer: string;
  readonly kind: 'expression' | 'products';
  /** For `expression` subscriptions. */
  readonly expression?: TagExpression;
  /**
   * `<domain>.<product>` of every product the subscription names, or whose database's LF-tags its expression
   * matches (the products it gets resource links and re-grants for), sorted. An expression can reach more: see
   * {@link reachedProducts}.
   */
  readonly products: readonly string[];
  readonly maxClassification: string;
  readonly grantToAccount: boolean;
  readonly definition: SubscriptionDefinition;
}

/** Stable ID of a subscription: independent of key, value and list order. */
export function subscriptionId(s: SubscriptionDefinition): string {
  if (s.name) return s.name;
  if (s.products) return `products:${[...s.products].sort().join(',')}`;
  const parts = Object.keys(s.expression ?? {}).sort().map((k) => `${k}=${[...(s.expression ?? {})[k]].sort().join('|')}`);
  return `tags:${parts.join(';')}`;
}

/** Resolves every subscription against the products of the mesh. Assumes a validated definition. */
export function resolveSubscriptions(def: MeshDefinition): ResolvedSubscription[] {
  const products: { key: string; tags: Record<string, string> }[] = [];
  for (const d of def.domains) {
    for (const p of d.products ?? []) products.push({ key: `${d.name}.${p.name}`, tags: productDatabaseTags(d.name, p) });
  }
  return (def.subscriptions ?? []).map((s) => {
    const matched = s.products
      ? products.filter((p) => s.products!.includes(p.key))
      : products.filter((p) => expressionMatches(s.expression ?? {}, p.tags));
    return {
      id: subscriptionId(s),
      consumer: s.consumer,
      kind: s.products ? 'products' : 'expression',
      expression: s.products ? undefined : s.expression,
      products: matched.map((p) => p.key).sort(),
      maxClassification: s.maxClassification ?? DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION,
      grantToAccount: s.grantToAccount ?? false,
      definition: s,
    };
  });
}

/** The catalog a mesh definition declares, by its LF-tags only, for the access evaluator. */
function meshCatalog(def: MeshDefinition, catalogId: string): Pick<CatalogModel, 'databases' | 'tables'> {
  const databases: DatabaseModel[] = [];
  const tables: TableModel[] = [];
  const source = { stack: 'mesh', logicalId: '' };
  for (const d of def.domains) {
    for (const p of d.products ?? []) {
      const name = `${d.name}.${p.name}`;
      databases.push({ ...source, catalogId, name, tags: productDatabaseTags(d.name, p), parameters: {}, isLink: false });
      for (const t of p.tables ?? []) {
        const keys = t.partitionKeys ?? [];
        const columnTags: Record<string, Record<string, string>> = {};
        for (const c of t.columns) if (c.classification !== undefined) columnTags[c.name] = { [CLASSIFICATION_TAG_KEY]: c.classification };
        tables.push({
          ...source, catalogId, databaseName: name, name: t.name,
          columns: t.columns.map((c) => ({ name: c.name, type: c.type, partitionKey: keys.includes(c.name) })),
          tags: t.classification !== undefined ? { [CLASSIFICATION_TAG_KEY]: t.classification } : {},
          columnTags,
        });
      }
    }
  }
  return { databases, tables };
}

/**
 * `<domain>.<product>` of every product each subscription grants anything on, sorted, in the order of
 * `subscriptions`. Computed by the access evaluator on the mesh's LF-tags (database → table → column, each level
 * overriding the one above), with the grants a subscription makes: an expression's `DATABASE` and `TABLE`
 * LF-tag policies reach a product whose database does not match when one of its tables or columns does (a
 * `classification: [confidential]` expression reaches the confidential column of an internal product).
 */
export function reachedProducts(def: MeshDefinition, subscriptions: readonly ResolvedSubscription[]): string[][] {
  const catalogId = def.governance?.account ?? '000000000000';
  const catalog = meshCatalog(def, catalogId);
  const principal = (i: number) => `subscription:${i}`;
  const grants: GrantModel[] = [];
  subscriptions.forEach((s, i) => {
    if (s.kind !== 'expression') return;
    const expression = tagConditions(s.expression ?? {});
    for (const [resourceType, permissions] of [['DATABASE', ['DESCRIBE']], ['TABLE', ['DESCRIBE', 'SELECT']]] as const) {
      const id = `${principal(i)}/${resourceType}`;
      grants.push({
        stack: 'mesh', logicalId: id, id, grantorAccount: catalogId, principal: principal(i), resource: { kind: 'LFTagPolicy', catalogId, resourceType, expression },
        permissions: [...permissions], grantable: [], legacy: false,
      });
    }
  });
  const matrix = evaluate({ stacks: [], ...catalog, lfTags: [], tagAssociations: [], grants, warnings: [] });
  return subscriptions.map((s, i) => (s.kind === 'expression'
    ? [...new Set(matrix.entries.filter((e) => e.principal === principal(i)).map((e) => e.database))].sort()
    : [...s.products]));
}
