import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, modelFromTemplates, readAssembly, toJson } from '../../lib/access';
import { GOV, catalogStack } from './fixture';
import { HandStack, Resource, database, grant, link, removeDir, roleArnJoin, tagPolicy, tempDir, writeAssembly } from './helpers';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));
function dir(): string {
  const d = tempDir('asm');
  dirs.push(d);
  return d;
}

const ACCOUNT = '555555555555';

describe('intrinsics', () => {
  const resources: Record<string, Resource> = {
    NamedRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'my-query', AssumeRolePolicyDocument: {} } },
    PathRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::Join': ['-', ['team', { Ref: 'AWS::Region' }]] }, Path: '/data/' } },
    AnonymousRole: { Type: 'AWS::IAM::Role', Properties: {} },
    Db: {
      Type: 'AWS::Glue::Database',
      Properties: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseInput: { Name: { 'Fn::Join': ['_', ['sales', 'orders']] } } },
    },
    Tbl: {
      Type: 'AWS::Glue::Table',
      Properties: { DatabaseName: { Ref: 'Db' }, TableInput: { Name: 'lines', StorageDescriptor: { Columns: [{ Name: 'a', Type: 'int' }] } } },
    },
    ByGetAtt: grant({ 'Fn::GetAtt': ['NamedRole', 'Arn'] }, { Database: { Name: 'sales_orders' } }, ['DESCRIBE']),
    ByPath: grant({ 'Fn::GetAtt': 'PathRole.Arn' }, { Database: { Name: 'sales_orders' } }, ['DESCRIBE']),
    ByAnonymous: grant({ 'Fn::GetAtt': ['AnonymousRole', 'Arn'] }, { Database: { Name: 'sales_orders' } }, ['DESCRIBE']),
    BySub: grant({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sub-${AWS::Region}' }, { Database: { Name: 'sales_orders' } }, ['DESCRIBE']),
    BySubVars: grant({ 'Fn::Sub': ['arn:${P}:iam::${A}:role/${NamedRole}-x-${!Literal}', { P: { Ref: 'AWS::Partition' }, A: '666666666666' }] },
      { Database: { Name: 'sales_orders' } }, ['DESCRIBE']),
    ByJoin: grant(roleArnJoin({ Ref: 'AWS::AccountId' }, 'joined'), { Database: { Name: 'sales_orders' } }, ['DESCRIBE']),
    ByRef: grant({ Ref: 'Unknown' }, { Database: { Name: 'sales_orders' } }, ['DESCRIBE']),
  };

  it('resolves pseudo parameters, Join, Sub and role ARNs; keeps the rest opaque', () => {
    const d = writeAssembly(dir(), [{ id: 'app', account: ACCOUNT, region: 'us-east-1', resources }]);
    const model = readAssembly(d);
    expect(Object.fromEntries(model.grants.map((g) => [g.logicalId, g.principal]))).toEqual({
      ByAnonymous: '<GetAtt:AnonymousRole.Arn>',
      ByGetAtt: `arn:aws:iam::${ACCOUNT}:role/my-query`,
      ByJoin: `arn:aws:iam::${ACCOUNT}:role/joined`,
      ByPath: `arn:aws:iam::${ACCOUNT}:role/data/team-us-east-1`,
      ByRef: '<Ref:Unknown>',
      BySub: `arn:aws:iam::${ACCOUNT}:role/sub-us-east-1`,
      BySubVars: 'arn:aws:iam::666666666666:role/my-query-x-${Literal}',
    });
    // Catalog IDs default to the stack's account; a Ref to a Glue database is its name.
    expect(model.grants.every((g) => g.resource.kind === 'Database' && g.resource.catalogId === ACCOUNT)).toBe(true);
    expect(model.databases.map((db) => [db.catalogId, db.name])).toEqual([[ACCOUNT, 'sales_orders']]);
    expect(model.tables.map((t) => [t.catalogId, t.databaseName, t.name, t.columns])).toEqual([
      [ACCOUNT, 'sales_orders', 'lines', [{ name: 'a', type: 'int', partitionKey: false }]],
    ]);
    expect(model.stacks).toEqual([{ id: 'app', stackName: 'app', account: ACCOUNT, region: 'us-east-1', templateFile: path.join(d, 'app.template.json') }]);
  });
});

describe('assemblies', () => {
  it('reads nested assemblies and environment-agnostic stacks', () => {
    const d = dir();
    writeAssembly(d, [], { stage: [{ id: 'inner', account: GOV, resources: { Db: database(GOV, 'x') } }] });
    const manifest = JSON.parse(fs.readFileSync(path.join(d, 'manifest.json'), 'utf8'));
    manifest.artifacts.agnostic = { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'agnostic.json' } };
    manifest.artifacts.assets = { type: 'cdk:asset-manifest', properties: { file: 'x.assets.json' } };
    fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify(manifest));
    fs.writeFileSync(path.join(d, 'agnostic.json'), JSON.stringify({ Resources: { Db: { Type: 'AWS::Glue::Database', Properties: { DatabaseInput: { Name: 'y' } } } } }));
    const model = readAssembly(d);
    expect(model.stacks.map((s) => [s.id, s.account])).toEqual([['agnostic', 'unknown-account'], ['stage/inner', GOV]]);
    expect(model.databases.map((db) => `${db.catalogId}:${db.name}@${db.stack}`)).toEqual([`${GOV}:x@stage/inner`, 'unknown-account:y@agnostic']);
  });

  it('fails clearly on a directory that is not an assembly', () => {
    expect(() => readAssembly(dir())).toThrow(/is not a cloud assembly/);
  });

  it('builds databases, links, tables, column tags and the ontology', () => {
    const model = modelFromTemplates([{ id: 'catalog', account: GOV, region: 'eu-west-1', template: { Resources: catalogStack().resources } }]);
    expect(model.warnings).toEqual([]);
    expect(model.lfTags.map((t) => [t.key, t.values])).toEqual([
      ['classification', ['public', 'internal', 'confidential', 'pii']], ['domain', ['hr', 'sales']], ['tier', ['gold', 'silver']],
    ]);
    const orders = model.databases.find((db) => db.name === 'sales_orders')!;
    expect(orders).toMatchObject({ catalogId: GOV, isLink: false, tags: { classification: 'internal', domain: 'sales', tier: 'gold' }, locationUri: 's3://bucket-sales_orders/' });
    const lines = model.tables.find((t) => t.name === 'order_lines')!;
    expect(lines.columns.map((c) => `${c.name}${c.partitionKey ? '*' : ''}`)).toEqual(['order_id', 'amount', 'customer_email', 'day*']);
    expect(lines.tags).toEqual({});
    expect(lines.columnTags).toEqual({ customer_email: { classification: 'pii' } });
    expect(model.tables.find((t) => t.name === 'returns')!.tags).toEqual({ classification: 'public' });
  });

  it('reports what would fail or be ignored in Lake Formation', () => {
    const stacks: HandStack[] = [
      catalogStack(),
      {
        id: 'bad',
        account: GOV,
        resources: {
          DupDb: database(GOV, 'sales_orders'),
          GrantA: grant('arn:aws:iam::111111111111:role/r', { Database: { CatalogId: GOV, Name: 'nothing' } }, ['DESCRIBE']),
          GrantB: grant('arn:aws:iam::111111111111:role/r', tagPolicy(GOV, 'TABLE', { tier: ['platinum'], color: ['red'] }), ['SELECT']),
          GrantC: grant('arn:aws:iam::111111111111:role/r', tagPolicy(GOV, 'TABLE', { color: ['red'], tier: ['platinum'] }), ['SELECT']),
          BadTag: { Type: 'AWS::LakeFormation::TagAssociation', Properties: { Resource: { Database: { CatalogId: GOV, Name: 'hr_people' } }, LFTags: [{ CatalogId: '999999999999', TagKey: 'tier', TagValues: ['bronze'] }] } },
        },
      },
      {
        id: 'consumer',
        account: '222222222222',
        resources: {
          Link: link('222222222222', 'gone', { catalogId: GOV, name: 'gone' }),
          LinkGrant: grant('arn:aws:iam::222222222222:role/q', { Database: { CatalogId: '222222222222', Name: 'gone' } }, ['DESCRIBE']),
        },
      },
    ];
    const model = readAssembly(writeAssembly(dir(), stacks));
    const matrix = evaluate(model);
    expect(matrix.warnings).toEqual([
      'bad/BadTag: LF-tag tier is not defined in catalog 999999999999',
      `bad/BadTag: LF-tag tier of catalog 999999999999 cannot be attached to database ${GOV}:hr_people of another catalog`,
      `database ${GOV}:sales_orders is defined twice (bad/DupDb and catalog/DbOrders): the second create fails`,
      `grant bad/GrantA: grants on database ${GOV}:nothing, which the assembly does not define`,
      `grant bad/GrantB: LF-tag color is not defined in catalog ${GOV}`,
      'grant bad/GrantB: platinum is not a value of LF-tag tier',
      `grant bad/GrantC: LF-tag color is not defined in catalog ${GOV}`,
      'grant bad/GrantC: platinum is not a value of LF-tag tier',
      'grants bad/GrantB and bad/GrantC have the same principal and resource: they collide',
      'resource link 222222222222:gone targets 111111111111:gone, which the assembly does not define',
    ]);
  });
});

describe('determinism', () => {
  /** Reverses the key order of every object (and of the resources), so that nothing may depend on it. */
  function reversed(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reversed);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse().map(([k, v]) => [k, reversed(v)]));
  }

  it('gives the same model and matrix whatever the key order of templates and manifest', () => {
    const grants: Record<string, Resource> = {
      A: grant(roleArnJoin(GOV, 'a'), tagPolicy(GOV, 'TABLE', { domain: ['sales'], classification: ['internal', 'public'] }), ['SELECT', 'DESCRIBE']),
      B: grant(roleArnJoin(GOV, 'b'), { Table: { CatalogId: GOV, DatabaseName: 'sales_orders', TableWildcard: {} } }, ['DESCRIBE', 'SELECT']),
      C: grant(roleArnJoin(GOV, 'a'), tagPolicy(GOV, 'DATABASE', { classification: ['internal', 'confidential'] }), ['DESCRIBE']),
    };
    const stacks: HandStack[] = [catalogStack(), { id: 'grants', account: GOV, resources: grants }];
    const a = readAssembly(writeAssembly(dir(), stacks));
    const b = readAssembly(writeAssembly(dir(), [...stacks].reverse().map((s) => ({ ...s, resources: reversed(s.resources) as Record<string, Resource> }))));
    const strip = (m: typeof a) => ({ ...m, stacks: m.stacks.map((s) => ({ ...s, templateFile: path.basename(s.templateFile) })) });
    expect(strip(b)).toEqual(strip(a));
    expect(toJson(evaluate(b))).toBe(toJson(evaluate(a)));
  });
});
