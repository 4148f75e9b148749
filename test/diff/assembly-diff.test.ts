import { beforeAll, describe, expect, it } from 'vitest';
import { dangerousChanges, readAssemblyStacks } from '../../lib/diff/assembly-diff';
import type { MeshDefinition } from '../../lib/mesh/definition';
import { loadYamlDefinition, synthMesh } from '../helpers/mesh-assembly';

function renameProduct(def: MeshDefinition, domain: string, from: string, to: string): MeshDefinition {
  return {
    ...def,
    domains: def.domains.map((d) => (d.name !== domain ? d : { ...d, products: d.products!.map((p) => (p.name === from ? { ...p, name: to } : p)) })),
    subscriptions: def.subscriptions?.map((s) => (s.products ? { ...s, products: s.products.map((p) => (p === `${domain}.${from}` ? `${domain}.${to}` : p)) } : s)),
  };
}

describe('dangerousChanges between two synthesized versions of mesh.yaml', () => {
  let def: MeshDefinition;
  let base: string;

  beforeAll(() => {
    def = loadYamlDefinition('mesh.yaml');
    base = synthMesh(def);
  });

  it('given the same mesh, then nothing is dangerous', () => {
    expect(dangerousChanges(readAssemblyStacks(base), readAssemblyStacks(synthMesh(def)))).toEqual([]);
  });

  it('given a renamed product, then its bucket and database are reported as renamed/removed, with their names', () => {
    const changes = dangerousChanges(readAssemblyStacks(base), readAssemblyStacks(synthMesh(renameProduct(def, 'sales', 'orders', 'order_lines'))));
    const summary = changes.map((c) => `${c.kind} ${c.type} ${c.name ?? ''}`);
    expect(summary).toContain('delete AWS::S3::Bucket acme-sales-orders-222222222222-eu-west-1');
    expect(summary).toContain('delete AWS::Glue::Database sales_orders');
    expect(summary).toContain('delete AWS::Glue::Table order_lines');
    // Resource links in the consumers' accounts are only pointers: their removal is not reported.
    expect(changes.filter((c) => c.stack.startsWith('access-'))).toEqual([]);
    const bucket = changes.find((c) => c.type === 'AWS::S3::Bucket')!;
    expect(bucket.retained).toBe(true);
    expect(bucket.detail).toContain('retained: it stays, orphaned');
  });

  it('given a changed partition key, then the table is reported with the old and new keys', () => {
    const changed: MeshDefinition = {
      ...def,
      domains: def.domains.map((d) => (d.name !== 'sales' ? d : {
        ...d,
        products: d.products!.map((p) => (p.name !== 'orders' ? p : {
          ...p, tables: (p.tables ?? []).map((t) => ({ ...t, partitionKeys: ['customer_id'], projection: undefined })),
        })),
      })),
    };
    const changes = dangerousChanges(readAssemblyStacks(base), readAssemblyStacks(synthMesh(changed)));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'partition-keys', stack: 'catalog-sales', type: 'AWS::Glue::Table', name: 'order_lines' });
    expect(changes[0].detail).toContain('from [order_date] to [customer_id]');
  });

  it('given a removed domain, then every bucket, key and database of it is reported', () => {
    const removed: MeshDefinition = {
      ...def,
      domains: def.domains.filter((d) => d.name !== 'marketing'),
      subscriptions: [{ consumer: 'finance', name: 'orders', products: ['sales.orders'] }],
    };
    const changes = dangerousChanges(readAssemblyStacks(base), readAssemblyStacks(synthMesh(removed)));
    const kinds = new Set(changes.filter((c) => c.stack.startsWith('marketing') || c.stack === 'catalog-marketing').map((c) => c.type));
    expect(kinds).toEqual(new Set(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Glue::Database', 'AWS::Glue::Table', 'AWS::IAM::Role', 'AWS::Athena::WorkGroup']));
    expect(changes.some((c) => c.type === 'AWS::Glue::Database' && c.name === 'marketing_campaigns')).toBe(true);
  });
});
