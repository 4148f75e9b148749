import type { DomainDefinition, MeshDefinition, ProductDefinition, SubscriptionDefinition } from '../lib/mesh/definition';

export interface GenerateOptions {
  readonly domains: number;
  readonly productsPerDomain: number;
  readonly subscriptionsPerDomain: number;
  /** Accounts the domains are spread over (round robin). @default one account per domain */
  readonly accounts?: number;
  readonly name?: string;
}

const CLASSIFICATIONS = ['public', 'internal', 'confidential'];

/**
 * A synthetic mesh: every domain produces `productsPerDomain` products (two tables each, one with a pii
 * column and partition projection) and subscribes to the products of the following domains, alternating
 * tag expressions and product lists.
 */
export function generateMesh(o: GenerateOptions): MeshDefinition {
  const accounts = o.accounts ?? o.domains;
  const account = (i: number) => String(200000000000 + (i % accounts)).padStart(12, '0');
  const domainName = (i: number) => `d${String(i).padStart(3, '0')}`;
  const domains: DomainDefinition[] = [];
  for (let i = 0; i < o.domains; i++) {
    const products: ProductDefinition[] = [];
    for (let j = 0; j < o.productsPerDomain; j++) {
      products.push({
        name: `p${String(j).padStart(2, '0')}`,
        description: `Product ${j} of domain ${domainName(i)}`,
        owner: `team-${domainName(i)}`,
        classification: CLASSIFICATIONS[j % CLASSIFICATIONS.length],
        tables: [
          {
            name: 'events',
            columns: [
              { name: 'id', type: 'string', comment: 'Identifier' },
              { name: 'amount', type: 'decimal(12,2)' },
              { name: 'payload', type: 'struct<kind:string,tags:array<string>>' },
              { name: 'email', type: 'string', classification: 'pii' },
              { name: 'day', type: 'date' },
            ],
            partitionKeys: ['day'],
            projection: { day: { type: 'date', range: 'NOW-1YEARS,NOW', format: 'yyyy-MM-dd' } },
          },
          {
            name: 'summary',
            columns: [{ name: 'id', type: 'string' }, { name: 'total', type: 'bigint' }],
          },
        ],
      });
    }
    domains.push({ name: domainName(i), account: account(i), region: 'eu-west-1', role: 'both', products });
  }
  const subscriptions: SubscriptionDefinition[] = [];
  for (let i = 0; i < o.domains; i++) {
    for (let k = 1; k <= Math.min(o.subscriptionsPerDomain, o.domains - 1); k++) {
      const target = domainName((i + k) % o.domains);
      if (k % 3 === 0 && o.productsPerDomain > 0) {
        subscriptions.push({ consumer: domainName(i), name: `products-of-${target}`, products: [`${target}.p00`] });
      } else {
        subscriptions.push({
          consumer: domainName(i),
          name: `internal-of-${target}`,
          expression: { domain: [target], classification: k % 2 === 0 ? ['public'] : ['public', 'internal'] },
        });
      }
    }
  }
  return {
    name: o.name ?? 'bench',
    governance: { account: '100000000000', region: 'eu-west-1' },
    sharedOrganization: accounts > 1 ? false : undefined,
    domains,
    subscriptions,
  };
}
