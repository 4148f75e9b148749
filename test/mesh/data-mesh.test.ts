import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { generateMesh } from '../../bench/generate';
import { DataMeshValidationError } from '../../lib/errors';
import { DataMesh, countResources } from '../../lib/mesh/data-mesh';
import type { MeshDefinition } from '../../lib/mesh/definition';

const ROOT = path.join(__dirname, '..', '..');

function loadYaml(file: string): MeshDefinition {
  return YAML.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

function build(def: MeshDefinition): { app: App; mesh: DataMesh } {
  const app = new App();
  return { app, mesh: new DataMesh(app, { definition: def }) };
}

function template(mesh: DataMesh, id: string): Template {
  return Template.fromStack(mesh.stacks.get(id)!.stack);
}

function resourcesOf(t: Template, type: string): Record<string, any>[] {
  return Object.values(t.findResources(type));
}

function deps(stack: Stack): string[] {
  return stack.dependencies.map((d) => d.node.id).sort();
}

describe('DataMesh on the shipped mesh.yaml', () => {
  let mesh: DataMesh;
  const GOV = '111111111111';

  beforeAll(() => {
    mesh = build(loadYaml('mesh.yaml')).mesh;
  });

  it('given four accounts, then it builds the stacks of every role in the right account', () => {
    const byId = Object.fromEntries([...mesh.stacks.entries()].map(([id, s]) => [id, `${s.kind}@${s.stack.account}`]));
    expect(byId).toEqual({
      'lakeformation-111111111111-eu-west-1': `lakeformation@${GOV}`,
      'lakeformation-222222222222-eu-west-1': 'lakeformation@222222222222',
      'lakeformation-333333333333-eu-west-1': 'lakeformation@333333333333',
      'lakeformation-444444444444-eu-west-1': 'lakeformation@444444444444',
      'governance': `governance@${GOV}`,
      'finance-storage': 'storage@444444444444',
      'marketing-storage': 'storage@333333333333',
      'sales-storage': 'storage@222222222222',
      'catalog-marketing': `catalog@${GOV}`,
      'catalog-sales': `catalog@${GOV}`,
      'subscriptions-finance': `subscriptions@${GOV}`,
      'subscriptions-marketing': `subscriptions@${GOV}`,
      'access-444444444444-eu-west-1': 'access@444444444444',
      'access-333333333333-eu-west-1': 'access@333333333333',
      'access-222222222222-eu-west-1': 'access@222222222222',
    });
    for (const s of mesh.stacks.values()) expect(s.stack.region).toBe('eu-west-1');
  });

  it('then stack dependencies express the deploy order lakeformation → storage → governance → catalog → subscriptions → access', () => {
    const stack = (id: string) => mesh.stacks.get(id)!.stack;
    expect(deps(stack('governance'))).toEqual(['lakeformation-111111111111-eu-west-1']);
    expect(deps(stack('sales-storage'))).toEqual(['lakeformation-222222222222-eu-west-1']);
    expect(deps(stack('catalog-sales'))).toEqual(['governance', 'sales-storage']);
    expect(deps(stack('subscriptions-marketing'))).toEqual(['governance', 'marketing-storage']);
    expect(deps(stack('subscriptions-finance'))).toEqual(['catalog-sales', 'finance-storage', 'governance']);
    expect(deps(stack('access-444444444444-eu-west-1'))).toEqual(
      ['catalog-marketing', 'catalog-sales', 'finance-storage', 'lakeformation-444444444444-eu-west-1', 'subscriptions-finance']);
  });

  it('then every stack stays within 400 resources', () => {
    for (const [id, s] of mesh.stacks) expect(countResources(s.stack), id).toBeLessThanOrEqual(400);
  });

  it('then the governance stack holds the ontology, catalog encryption and audit trail', () => {
    const t = template(mesh, 'governance');
    t.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'classification', TagValues: ['public', 'internal', 'confidential', 'pii'] });
    t.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'tier', TagValues: ['gold', 'silver', 'bronze'] });
    t.hasResourceProperties('Custom::LfTag', { TagKey: 'domain', TagValues: ['finance', 'marketing', 'sales'] });
    // Registration roles are per producing domain, in its catalog stack.
    expect(resourcesOf(t, 'AWS::IAM::Role').filter((r) => String(r.Properties.RoleName ?? '').includes('registration'))).toEqual([]);
    t.hasResourceProperties('AWS::Glue::DataCatalogEncryptionSettings', {
      DataCatalogEncryptionSettings: { EncryptionAtRest: { CatalogEncryptionMode: 'SSE-KMS' } },
    });
    t.hasResourceProperties('AWS::CloudTrail::Trail', { EnableLogFileValidation: true });
    // Every other account of the mesh may use the catalog key.
    const key = resourcesOf(t, 'AWS::KMS::Key').find((k) => JSON.stringify(k).includes('UseCatalog222222222222'));
    expect(JSON.stringify(key)).toContain('UseCatalog444444444444');
  });

  it('then the catalog shard registers, creates, tags and grants each product of its domain', () => {
    const t = template(mesh, 'catalog-sales');
    t.resourceCountIs('AWS::LakeFormation::Resource', 2);
    t.hasResourceProperties('AWS::Glue::Database', { CatalogId: GOV, DatabaseInput: { Name: 'sales_orders' } });
    t.hasResourceProperties('AWS::Glue::Database', { CatalogId: GOV, DatabaseInput: { Name: 'sales_customers' } });
    const writerGrants = resourcesOf(t, 'AWS::LakeFormation::PrincipalPermissions')
      .filter((g) => JSON.stringify(g.Properties.Principal).includes(':iam::222222222222:role/acme-sales-writer'));
    expect(writerGrants.map((g) => g.Properties.Permissions.join(','))).toEqual(expect.arrayContaining([
      'CREATE_TABLE,ALTER,DESCRIBE', 'SELECT,INSERT,DELETE,DESCRIBE,ALTER',
    ]));
    // The location goes to the producer account with the grant option; its administrator re-grants it (access stack).
    const location = resourcesOf(t, 'AWS::LakeFormation::PrincipalPermissions').filter((g) => g.Properties.Resource.DataLocation);
    expect(location.map((g) => g.Properties.Principal.DataLakePrincipalIdentifier)).toEqual(['222222222222', '222222222222']);
    // The domain's registration role reaches the producer's buckets.
    t.hasResourceProperties('AWS::LakeFormation::Resource', { UseServiceLinkedRole: false });
    t.hasResourceProperties('AWS::IAM::Role', { RoleName: 'acme-sales-lf-reg' });
  });

  it('then the producer trusts its domain\'s registration role by name in its key and bucket policies', () => {
    const t = template(mesh, 'sales-storage');
    const arn = JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/acme-sales-lf-reg']] });
    const keyPolicies = resourcesOf(t, 'AWS::KMS::Key').map((k) => JSON.stringify(k.Properties.KeyPolicy));
    expect(keyPolicies.some((p) => p.includes(arn) && p.includes('aws:PrincipalArn'))).toBe(true);
    const bucketPolicies = resourcesOf(t, 'AWS::S3::BucketPolicy').map((p) => JSON.stringify(p.Properties.PolicyDocument));
    expect(bucketPolicies.filter((p) => p.includes(arn)).length).toBe(2);
  });

  it('then each tag subscription is two LF-tag policy grants to the consumer query role, without grant option', () => {
    const t = template(mesh, 'subscriptions-marketing');
    const grants = resourcesOf(t, 'AWS::LakeFormation::PrincipalPermissions');
    expect(grants).toHaveLength(2);
    for (const g of grants) {
      expect(JSON.stringify(g.Properties.Principal)).toContain(':iam::333333333333:role/acme-marketing-query');
      expect(g.Properties.PermissionsWithGrantOption).toEqual([]);
      expect(g.Properties.Resource.LFTagPolicy.Expression).toEqual([
        { TagKey: 'classification', TagValues: ['internal', 'public'] },
        { TagKey: 'domain', TagValues: ['sales'] },
      ]);
    }
    expect(grants.map((g) => g.Properties.Resource.LFTagPolicy.ResourceType).sort()).toEqual(['DATABASE', 'TABLE']);
  });

  it('then a product-list subscription is named grants on the product, excluding columns above its classification', () => {
    const t = template(mesh, 'subscriptions-finance');
    const named = resourcesOf(t, 'AWS::LakeFormation::PrincipalPermissions').filter((g) => !g.Properties.Resource.LFTagPolicy);
    expect(named.map((g) => Object.keys(g.Properties.Resource)[0]).sort()).toEqual(['Database', 'Table']);
    for (const g of named) expect(g.Properties.PermissionsWithGrantOption).toEqual([]);
  });

  it('then no grant carries a grant option, since no subscription asks for one, except data locations to their producer accounts', () => {
    for (const s of mesh.stacks.values()) {
      for (const g of resourcesOf(Template.fromStack(s.stack), 'AWS::LakeFormation::PrincipalPermissions')) {
        if (g.Properties.Resource.DataLocation && /^\d{12}$/.test(g.Properties.Principal.DataLakePrincipalIdentifier)) {
          expect(g.Properties.PermissionsWithGrantOption).toEqual(['DATA_LOCATION_ACCESS']);
          continue;
        }
        expect(g.Properties.PermissionsWithGrantOption).toEqual([]);
      }
    }
  });

  it('then every consumer account gets resource links to what it reads, DESCRIBE on the links, and accepts RAM invitations', () => {
    const t = template(mesh, 'access-444444444444-eu-west-1');
    const links = resourcesOf(t, 'AWS::Glue::Database').map((d) => d.Properties.DatabaseInput);
    expect(links.map((l) => l.Name).sort()).toEqual(['marketing_campaigns', 'sales_orders']);
    for (const l of links) expect(l.TargetDatabase).toEqual({ CatalogId: GOV, DatabaseName: l.Name, Region: 'eu-west-1' });
    t.resourceCountIs('Custom::RamInvitationAcceptance', 1);
    t.hasResourceProperties('Custom::RamInvitationAcceptance', { SenderAccountId: GOV });
    const linkGrants = resourcesOf(t, 'AWS::LakeFormation::PrincipalPermissions');
    expect(linkGrants).toHaveLength(2);
    for (const g of linkGrants) expect(g.Properties.Resource.Database.CatalogId).toBe('444444444444');
  });

  it('then a producer in another account gets links to its own products', () => {
    const t = template(mesh, 'access-222222222222-eu-west-1');
    expect(resourcesOf(t, 'AWS::Glue::Database').map((d) => d.Properties.DatabaseInput.Name).sort()).toEqual(['sales_customers', 'sales_orders']);
  });
});

describe('DataMesh invariants', () => {
  it('given mesh.yaml with domains, products, tables and subscriptions listed in reverse order, then every logical ID is identical', () => {
    const def = loadYaml('mesh.yaml');
    const reversed: MeshDefinition = {
      ...def,
      domains: [...def.domains].reverse().map((d) => ({ ...d, products: [...(d.products ?? [])].reverse().map((p) => (p.tables ? { ...p, tables: [...p.tables].reverse() } : p)) })),
      subscriptions: [...(def.subscriptions ?? [])].reverse(),
    };
    const ids = (m: DataMesh) => Object.fromEntries([...m.stacks.entries()].map(([id, s]) => [id, Object.keys(Template.fromStack(s.stack).toJSON().Resources).sort()]));
    expect(ids(build(reversed).mesh)).toEqual(ids(build(def).mesh));
  });

  it('given the single-account example, then there are no access stacks, no RAM acceptance and no cross-account grants', () => {
    const { mesh } = build(loadYaml('examples/single-account.yaml'));
    expect(mesh.stacksOf('access')).toEqual([]);
    const accounts = new Set([...mesh.stacks.values()].map((s) => s.stack.account));
    expect([...accounts]).toEqual(['111111111111']);
    for (const s of mesh.stacks.values()) {
      const t = Template.fromStack(s.stack);
      t.resourceCountIs('Custom::RamInvitationAcceptance', 0);
      for (const g of resourcesOf(t, 'AWS::LakeFormation::PrincipalPermissions')) {
        expect(JSON.stringify(g.Properties.Principal)).toContain(':iam::111111111111:role/');
      }
    }
  });

  it('given sharedOrganization true, then consumers do not accept RAM invitations themselves', () => {
    const { mesh } = build({ ...loadYaml('mesh.yaml'), sharedOrganization: true });
    for (const s of mesh.stacksOf('access')) Template.fromStack(s).resourceCountIs('Custom::RamInvitationAcceptance', 0);
  });

  it('given a subscription with grantToAccount, then it grants the consumer account with the grant option and the account re-grants', () => {
    const def = loadYaml('mesh.yaml');
    const subs = def.subscriptions!.map((s) => (s.name === 'orders' ? { ...s, grantToAccount: true } : s));
    const { mesh } = build({ ...def, subscriptions: subs });
    const grants = resourcesOf(template(mesh, 'subscriptions-finance'), 'AWS::LakeFormation::PrincipalPermissions')
      .filter((g) => !g.Properties.Resource.LFTagPolicy);
    for (const g of grants) {
      expect(g.Properties.Principal.DataLakePrincipalIdentifier).toBe('444444444444');
      expect(g.Properties.PermissionsWithGrantOption).toEqual(g.Properties.Permissions);
    }
    const regrants = resourcesOf(template(mesh, 'access-444444444444-eu-west-1'), 'AWS::LakeFormation::PrincipalPermissions')
      .filter((g) => JSON.stringify(g.Properties.Resource).includes('111111111111'));
    // Exactly what the account holds: DESCRIBE on the database and SELECT + DESCRIBE on order_lines (no pii column there).
    expect(regrants.map((g) => `${Object.keys(g.Properties.Resource)[0]}:${g.Properties.Permissions.join(',')}`).sort())
      .toEqual(['Database:DESCRIBE', 'Table:SELECT,DESCRIBE']);
    for (const g of regrants) {
      expect(JSON.stringify(g.Properties.Principal)).toContain(':iam::444444444444:role/acme-finance-query');
      expect(g.Properties.PermissionsWithGrantOption).toEqual([]);
    }
  });

  it('given a domain whose catalog exceeds one stack, then its products are split over shards within 400 resources, and a warning asks to pin them', () => {
    const def = generateMesh({ domains: 1, productsPerDomain: 40, subscriptionsPerDomain: 0, name: 'big' });
    const { mesh } = build(def);
    const shards = mesh.stacksOf('catalog');
    expect(shards.map((s) => s.node.id)).toEqual(['catalog-d000', 'catalog-d000-2']);
    for (const s of shards) expect(countResources(s)).toBeLessThanOrEqual(400);
    const storage = mesh.stacks.get('d000-storage')!.stack;
    const warnings = storage.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings.some((w) => w.includes('catalogShard'))).toBe(true);
  });

  it('given products pinned to a shard, then they stay there', () => {
    const def = generateMesh({ domains: 1, productsPerDomain: 3, subscriptionsPerDomain: 0, name: 'pin' });
    const domain = def.domains[0];
    const pinned: MeshDefinition = { ...def, domains: [{ ...domain, products: domain.products!.map((p, i) => ({ ...p, catalogShard: i === 0 ? 2 : 1 })) }] };
    const { mesh } = build(pinned);
    const shard2 = Template.fromStack(mesh.stacks.get('catalog-d000-2')!.stack);
    expect(resourcesOf(shard2, 'AWS::Glue::Database').map((d) => d.Properties.DatabaseInput.Name)).toEqual(['d000_p00']);
  });

  it('given two domains of one account reading the same product, then the account has one resource link and a link grant per query role', () => {
    const def = loadYaml('mesh.yaml');
    const domains = def.domains.map((d) => (d.name === 'finance' ? { ...d, account: '333333333333' } : d));
    const { mesh } = build({ ...def, domains });
    expect(mesh.stacks.has('access-444444444444-eu-west-1')).toBe(false);
    const t = template(mesh, 'access-333333333333-eu-west-1');
    const links = resourcesOf(t, 'AWS::Glue::Database').map((d) => d.Properties.DatabaseInput.Name).sort();
    expect(links).toEqual(['marketing_campaigns', 'marketing_leads', 'sales_customers', 'sales_orders']);
    const grantsOnOrders = resourcesOf(t, 'AWS::LakeFormation::PrincipalPermissions')
      .filter((g) => g.Properties.Resource.Database?.Name === 'sales_orders')
      .map((g) => JSON.stringify(g.Properties.Principal).match(/role\/([a-z-]+)/)![1]).sort();
    expect(grantsOnOrders).toEqual(['acme-finance-query', 'acme-marketing-query']);
    t.resourceCountIs('Custom::RamInvitationAcceptance', 1);
  });

  it('given a column classified below its pii table, then a product subscription may still select that column', () => {
    const def = loadYaml('mesh.yaml');
    const domains = def.domains.map((d) => (d.name !== 'sales' ? d : {
      ...d,
      products: d.products!.map((p) => (p.name !== 'orders' ? p : {
        ...p, tables: p.tables!.map((t) => ({ ...t, classification: 'pii', columns: t.columns.map((c) => (c.name === 'sku' ? { ...c, classification: 'public' } : c)) })),
      })),
    }));
    const { mesh } = build({ ...def, domains });
    const named = resourcesOf(template(mesh, 'subscriptions-finance'), 'AWS::LakeFormation::PrincipalPermissions').filter((g) => g.Properties.Resource.TableWithColumns);
    expect(named).toHaveLength(1);
    // Granted by name: the only column classified below pii, nothing else (not even columns added later).
    expect(named[0].Properties.Resource.TableWithColumns.ColumnWildcard).toBeUndefined();
    expect(named[0].Properties.Resource.TableWithColumns.ColumnNames).toEqual(['sku']);
  });

  it('fails if two grants would have the same principal and resource, naming both', () => {
    const def = loadYaml('mesh.yaml');
    const subs = [...def.subscriptions!, { consumer: 'finance', name: 'sales-by-tag', grantToAccount: true, expression: { domain: ['sales'], classification: ['public', 'internal'] } }];
    expect(() => build({ ...def, subscriptions: subs })).toThrow(/must not repeat the grant of .*\(same principal and resource\)/);
  });

  it('fails if two subscriptions of one consumer repeat an expression (Lake Formation grants would collide)', () => {
    const def = loadYaml('mesh.yaml');
    const dup = { ...def.subscriptions![0], name: 'again' };
    expect(() => build({ ...def, subscriptions: [...def.subscriptions!, dup] }))
      .toThrow(/must not repeat an expression, got: "sales-internal" and "again"/);
  });

  it('fails if two product subscriptions of one consumer list the same product', () => {
    const def = loadYaml('mesh.yaml');
    const dup = { consumer: 'finance', name: 'orders-again', products: ['sales.orders'] };
    try {
      build({ ...def, subscriptions: [...def.subscriptions!, dup] });
      expect.unreachable();
    } catch (e) {
      expect(DataMeshValidationError.isDataMeshValidationError(e)).toBe(true);
      expect(String(e)).toContain('must list each product once, got: sales.orders in "orders-again" and "orders"');
    }
  });
});
