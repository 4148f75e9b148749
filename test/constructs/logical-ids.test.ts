import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataDomain, DataProduct, LakeFormationSettings, MeshGovernance } from '../../constructs';
import { DataFormat, TableSpec } from '../../lib/table-schema';
import { ENV, MESH, newApp } from '../helpers/app';
import { CfnTemplate } from '../helpers/template';

interface ProductSpec {
  readonly domain: string;
  readonly name: string;
  readonly classification?: string;
  readonly tables: readonly TableSpec[];
}

const PRODUCTS: readonly ProductSpec[] = [
  {
    domain: 'sales',
    name: 'orders',
    tables: [
      {
        name: 'order_lines',
        columns: [
          { name: 'order_id', type: 'string' }, { name: 'amount', type: 'decimal(12,2)' }, { name: 'email', type: 'string', classification: 'pii' },
          { name: 'note', type: 'string', classification: 'confidential' }, { name: 'order_date', type: 'date' },
        ],
        partitionKeys: ['order_date'],
        projection: { order_date: { type: 'date', range: 'NOW-1YEARS,NOW', format: 'yyyy-MM-dd' } },
      },
      { name: 'refunds', classification: 'confidential', format: DataFormat.CSV, columns: [{ name: 'refund_id', type: 'string' }, { name: 'iban', type: 'string', classification: 'pii' }] },
    ],
  },
  { domain: 'sales', name: 'customers', classification: 'confidential', tables: [{ name: 'customers', columns: [{ name: 'id', type: 'string' }, { name: 'phone', type: 'string', classification: 'pii' }] }] },
  { domain: 'marketing', name: 'campaigns', classification: 'public', tables: [{ name: 'daily', format: DataFormat.JSON, columns: [{ name: 'campaign', type: 'string' }, { name: 'clicks', type: 'bigint' }] }] },
  { domain: 'marketing', name: 'audiences', tables: [{ name: 'segments', columns: [{ name: 'segment', type: 'string' }, { name: 'size', type: 'int' }] }] },
];

interface Order {
  /** Order of the domains (stacks) and of the products. */
  readonly products: readonly ProductSpec[];
  /** Reverse tables within each product and columns within each table. */
  readonly reverseInside: boolean;
}

interface StackSummary {
  readonly ids: string[];
  readonly types: Record<string, string>;
  readonly dependencies: string[];
  readonly domainTagValues?: string[];
}

/** Builds the mesh in the given declaration order and summarizes every stack. */
function synthesize(order: Order): Record<string, StackSummary> {
  const app = newApp();
  const lf = new Stack(app, 'lakeformation', { env: ENV });
  const settings = new LakeFormationSettings(lf, 'Settings');
  const gov = new Stack(app, 'governance', { env: ENV });
  const governance = new MeshGovernance(gov, 'Governance', { meshName: MESH, lakeFormationSettings: settings });
  const domains = new Map<string, DataDomain>();
  for (const p of order.products) {
    let domain = domains.get(p.domain);
    if (!domain) {
      const stack = new Stack(app, p.domain, { env: ENV });
      stack.addStackDependency(gov);
      domain = new DataDomain(stack, 'Domain', { meshName: MESH, domainName: p.domain });
      domains.set(p.domain, domain);
    }
    const tables = order.reverseInside
      ? [...p.tables].reverse().map((t) => ({ ...t, columns: [...t.columns].reverse() }))
      : p.tables;
    new DataProduct(Stack.of(domain), p.name, {
      domain, governance, productName: p.name, description: `Product ${p.name}`, owner: 'team', classification: p.classification, tables,
    });
  }
  const summary: Record<string, StackSummary> = {};
  for (const stack of app.node.children.filter(Stack.isStack)) {
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    const ids = Object.keys(json.Resources).sort();
    const domainTag = Object.values(json.Resources).find((r) => r.Type === 'Custom::LfTag');
    summary[stack.node.id] = {
      ids,
      types: Object.fromEntries(ids.map((id) => [id, json.Resources[id].Type])),
      dependencies: stack.dependencies.map((d) => d.node.id).sort(),
      domainTagValues: domainTag?.Properties.TagValues,
    };
  }
  return summary;
}

describe('logical IDs do not depend on declaration order', () => {
  let forward: Record<string, StackSummary>;
  let reversed: Record<string, StackSummary>;

  beforeAll(() => {
    forward = synthesize({ products: PRODUCTS, reverseInside: false });
    reversed = synthesize({ products: [...PRODUCTS].reverse(), reverseInside: true });
  });

  it('produces the same stacks', () => {
    expect(Object.keys(reversed).sort()).toEqual(Object.keys(forward).sort());
    expect(Object.keys(forward).sort()).toEqual(['governance', 'lakeformation', 'marketing', 'sales']);
  });

  it.each(['lakeformation', 'governance', 'sales', 'marketing'])('gives stack %s the same logical IDs, of the same types', (name) => {
    expect(forward[name].ids.length).toBeGreaterThan(0);
    expect(reversed[name].ids).toEqual(forward[name].ids);
    expect(reversed[name].types).toEqual(forward[name].types);
  });

  it('gives every stack the same dependencies', () => {
    for (const name of Object.keys(forward)) expect(reversed[name].dependencies, name).toEqual(forward[name].dependencies);
  });

  it('renders the domain LF-tag values identically', () => {
    expect(forward.governance.domainTagValues).toEqual(['marketing', 'sales']);
    expect(reversed.governance.domainTagValues).toEqual(forward.governance.domainTagValues);
  });

  it('keeps logical IDs for any order of the products of a domain', () => {
    // given: the product order of the sales domain is arbitrary
    const sales = PRODUCTS.filter((p) => p.domain === 'sales');
    const others = PRODUCTS.filter((p) => p.domain !== 'sales');
    fc.assert(
      fc.property(fc.shuffledSubarray([...sales], { minLength: sales.length }), fc.boolean(), (shuffled, reverseInside) => {
        // when
        const summary = synthesize({ products: [...shuffled, ...others], reverseInside });
        // then
        expect(summary.sales.ids).toEqual(forward.sales.ids);
      }),
      { numRuns: 4 },
    );
  });
});
