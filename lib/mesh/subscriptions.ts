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

/** Lake Formation's semantics: every key of the expression must be on the resource with an allowed value. */
export function expressionMatches(expression: TagExpression, tags: Readonly<Record<string, string>>): boolean {
  return Object.entries(expression).every(([key, values]) => tags[key] !== undefined && values.includes(tags[key]));
}

/** A subscription after resolution: what it matches in the mesh. */
export interface ResolvedSubscription {
  /** Stable ID (construct ID): the subscription's name, or derived from its content. */
  readonly id: string;
  readonly consumer: string;
  readonly kind: 'expression' | 'products';
  /** For `expression` subscriptions. */
  readonly expression?: TagExpression;
  /** `<domain>.<product>` of every product the subscription reaches, sorted. */
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
