import { describe, expect, it } from 'vitest';
import { ContextValue, IamRequest, PolicyStatement, evaluatePolicies, iamCheck, kmsCheck, World } from '../../lib/paths';
import type { KeyInfo, RoleInfo } from '../../lib/paths';
import { simulateIdentity } from './simulate';

const ROLE = 'arn:aws:iam::111111111111:role/reader';
const BUCKET = 'arn:aws:s3:::bucket';

function request(action: string, resource: string, context: Record<string, ContextValue> = {}): IamRequest {
  return { principal: { kind: 'aws', arn: ROLE, account: '111111111111' }, action, resource, context: { 'aws:SecureTransport': 'true', ...context } };
}

function identity(statements: PolicyStatement[], req: IamRequest) {
  return evaluatePolicies([{ label: 'policy', statements }], req, { resourcePolicy: false }).decision;
}

const allow = (extra: Partial<PolicyStatement>): PolicyStatement => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*`, ...extra });

/** Hand-written cases, one per supported operator and form: [name, statements, action, resource, context, expected]. */
const CASES: [string, PolicyStatement[], string, string, Record<string, ContextValue>, 'allow' | 'deny' | 'implicit'][] = [
  ['exact action and resource', [allow({})], 's3:GetObject', `${BUCKET}/a`, {}, 'allow'],
  ['action wildcard, case-insensitive', [allow({ Action: 'S3:get*' })], 's3:GetObject', `${BUCKET}/a`, {}, 'allow'],
  ['action ? wildcard', [allow({ Action: 's3:GetObjec?' })], 's3:GetObject', `${BUCKET}/a`, {}, 'allow'],
  ['other action', [allow({})], 's3:PutObject', `${BUCKET}/a`, {}, 'implicit'],
  ['NotAction excludes', [allow({ Action: undefined, NotAction: 's3:Put*' })], 's3:PutObject', `${BUCKET}/a`, {}, 'implicit'],
  ['NotAction includes the rest', [allow({ Action: undefined, NotAction: 's3:Put*' })], 's3:GetObject', `${BUCKET}/a`, {}, 'allow'],
  ['resource wildcard', [allow({ Resource: 'arn:aws:s3:::buck*/*' })], 's3:GetObject', `${BUCKET}/a/b`, {}, 'allow'],
  ['other resource', [allow({})], 's3:GetObject', 'arn:aws:s3:::other/a', {}, 'implicit'],
  ['NotResource', [allow({ Resource: undefined, NotResource: 'arn:aws:s3:::other/*' })], 's3:GetObject', `${BUCKET}/a`, {}, 'allow'],
  ['explicit deny wins', [allow({}), { Effect: 'Deny', Action: 's3:*', Resource: '*' }], 's3:GetObject', `${BUCKET}/a`, {}, 'deny'],
  ['StringEquals match', [allow({ Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } })], 's3:GetObject', `${BUCKET}/a`, { 'aws:SourceAccount': '222222222222' }, 'allow'],
  ['StringEquals mismatch', [allow({ Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } })], 's3:GetObject', `${BUCKET}/a`, { 'aws:SourceAccount': '333333333333' }, 'implicit'],
  ['StringEquals missing key', [allow({ Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } })], 's3:GetObject', `${BUCKET}/a`, {}, 'implicit'],
  ['StringEquals any of several values', [allow({ Condition: { StringEquals: { 'aws:SourceAccount': ['1', '222222222222'] } } })], 's3:GetObject', `${BUCKET}/a`, { 'aws:SourceAccount': '222222222222' }, 'allow'],
  ['StringNotEquals', [allow({ Condition: { StringNotEquals: { 'aws:SourceAccount': '222222222222' } } })], 's3:GetObject', `${BUCKET}/a`, { 'aws:SourceAccount': '333333333333' }, 'allow'],
  ['StringNotEquals none of several values', [allow({ Condition: { StringNotEquals: { 'aws:SourceAccount': ['1', '2'] } } })], 's3:GetObject', `${BUCKET}/a`, { 'aws:SourceAccount': '2' }, 'implicit'],
  ['StringNotEquals missing key', [allow({ Condition: { StringNotEquals: { 'aws:SourceAccount': '222222222222' } } })], 's3:GetObject', `${BUCKET}/a`, {}, 'allow'],
  ['StringLike', [allow({ Action: 's3:ListBucket', Resource: BUCKET, Condition: { StringLike: { 's3:prefix': ['orders/*'] } } })], 's3:ListBucket', BUCKET, { 's3:prefix': 'orders/2024' }, 'allow'],
  ['StringNotLike', [allow({ Action: 's3:ListBucket', Resource: BUCKET, Condition: { StringNotLike: { 's3:prefix': ['orders/*'] } } })], 's3:ListBucket', BUCKET, { 's3:prefix': 'orders/2024' }, 'implicit'],
  ['ArnEquals', [allow({ Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE } } })], 's3:GetObject', `${BUCKET}/a`, { 'aws:PrincipalArn': ROLE }, 'allow'],
  ['ArnLike', [allow({ Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111111111111:trail/*' } } })], 's3:GetObject', `${BUCKET}/a`, { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/t' }, 'allow'],
  ['ArnNotEquals', [allow({ Condition: { ArnNotEquals: { 'aws:PrincipalArn': ROLE } } })], 's3:GetObject', `${BUCKET}/a`, { 'aws:PrincipalArn': ROLE }, 'implicit'],
  ['ArnNotLike', [allow({ Condition: { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } } })], 's3:GetObject', `${BUCKET}/a`, { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/t' }, 'allow'],
  ['Bool true', [allow({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } })], 's3:GetObject', `${BUCKET}/a`, {}, 'allow'],
  ['Bool deny on insecure transport', [allow({}), { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }], 's3:GetObject', `${BUCKET}/a`, {}, 'allow'],
  ['Null true on a missing key', [allow({ Condition: { Null: { 'aws:SourceArn': 'true' } } })], 's3:GetObject', `${BUCKET}/a`, {}, 'allow'],
  ['Null false on a missing key', [allow({ Condition: { Null: { 'aws:SourceArn': 'false' } } })], 's3:GetObject', `${BUCKET}/a`, {}, 'implicit'],
  ['IfExists on a missing key', [allow({ Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '1' } } })], 's3:GetObject', `${BUCKET}/a`, {}, 'allow'],
  ['IfExists on a present key', [allow({ Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '1' } } })], 's3:GetObject', `${BUCKET}/a`, { 'aws:SourceAccount': '2' }, 'implicit'],
  ['ForAnyValue:StringEquals', [allow({ Action: 'kms:Decrypt', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/acme/catalog' } } })], 'kms:Decrypt', 'arn:aws:kms:eu-west-1:111111111111:key/k', { 'kms:ResourceAliases': ['alias/x', 'alias/acme/catalog'] }, 'allow'],
  ['ForAnyValue:StringLike no match', [allow({ Action: 'kms:Decrypt', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/acme/*' } } })], 'kms:Decrypt', 'arn:aws:kms:eu-west-1:111111111111:key/k', { 'kms:ResourceAliases': ['alias/other'] }, 'implicit'],
  ['ForAnyValue on a missing key', [allow({ Action: 'kms:Decrypt', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/a' } } })], 'kms:Decrypt', 'arn:aws:kms:eu-west-1:111111111111:key/k', {}, 'implicit'],
  ['ForAllValues:StringLike', [allow({ Action: 'kms:Decrypt', Resource: '*', Condition: { 'ForAllValues:StringLike': { 'kms:ResourceAliases': 'alias/acme/*' } } })], 'kms:Decrypt', 'arn:aws:kms:eu-west-1:111111111111:key/k', { 'kms:ResourceAliases': ['alias/acme/a', 'alias/acme/b'] }, 'allow'],
  ['ForAllValues with one outside', [allow({ Action: 'kms:Decrypt', Resource: '*', Condition: { 'ForAllValues:StringLike': { 'kms:ResourceAliases': 'alias/acme/*' } } })], 'kms:Decrypt', 'arn:aws:kms:eu-west-1:111111111111:key/k', { 'kms:ResourceAliases': ['alias/acme/a', 'alias/b'] }, 'implicit'],
  ['encryption context', [allow({ Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': BUCKET } } })], 'kms:GenerateDataKey', 'arn:aws:kms:eu-west-1:111111111111:key/k', { 'kms:EncryptionContext:aws:s3:arn': BUCKET }, 'allow'],
  ['iam:PassedToService', [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: ROLE, Condition: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } } }], 'iam:PassRole', ROLE, { 'iam:PassedToService': 'glue.amazonaws.com' }, 'allow'],
];

describe('IAM evaluator', () => {
  it.each(CASES)('%s', (_name, statements, action, resource, context, expected) => {
    expect(identity(statements, request(action, resource, context))).toBe(expected);
  });

  it('numeric operators', () => {
    const st = (op: string, v: string) => [allow({ Condition: { [op]: { 'aws:SourceAccount': v } } })];
    const req = request('s3:GetObject', `${BUCKET}/a`, { 'aws:SourceAccount': '5' });
    expect(identity(st('NumericLessThan', '6'), req)).toBe('allow');
    expect(identity(st('NumericLessThanEquals', '5'), req)).toBe('allow');
    expect(identity(st('NumericGreaterThan', '5'), req)).toBe('implicit');
    expect(identity(st('NumericGreaterThanEquals', '5'), req)).toBe('allow');
    expect(identity(st('NumericEquals', '5'), req)).toBe('allow');
    expect(identity(st('NumericNotEquals', '5'), req)).toBe('implicit');
  });

  it('cannot evaluate an unknown condition operator', () => {
    const r = evaluatePolicies([{ label: 'p', statements: [allow({ Condition: { DateGreaterThan: { 'aws:SourceAccount': '2020-01-01' } } })] }],
      request('s3:GetObject', `${BUCKET}/a`), { resourcePolicy: false });
    expect(r.decision).toBe('unknown');
    expect(r.reason).toContain('condition operator DateGreaterThan is not supported');
  });

  it('cannot evaluate a context key it does not model', () => {
    const r = evaluatePolicies([{ label: 'p', statements: [allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })] }],
      request('s3:GetObject', `${BUCKET}/a`), { resourcePolicy: false });
    expect(r).toMatchObject({ decision: 'unknown', reason: expect.stringContaining('condition key aws:PrincipalOrgID is not modelled') });
  });

  it('cannot evaluate NotPrincipal, an intrinsic known only at deploy time, or a policy variable', () => {
    const rp = evaluatePolicies([{ label: 'p', statements: [{ Effect: 'Allow', NotPrincipal: { AWS: ROLE }, Action: 's3:*', Resource: '*' }] }],
      request('s3:GetObject', `${BUCKET}/a`), { resourcePolicy: true });
    expect(rp).toMatchObject({ decision: 'unknown', reason: expect.stringContaining('NotPrincipal') });
    expect(identity([allow({ Resource: '<GetAtt:Bucket.Arn>' })], request('s3:GetObject', `${BUCKET}/a`))).toBe('unknown');
    expect(identity([allow({ Resource: 'arn:aws:s3:::${aws:username}/*' })], request('s3:GetObject', `${BUCKET}/a`))).toBe('unknown');
  });

  it('an explicit deny decides even when another statement cannot be evaluated', () => {
    expect(identity([allow({ Condition: { DateLessThan: { 'aws:SourceAccount': 'x' } } }), { Effect: 'Deny', Action: '*', Resource: '*' }],
      request('s3:GetObject', `${BUCKET}/a`))).toBe('deny');
  });

  it('matches a deploy-time name only when the answer does not depend on it', () => {
    const key = 'arn:aws:kms:eu-west-1:111111111111:key/⟦stack/Key⟧';
    const st = (resource: string) => [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: resource }];
    expect(identity(st('arn:aws:kms:eu-west-1:111111111111:key/*'), request('kms:Decrypt', key))).toBe('allow');
    expect(identity(st(key), request('kms:Decrypt', key))).toBe('allow');
    expect(identity(st('arn:aws:kms:eu-west-1:222222222222:key/*'), request('kms:Decrypt', key))).toBe('implicit');
    expect(identity(st('arn:aws:kms:eu-west-1:111111111111:key/a*'), request('kms:Decrypt', key))).toBe('unknown');
  });

  it('resource policy principals: *, account, root ARN, role ARN, service', () => {
    const rp = (principal: unknown) => evaluatePolicies([{ label: 'rp', statements: [{ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: '*' }] }],
      request('s3:GetObject', `${BUCKET}/a`), { resourcePolicy: true });
    expect(rp('*').allows[0].principalMatch).toBe('direct');
    expect(rp({ AWS: '111111111111' }).allows[0].principalMatch).toBe('account');
    expect(rp({ AWS: 'arn:aws:iam::111111111111:root' }).allows[0].principalMatch).toBe('account');
    expect(rp({ AWS: ROLE }).allows[0].principalMatch).toBe('direct');
    expect(rp({ AWS: 'arn:aws:iam::222222222222:root' }).decision).toBe('implicit');
    expect(rp({ Service: 'glue.amazonaws.com' }).decision).toBe('implicit');
  });
});

function role(arn: string, statements: PolicyStatement[]): RoleInfo {
  const account = arn.split(':')[4];
  return {
    stack: 's', logicalId: 'R', account, region: 'eu-west-1', partition: 'aws', arn, name: arn.split('/').pop()!,
    trust: { label: 'trust', statements: [] }, policies: [{ label: `policy of ${arn}`, statements }], unknownPolicies: [],
  };
}

function key(account: string, statements: PolicyStatement[]): KeyInfo {
  return {
    stack: 'k', logicalId: 'Key', account, region: 'eu-west-1', partition: 'aws', arn: `arn:aws:kms:eu-west-1:${account}:key/k1`,
    policy: { label: 'key policy of k/Key', statements }, aliases: ['alias/acme/catalog'],
  };
}

function world(keys: KeyInfo[]): World {
  return { keys, roles: [] } as unknown as World;
}

const SPEC = { step: 's', call: 'c', principal: 'p', resource: 'r', doc: 'https://docs.aws.amazon.com/' };
const ROOT = (account: string): PolicyStatement => ({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' });

describe('both sides of a call', () => {
  const object = 'arn:aws:s3:::bucket/a';
  const bucketPolicy = (principal: string) => ({ label: 'bucket policy b', statements: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 's3:GetObject', Resource: object }] });
  const reader = role('arn:aws:iam::222222222222:role/reader', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object }]);
  const nothing = role('arn:aws:iam::222222222222:role/nothing', []);

  it('same account: the identity policy alone allows', () => {
    expect(iamCheck(SPEC, { caller: { kind: 'role', role: reader }, action: 's3:GetObject', resource: object, resourceAccount: '222222222222', resourceLabel: 'b' }).status).toBe('ok');
  });

  it('same account: a resource policy naming the role alone allows, one naming the account does not', () => {
    const o = { action: 's3:GetObject', resource: object, resourceAccount: '222222222222', resourceLabel: 'b' };
    expect(iamCheck(SPEC, { ...o, caller: { kind: 'role', role: nothing }, resourcePolicy: bucketPolicy(nothing.arn) }).status).toBe('ok');
    expect(iamCheck(SPEC, { ...o, caller: { kind: 'role', role: nothing }, resourcePolicy: bucketPolicy('222222222222') }).status).toBe('fail');
  });

  it('cross-account: both the identity policy and the resource policy must allow', () => {
    const o = { action: 's3:GetObject', resource: object, resourceAccount: '333333333333', resourceLabel: 'bucket b' };
    expect(iamCheck(SPEC, { ...o, caller: { kind: 'role', role: reader }, resourcePolicy: bucketPolicy('222222222222') }).status).toBe('ok');
    expect(iamCheck(SPEC, { ...o, caller: { kind: 'role', role: reader } })).toMatchObject({ status: 'fail', missing: expect.stringContaining('has no resource policy') });
    expect(iamCheck(SPEC, { ...o, caller: { kind: 'role', role: nothing }, resourcePolicy: bucketPolicy(nothing.arn) }))
      .toMatchObject({ status: 'fail', missing: expect.stringMatching(/^no statement in the identity policies of arn:aws:iam::222222222222:role\/nothing/) });
  });

  it('a service principal is allowed by the resource policy only', () => {
    const o = { caller: { kind: 'service' as const, service: 'cloudtrail.amazonaws.com' }, action: 's3:GetBucketAcl', resource: 'arn:aws:s3:::bucket', resourceAccount: '1', resourceLabel: 'bucket b' };
    expect(iamCheck(SPEC, { ...o, resourcePolicy: { label: 'bp', statements: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::bucket' }] } }).status).toBe('ok');
    expect(iamCheck(SPEC, { ...o, resourcePolicy: { label: 'bp', statements: [] } })).toMatchObject({ status: 'fail', missing: 'bp has no statement allowing cloudtrail.amazonaws.com s3:GetBucketAcl on arn:aws:s3:::bucket' });
  });
});

describe('KMS', () => {
  const withKms = role('arn:aws:iam::111111111111:role/user', [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }]);
  const without = role('arn:aws:iam::111111111111:role/none', []);

  it('the root principal statement delegates to IAM: the identity policy must allow too', () => {
    const w = world([key('111111111111', [ROOT('111111111111')])]);
    expect(kmsCheck(SPEC, w, { kind: 'role', role: withKms }, 'kms:Decrypt', 'arn:aws:kms:eu-west-1:111111111111:key/k1').status).toBe('ok');
    expect(kmsCheck(SPEC, w, { kind: 'role', role: without }, 'kms:Decrypt', 'arn:aws:kms:eu-west-1:111111111111:key/k1')).toMatchObject({
      status: 'fail', missing: expect.stringContaining('delegates to the IAM policies of account 111111111111 (root principal), but no statement'),
    });
  });

  it('a key policy statement naming the role allows without IAM in the same account', () => {
    const w = world([key('111111111111', [{ Effect: 'Allow', Principal: { AWS: without.arn }, Action: 'kms:Decrypt', Resource: '*' }])]);
    expect(kmsCheck(SPEC, w, { kind: 'role', role: without }, 'kms:Decrypt', 'arn:aws:kms:eu-west-1:111111111111:key/k1').status).toBe('ok');
  });

  it('cross-account: the key policy must allow the caller\'s account or role, and the identity policy too', () => {
    const other = role('arn:aws:iam::222222222222:role/user', [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }]);
    const arn = 'arn:aws:kms:eu-west-1:111111111111:key/k1';
    expect(kmsCheck(SPEC, world([key('111111111111', [ROOT('111111111111')])]), { kind: 'role', role: other }, 'kms:Decrypt', arn))
      .toMatchObject({ status: 'fail', missing: 'key policy of k/Key has no statement allowing arn:aws:iam::222222222222:role/user kms:Decrypt' });
    expect(kmsCheck(SPEC, world([key('111111111111', [ROOT('111111111111'), ROOT('222222222222')])]), { kind: 'role', role: other }, 'kms:Decrypt', arn).status).toBe('ok');
    const noIam = role('arn:aws:iam::222222222222:role/none', []);
    expect(kmsCheck(SPEC, world([key('111111111111', [{ Effect: 'Allow', Principal: { AWS: noIam.arn }, Action: 'kms:Decrypt', Resource: '*' }])]), { kind: 'role', role: noIam }, 'kms:Decrypt', arn).status).toBe('fail');
  });

  it('a service principal with an encryption-context condition', () => {
    const st: PolicyStatement = { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111111111111:trail/*' } } };
    const w = world([key('111111111111', [ROOT('111111111111'), st])]);
    const ct = { kind: 'service' as const, service: 'cloudtrail.amazonaws.com' };
    const arn = 'arn:aws:kms:eu-west-1:111111111111:key/k1';
    expect(kmsCheck(SPEC, w, ct, 'kms:GenerateDataKey', arn, { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/t' }).status).toBe('ok');
    expect(kmsCheck(SPEC, w, ct, 'kms:GenerateDataKey', arn, { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:eu-west-1:999999999999:trail/t' }).status).toBe('fail');
  });
});

describe('cross-check with iam-simulate: hand-written cases', () => {
  it.each(CASES)('%s', async (name, statements, action, resource, context, expected) => {
    const req = request(action, resource, context);
    const sim = await simulateIdentity(ROLE, '111111111111', [statements], action, resource, req.context);
    // iam-simulate drops encryption-context keys whose name contains a colon (aws:s3:arn): it cannot judge that case.
    expect(sim.decision, sim.detail).toBe(name === 'encryption context' ? 'skipped' : expected);
  });
});
