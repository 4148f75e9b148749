import { describe, expect, it } from 'vitest';
import { resolveString, resolveValue } from '../../lib/access';
import {
  ResolveContext, UnresolvableError, asString, isOpaque, partitionOfRegion, resolve, stableJson, urlSuffixOfPartition,
} from '../../lib/assembly';

const ACCOUNT = '111111111111';

const ctx: ResolveContext = {
  partition: 'aws-cn', account: ACCOUNT, region: 'cn-north-1', stackName: 'sales',
  parameters: { Env: { Default: 'prod' }, List: { Default: 'a,b,c' }, NoDefault: {} },
  resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'acme-sales-orders' } },
    Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'acme-sales-query', Path: '/mesh/' } },
    RegionRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::Join': ['-', ['team', { Ref: 'AWS::Region' }]] }, Path: 'data' } },
    UnnamedRole: { Type: 'AWS::IAM::Role', Properties: {} },
    DeployTimeNamedRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: { 'Fn::GetAtt': ['UnnamedRole', 'RoleId'] } } },
    User: { Type: 'AWS::IAM::User', Properties: { UserName: 'auditor' } },
    Db: { Type: 'AWS::Glue::Database', Properties: { DatabaseInput: { Name: { 'Fn::Join': ['_', ['sales', 'orders']] } } } },
    Tbl: { Type: 'AWS::Glue::Table', Properties: { DatabaseName: { Ref: 'Db' }, TableInput: { Name: 'lines' } } },
    Loop: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'Loop' } } },
  },
};

/** What `resolve` gives: the value, or the UnresolvableError's message. */
function outcome(value: unknown, mode: 'opaque' | 'throw', context: ResolveContext = ctx): { value: unknown } | { unresolvable: string } {
  try {
    return { value: resolve(value, context, { unresolvable: mode }) };
  } catch (e) {
    if (!(e instanceof UnresolvableError)) throw e;
    return { unresolvable: e.message };
  }
}

/** [what, value, result in 'opaque' mode, result in 'throw' mode: a value, or `{ unresolvable: message }`]. */
type Case = [string, unknown, unknown, unknown];
const deployTime = (message: string) => ({ unresolvable: message });

const ROLE_ARN = `arn:aws-cn:iam::${ACCOUNT}:role/mesh/acme-sales-query`;

describe('resolve: both modes', () => {
  const cases: Case[] = [
    // Pseudo parameters
    ['Ref AWS::Partition', { Ref: 'AWS::Partition' }, 'aws-cn', 'aws-cn'],
    ['Ref AWS::AccountId', { Ref: 'AWS::AccountId' }, ACCOUNT, ACCOUNT],
    ['Ref AWS::Region', { Ref: 'AWS::Region' }, 'cn-north-1', 'cn-north-1'],
    ['Ref AWS::URLSuffix (from the partition)', { Ref: 'AWS::URLSuffix' }, 'amazonaws.com.cn', 'amazonaws.com.cn'],
    ['Ref AWS::StackName', { Ref: 'AWS::StackName' }, 'sales', 'sales'],
    ['Ref AWS::StackId', { Ref: 'AWS::StackId' }, '<StackId:sales>', deployTime('Ref to AWS::StackId, known only at deploy time')],
    ['Ref AWS::NotificationARNs', { Ref: 'AWS::NotificationARNs' }, [], deployTime('Ref to AWS::NotificationARNs, known only at deploy time')],
    ['AWS::NoValue removes the member or item', { A: { Ref: 'AWS::NoValue' }, B: [1, { Ref: 'AWS::NoValue' }] }, { B: [1] }, { B: [1] }],
    // Ref of parameters and resources
    ['Ref of a parameter with a default', { Ref: 'Env' }, 'prod', 'prod'],
    ['Ref of a parameter without a default', { Ref: 'NoDefault' }, '<Ref:NoDefault>', deployTime('Ref to parameter NoDefault without a default')],
    ['Ref of a named bucket', { Ref: 'Bucket' }, 'acme-sales-orders', 'acme-sales-orders'],
    ['Ref of a role named by an intrinsic', { Ref: 'RegionRole' }, 'team-cn-north-1', 'team-cn-north-1'],
    ['Ref of a named user', { Ref: 'User' }, 'auditor', 'auditor'],
    ['Ref of a Glue database and table', [{ Ref: 'Db' }, { Ref: 'Tbl' }], ['sales_orders', 'lines'], ['sales_orders', 'lines']],
    ['Ref of an unnamed role', { Ref: 'UnnamedRole' }, '<Ref:UnnamedRole>', deployTime('Ref to UnnamedRole, whose physical name is chosen at deploy time')],
    ['Ref of an unknown logical ID', { Ref: 'Missing' }, '<Ref:Missing>', deployTime('Ref to Missing, whose physical name is chosen at deploy time')],
    ['Ref of a role named at deploy time', { Ref: 'DeployTimeNamedRole' }, '<Ref:DeployTimeNamedRole>',
      deployTime('Fn::GetAtt UnnamedRole.RoleId, known only at deploy time')],
    // Fn::GetAtt
    ['Fn::GetAtt Arn of a named role (list form)', { 'Fn::GetAtt': ['Role', 'Arn'] }, ROLE_ARN, ROLE_ARN],
    ['Fn::GetAtt Arn of a named role (string form)', { 'Fn::GetAtt': 'Role.Arn' }, ROLE_ARN, ROLE_ARN],
    ['Fn::GetAtt Arn of a role with a path without slashes', { 'Fn::GetAtt': ['RegionRole', 'Arn'] },
      `arn:aws-cn:iam::${ACCOUNT}:role/data/team-cn-north-1`, `arn:aws-cn:iam::${ACCOUNT}:role/data/team-cn-north-1`],
    ['Fn::GetAtt Arn of a named user', { 'Fn::GetAtt': ['User', 'Arn'] }, `arn:aws-cn:iam::${ACCOUNT}:user/auditor`, `arn:aws-cn:iam::${ACCOUNT}:user/auditor`],
    ['Fn::GetAtt Arn of a named bucket', { 'Fn::GetAtt': ['Bucket', 'Arn'] }, 'arn:aws-cn:s3:::acme-sales-orders', 'arn:aws-cn:s3:::acme-sales-orders'],
    ['Fn::GetAtt Arn of an unnamed role', { 'Fn::GetAtt': ['UnnamedRole', 'Arn'] }, '<GetAtt:UnnamedRole.Arn>',
      deployTime('Fn::GetAtt UnnamedRole.Arn, known only at deploy time')],
    ['Fn::GetAtt of another attribute', { 'Fn::GetAtt': 'Role.RoleId' }, '<GetAtt:Role.RoleId>', deployTime('Fn::GetAtt Role.RoleId, known only at deploy time')],
    ['malformed Fn::GetAtt', { 'Fn::GetAtt': ['Role'] }, '<GetAtt:?>', deployTime('malformed Fn::GetAtt ["Role"]')],
    // Fn::Join
    ['Fn::Join of pseudo parameters, parameters and named resources',
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }, '/', { Ref: 'Env' }, '/', 1]] },
      'arn:aws-cn:s3:::acme-sales-orders/prod/1', 'arn:aws-cn:s3:::acme-sales-orders/prod/1'],
    ['Fn::Join with a part known at deploy time', { 'Fn::Join': ['-', ['a', { Ref: 'UnnamedRole' }]] }, 'a-<Ref:UnnamedRole>',
      deployTime('Ref to UnnamedRole, whose physical name is chosen at deploy time')],
    ['Fn::Join with an object part', { 'Fn::Join': ['-', ['a', { b: 1 }]] }, 'a-{"b":1}', deployTime('Fn::Join part is not a string: {"b":1}')],
    ['Fn::Join of a non-list', { 'Fn::Join': [',', { Ref: 'List' }] }, 'a,b,c', deployTime('Fn::Join of a non-list {"Ref":"List"}')],
    ['malformed Fn::Join', { 'Fn::Join': 'x' }, '<Join:?>', deployTime('malformed Fn::Join "x"')],
    // Fn::Sub
    ['Fn::Sub of pseudo parameters', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x-${AWS::Region}' },
      `arn:aws-cn:iam::${ACCOUNT}:role/x-cn-north-1`, `arn:aws-cn:iam::${ACCOUNT}:role/x-cn-north-1`],
    ['Fn::Sub with variables, attributes, resources and escapes', { 'Fn::Sub': ['${A}-${Role.Arn}-${Bucket}-${!Literal}', { A: { Ref: 'AWS::StackName' } }] },
      `sales-${ROLE_ARN}-acme-sales-orders-\${Literal}`, `sales-${ROLE_ARN}-acme-sales-orders-\${Literal}`],
    ['Fn::Sub of an attribute known at deploy time', { 'Fn::Sub': 'x-${UnnamedRole.Arn}' }, 'x-<GetAtt:UnnamedRole.Arn>',
      deployTime('Fn::GetAtt UnnamedRole.Arn, known only at deploy time')],
    ['Fn::Sub with an unused variable known at deploy time', { 'Fn::Sub': ['x', { U: { 'Fn::ImportValue': 'e' } }] }, 'x', deployTime('Fn::ImportValue "e"')],
    ['Fn::Sub of a non-string', { 'Fn::Sub': [5] }, '<Sub:?>', deployTime('Fn::Sub template is not a string: 5')],
    // Fn::Select and Fn::Split
    ['Fn::Select of Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] }, 'b', 'b'],
    ['Fn::Select of Fn::Split of a parameter', { 'Fn::Select': ['2', { 'Fn::Split': [',', { Ref: 'List' }] }] }, 'c', 'c'],
    ['Fn::Select out of range', { 'Fn::Select': [5, ['a']] }, '<Select:5>', deployTime('Fn::Select [5,["a"]]')],
    ['malformed Fn::Select', { 'Fn::Select': [1] }, '<Select:?>', deployTime('malformed Fn::Select [1]')],
    ['Fn::Split', { 'Fn::Split': [':', { 'Fn::Sub': '${AWS::Region}:x' }] }, ['cn-north-1', 'x'], ['cn-north-1', 'x']],
    ['Fn::Split with an empty delimiter', { 'Fn::Split': ['', 'abc'] }, ['abc'], ['abc']],
    ['Fn::Split of a value known at deploy time', { 'Fn::Split': [',', { Ref: 'NoDefault' }] }, ['<Ref:NoDefault>'],
      deployTime('Ref to parameter NoDefault without a default')],
    ['malformed Fn::Split', { 'Fn::Split': 'x' }, ['<Split:?>'], deployTime('malformed Fn::Split "x"')],
    // Functions that depend on the deployment
    ['Fn::ImportValue', { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-out' } }, '<Import:sales-out>', deployTime('Fn::ImportValue {"Fn::Sub":"${AWS::StackName}-out"}')],
    ['Fn::If', { 'Fn::If': ['IsProd', 'a', 'b'] }, '<If:IsProd>', deployTime('Fn::If ["IsProd","a","b"]')],
    ['Fn::GetAZs', { 'Fn::GetAZs': '' }, '<GetAZs:cn-north-1>', deployTime('Fn::GetAZs ""')],
    ['Fn::Base64', { 'Fn::Base64': 'x' }, '<Base64>', deployTime('Fn::Base64 "x"')],
    ['another function: kept, its arguments resolved', { 'Fn::FindInMap': ['M', { Ref: 'Env' }, 'k'] }, { 'Fn::FindInMap': ['M', 'prod', 'k'] },
      deployTime('Fn::FindInMap ["M",{"Ref":"Env"},"k"]')],
    // Values that are not intrinsics
    ['literals', ['a', 1, true, null], ['a', 1, true, null], ['a', 1, true, null]],
    ['objects member by member', { Condition: { Ref: 'Env' }, Nested: { List: [{ Ref: 'Bucket' }] } }, { Condition: 'prod', Nested: { List: ['acme-sales-orders'] } },
      { Condition: 'prod', Nested: { List: ['acme-sales-orders'] } }],
    ['a reference cycle', { Ref: 'Loop' }, '<Ref:Loop>', deployTime('intrinsics nested deeper than 50 levels')],
  ];

  it.each(cases)('%s', (_what, value, opaque, thrown) => {
    expect(outcome(value, 'opaque')).toEqual({ value: opaque });
    const expected = thrown !== null && typeof thrown === 'object' && 'unresolvable' in thrown ? thrown : { value: thrown };
    expect(outcome(value, 'throw')).toEqual(expected);
  });

  it('resolves a top-level AWS::NoValue to undefined', () => {
    expect(resolve({ Ref: 'AWS::NoValue' }, ctx, { unresolvable: 'opaque' })).toBeUndefined();
    expect(resolve({ Ref: 'AWS::NoValue' }, ctx, { unresolvable: 'throw' })).toBeUndefined();
  });

  it('defaults to the aws partition', () => {
    const plain: ResolveContext = { account: ACCOUNT, region: 'cn-north-1', stackName: 's', resources: ctx.resources };
    expect(resolve({ 'Fn::Sub': '${AWS::Partition} ${AWS::URLSuffix}' }, plain, { unresolvable: 'opaque' })).toBe('aws amazonaws.com');
    expect(resolve({ 'Fn::GetAtt': ['Bucket', 'Arn'] }, plain, { unresolvable: 'throw' })).toBe('arn:aws:s3:::acme-sales-orders');
  });

  it('throws UnresolvableError in throw mode', () => {
    expect(() => resolve({ 'Fn::GetAtt': ['UnnamedRole', 'Arn'] }, ctx, { unresolvable: 'throw' })).toThrow(UnresolvableError);
    expect(new UnresolvableError('x').name).toBe('UnresolvableError');
  });

  it('is the opaque mode in lib/access', () => {
    expect(resolveValue({ 'Fn::Join': ['/', [{ Ref: 'Env' }, { Ref: 'UnnamedRole' }]] }, ctx)).toBe('prod/<Ref:UnnamedRole>');
    expect(resolveString({ A: { Ref: 'Env' } }, ctx)).toBe('{"A":"prod"}');
  });
});

describe('helpers', () => {
  it('asString prints scalars and writes anything else as JSON with sorted keys', () => {
    expect([asString('a'), asString(1), asString(false), asString(undefined), asString(null), asString({ b: 1, a: [2] })])
      .toEqual(['a', '1', 'false', '', 'null', '{"a":[2],"b":1}']);
  });

  it('isOpaque tells resolved strings from opaque ones', () => {
    expect(['<Ref:X>', 'arn:<GetAtt:R.Arn>', '<Import:x>', '<StackId:s>', '<too-deep>', '<Select:3>'].every(isOpaque)).toBe(true);
    expect(['arn:aws:iam::1:role/x', '<not-opaque>', 'a<b'].some(isOpaque)).toBe(false);
  });

  it('stableJson does not depend on key order', () => {
    expect(stableJson({ b: { d: 1, c: 2 }, a: undefined })).toBe(stableJson({ b: { c: 2, d: 1 } }));
    expect(stableJson({ b: 1, a: 2 }, 1)).toBe('{\n "a": 2,\n "b": 1\n}');
  });

  it.each([
    ['eu-west-1', 'aws', 'amazonaws.com'], ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'], ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-iso-east-1', 'aws-iso', 'amazonaws.com'], ['us-isob-east-1', 'aws-iso-b', 'amazonaws.com'],
  ])('partition of %s is %s, URL suffix %s', (region, partition, suffix) => {
    expect(partitionOfRegion(region)).toBe(partition);
    expect(urlSuffixOfPartition(partition)).toBe(suffix);
  });
});
