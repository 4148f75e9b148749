import { App, Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataMesh } from '../../lib/mesh/data-mesh';
import type { MeshDefinition } from '../../lib/mesh/definition';
import { resolveContracts } from '../../lib/mesh/contracts';
import { CDK_JSON_CONTEXT } from '../helpers/app';
import { loadYamlDefinition, ROOT } from '../helpers/mesh-assembly';
import { describeFindings, nagFindings } from '../helpers/nag';
import { CfnTemplate, Json, asArray, resourcesOfType, templateJson } from '../helpers/template';

// Defects a template review against AWS documentation found in the synthesized mesh (issue "works on a real deploy").
// Each test fails on the code before its fix; `data-mesh paths` (test/paths) checks the same jobs end to end.

function buildMesh(def: MeshDefinition): { app: App; mesh: DataMesh } {
  const app = new App({ context: CDK_JSON_CONTEXT });
  const mesh = new DataMesh(app, { definition: def, contractBaseDir: ROOT });
  return { app, mesh };
}

function template(mesh: DataMesh, id: string): CfnTemplate {
  const info = mesh.stacks.get(id);
  if (!info) throw new Error(`no stack ${id}: ${[...mesh.stacks.keys()].join(', ')}`);
  return templateJson(info.stack);
}

function keyPolicyStatements(t: CfnTemplate, aliasPart: string): Json[] {
  const aliases = resourcesOfType(t, 'AWS::KMS::Alias').filter(([, r]) => String(r.Properties.AliasName).includes(aliasPart));
  expect(aliases.length, `an alias containing ${aliasPart}`).toBe(1);
  const keyId = aliases[0][1].Properties.TargetKeyId['Fn::GetAtt'][0];
  return t.Resources[keyId].Properties.KeyPolicy.Statement;
}

function grants(t: CfnTemplate): Json[] {
  return resourcesOfType(t, 'AWS::LakeFormation::PrincipalPermissions').map(([, r]) => r.Properties);
}

function principalOf(g: Json): string {
  return JSON.stringify(g.Principal.DataLakePrincipalIdentifier);
}

/** Statements of every managed policy attached to a role whose name contains `roleName`. */
function roleStatements(t: CfnTemplate, roleName: string): Json[] {
  const roleIds = resourcesOfType(t, 'AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties.RoleName ?? '').includes(roleName)).map(([id]) => id);
  expect(roleIds.length, `a role named like ${roleName}`).toBeGreaterThan(0);
  return resourcesOfType(t, 'AWS::IAM::ManagedPolicy')
    .filter(([, p]) => asArray(p.Properties.Roles).some((r: Json) => roleIds.includes(r?.Ref)))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

describe('the shipped multi-account mesh (mesh.yaml)', () => {
  let mesh: DataMesh;
  let gov: CfnTemplate;
  beforeAll(() => {
    ({ mesh } = buildMesh(loadYamlDefinition('mesh.yaml')));
    gov = template(mesh, 'governance');
  });

  it('lets CloudTrail generate data keys and describe the audit key, limited to this account\'s trail (defect 1)', () => {
    const statements = keyPolicyStatements(gov, '/audit');
    const forTrail = statements.filter((s) => s.Principal?.Service === 'cloudtrail.amazonaws.com');
    const actions = forTrail.flatMap((s) => asArray(s.Action));
    expect(actions).toContain('kms:GenerateDataKey*');
    expect(actions).toContain('kms:DescribeKey');
    const generate = forTrail.find((s) => asArray(s.Action).includes('kms:GenerateDataKey*'));
    expect(JSON.stringify(generate.Condition.StringEquals['aws:SourceArn'])).toContain(':trail/acme-audit');
    expect(Object.keys(generate.Condition.StringLike)).toEqual(['kms:EncryptionContext:aws:cloudtrail:arn']);
  });

  it('renders retained fixed-name resources as RetainExceptOnCreate, so a failed first deploy can be re-run (defect 1)', () => {
    for (const [id, r] of [...resourcesOfType(gov, 'AWS::S3::Bucket'), ...resourcesOfType(gov, 'AWS::KMS::Key'), ...resourcesOfType(gov, 'Custom::LfTag'),
      ...resourcesOfType(gov, 'AWS::LakeFormation::Tag')]) {
      expect(r.DeletionPolicy, id).toBe('RetainExceptOnCreate');
    }
    const catalog = template(mesh, 'catalog-sales');
    for (const [id, r] of resourcesOfType(catalog, 'AWS::Glue::Database')) expect(r.DeletionPolicy, id).toBe('RetainExceptOnCreate');
    const storage = template(mesh, 'sales-storage');
    for (const [id, r] of resourcesOfType(storage, 'AWS::S3::Bucket')) expect(r.DeletionPolicy, id).toBe('RetainExceptOnCreate');
  });

  it('grants DATA_LOCATION_ACCESS across accounts only to the producer account, with the grant option, re-granted there to the writer (defect 2)', () => {
    const catalog = template(mesh, 'catalog-sales');
    const location = grants(catalog).filter((g) => g.Resource.DataLocation);
    expect(location.length).toBe(2);
    for (const g of location) {
      expect(g.Principal.DataLakePrincipalIdentifier).toBe('222222222222');
      expect(g.PermissionsWithGrantOption).toEqual(['DATA_LOCATION_ACCESS']);
    }
    // No stack grants a data location straight to a role of another account.
    for (const [id] of mesh.stacks) {
      for (const g of grants(template(mesh, id)).filter((x) => x.Resource.DataLocation)) {
        const principal = principalOf(g);
        if (principal.includes(':role/')) expect(principal, id).toContain(mesh.stacks.get(id)!.stack.account);
      }
    }
    const access = template(mesh, 'access-222222222222-eu-west-1');
    const regrants = grants(access).filter((g) => g.Resource.DataLocation);
    expect(regrants.map((g) => g.Resource.DataLocation.CatalogId)).toEqual(['111111111111', '111111111111']);
    for (const g of regrants) expect(principalOf(g)).toContain(':role/acme-sales-writer');
  });

  it('lets every account that uses the encrypted catalog encrypt and generate data keys with its key, in key policy and IAM (defect 3)', () => {
    const statements = keyPolicyStatements(gov, '/catalog');
    for (const account of ['222222222222', '333333333333', '444444444444']) {
      const s = statements.find((x) => JSON.stringify(x.Principal).includes(account));
      expect(s, account).toBeDefined();
      expect(asArray(s.Action)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']));
    }
    const storage = template(mesh, 'sales-storage');
    for (const role of ['acme-sales-writer', 'acme-sales-query']) {
      const catalogKey = roleStatements(storage, role).find((s) => JSON.stringify(s.Condition ?? {}).includes('alias/acme/catalog'));
      expect(catalogKey, role).toBeDefined();
      expect(asArray(catalogKey.Action)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']));
    }
  });

  it('lets the data quality role use the catalog key (defect 3)', () => {
    const catalog = template(mesh, 'catalog-marketing');
    const statements = roleStatements(catalog, '-dq');
    const catalogKey = statements.find((s) => JSON.stringify(s.Condition ?? {}).includes('alias/acme/catalog'));
    expect(catalogKey).toBeDefined();
    expect(asArray(catalogKey.Action)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']));
  });

  it('grants every query role DESCRIBE on the default database of its own account\'s catalog (defect 4)', () => {
    for (const d of ['sales', 'marketing', 'finance']) {
      const t = template(mesh, `${d}-storage`);
      const account = mesh.domains.get(d)!.account;
      const onDefault = grants(t).filter((g) => g.Resource.Database?.Name === 'default');
      expect(onDefault.length, d).toBe(1);
      expect(onDefault[0].Resource.Database.CatalogId).toBe(account);
      expect(onDefault[0].Permissions).toEqual(['DESCRIBE']);
      expect(principalOf(onDefault[0])).toContain(`:role/acme-${d}-query`);
    }
  });

  it('gives each producing domain a registration role that lists exactly its product locations and its key (defect 10)', () => {
    const catalog = template(mesh, 'catalog-sales');
    const statements = roleStatements(catalog, 'acme-sales-lf-reg');
    const text = JSON.stringify(statements);
    expect(text).not.toContain('acme-*');
    expect(text).not.toContain('alias/acme/*');
    expect(text).not.toContain('governance-audit');
    for (const product of ['orders', 'customers']) expect(text).toContain(`acme-sales-${product}-222222222222-eu-west-1/*`);
    expect(text).not.toContain('acme-marketing-');
    const key = statements.find((s) => JSON.stringify(s.Action).includes('kms:Decrypt'));
    expect(key.Condition).toEqual({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/acme/sales' } });
    // The registrations use that role, and the producer's bucket policies trust it by name.
    for (const [, r] of resourcesOfType(catalog, 'AWS::LakeFormation::Resource')) expect(JSON.stringify(r.Properties.RoleArn)).toContain('role/acme-sales-lf-reg');
    const storage = template(mesh, 'sales-storage');
    const bucketPolicies = JSON.stringify(resourcesOfType(storage, 'AWS::S3::BucketPolicy'));
    expect(bucketPolicies).toContain('role/acme-sales-lf-reg');
    expect(resourcesOfType(gov, 'AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties.RoleName ?? '').includes('registration'))).toEqual([]);
  });

  it('lets CloudWatch publish the freshness alarm to its topic, whose own policy replaces SNS\'s default (found by data-mesh paths)', () => {
    const storage = template(mesh, 'marketing-storage');
    const policies = resourcesOfType(storage, 'AWS::SNS::TopicPolicy');
    expect(policies.length).toBe(1);
    const allow = policies[0][1].Properties.PolicyDocument.Statement.find((s: Json) => s.Effect === 'Allow');
    expect(allow.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(allow.Action).toBe('sns:Publish');
    expect(allow.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '333333333333' });
  });

  it('lets workgroups be deleted once queries ran (defect 11)', () => {
    for (const d of ['sales', 'marketing', 'finance']) {
      for (const [id, r] of resourcesOfType(template(mesh, `${d}-storage`), 'AWS::Athena::WorkGroup')) {
        expect(r.Properties.RecursiveDeleteOption, id).toBe(true);
      }
    }
  });
});

describe('grantToAccount (defect 13)', () => {
  it('synthesizes with the compliance packs: the opt-in grants are acknowledged on the exact grants, with the subscription named', () => {
    const def = loadYamlDefinition('mesh.yaml');
    const withOptIn: MeshDefinition = {
      ...def,
      subscriptions: def.subscriptions!.map((s) => (s.name === 'orders' ? { ...s, grantToAccount: true } : s)),
    };
    const resolved = resolveContracts(withOptIn, ROOT).definition;
    const { app, mesh } = buildMesh(resolved);
    const findings = nagFindings(app);
    expect(describeFindings(findings)).toBe('');
    const sub = mesh.stacks.get('subscriptions-finance')!.stack;
    const optedIn = grants(templateJson(sub)).filter((g) => g.PermissionsWithGrantOption.length > 0);
    expect(optedIn.length).toBeGreaterThan(0);
    for (const g of optedIn) expect(g.Principal.DataLakePrincipalIdentifier).toBe('444444444444');
  });

  it('still reports a grant with the grant option that no subscription asked for', () => {
    const { app, mesh } = buildMesh(resolveContracts(loadYamlDefinition('mesh.yaml'), ROOT).definition);
    const stack = mesh.stacks.get('subscriptions-finance')!.stack as Stack;
    const grant = stack.node.findAll().find((c) => c.node.id.endsWith('DatabaseGrant'))!;
    (grant as Json).addPropertyOverride('PermissionsWithGrantOption', ['DESCRIBE']);
    expect(nagFindings(app).map((f) => f.ruleName)).toContain('DataMesh-LakeFormationNoGrantOption');
  });
});
