import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, CfnResource, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagMessageLevel } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { DATA_MESH_PACK_NAME, DATA_MESH_RULES, DataMeshChecks, dataMeshRuleId, rules } from '../../lib/nag';
import { ACCOUNT, REGION, dataMeshFindings, expectCompliant, expectFlagged, newStack } from './nag-test-utils';

const RULES_MD = fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'nag', 'RULES.md'), 'utf8');

function kmsBucket(stack: Stack, id: string, removalPolicy = RemovalPolicy.RETAIN): s3.Bucket {
  return new s3.Bucket(stack, id, { encryptionKey: new kms.Key(stack, `${id}Key`, { enableKeyRotation: true }), removalPolicy });
}

describe('DataMeshChecks', () => {
  it('is named DataMesh and reports rule IDs DataMesh-<RuleName>', () => {
    const pack = new DataMeshChecks();
    expect(pack.name).toBe('DataMesh');
    expect(pack.readPackName).toBe(DATA_MESH_PACK_NAME);
    expect(pack.ruleIds).toContain('DataMesh-S3BucketRetained');
    expect(pack.ruleIds).toEqual(DATA_MESH_RULES.map((r) => dataMeshRuleId(r.rule)));
  });

  it('applies every exported rule exactly once', () => {
    const exported = Object.values(rules).flatMap((service) => Object.values(service).filter((v) => typeof v === 'function'));
    const applied = DATA_MESH_RULES.map((r) => r.rule);
    expect(new Set(applied).size).toBe(applied.length);
    expect(new Set(exported)).toEqual(new Set(applied));
  });

  it('documents every rule in RULES.md with its level', () => {
    for (const spec of DATA_MESH_RULES) {
      const id = dataMeshRuleId(spec.rule);
      const row = RULES_MD.split('\n').find((line) => line.startsWith(`| ${id} |`));
      expect(row, `${id} is missing from lib/nag/RULES.md`).toBeDefined();
      expect(row).toContain(spec.level === NagMessageLevel.ERROR ? '| Error |' : '| Warning |');
      expect(row).toContain(`| ${spec.info} |`);
    }
  });

  it('reports a finding with its info, and with the explanation when verbose', () => {
    const { stack } = newStack();
    kmsBucket(stack, 'Bucket', RemovalPolicy.DESTROY);
    const spec = DATA_MESH_RULES.find((r) => r.rule === rules.s3.S3BucketRetained)!;
    const quiet = new DataMeshChecks().validateScope(stack).violations.find((v) => v.ruleName === 'DataMesh-S3BucketRetained')!;
    expect(quiet.description).toBe(spec.info);
    expect(quiet.severity).toBe('error');
    const verbose = new DataMeshChecks(undefined, { verbose: true }).validateScope(stack).violations.find((v) => v.ruleName === 'DataMesh-S3BucketRetained')!;
    expect(verbose.description).toBe(`${spec.info} ${spec.explanation}`);
  });

  it('reports a warning-level rule with severity warning', () => {
    const { stack } = newStack();
    new CfnResource(stack, 'Workgroup', { type: 'AWS::Athena::WorkGroup', properties: { Name: 'adhoc' } });
    const violation = new DataMeshChecks().validateScope(stack).violations.find((v) => v.ruleName === 'DataMesh-AthenaWorkGroupPinnedEngineVersion');
    expect(violation?.severity).toBe('warning');
  });
});

describe('acknowledgements', () => {
  it('acknowledging the rule ID on the resource removes the finding', () => {
    const { stack } = newStack();
    const bucket = kmsBucket(stack, 'Bucket', RemovalPolicy.DESTROY);
    expectFlagged(stack, 'DataMesh-S3BucketRetained', ['Test/Bucket/Resource']);
    Validations.of(bucket).acknowledge({ id: 'DataMesh-S3BucketRetained', reason: 'Scratch bucket of an integration test.' });
    expectCompliant(stack, 'DataMesh-S3BucketRetained');
  });

  it('an acknowledgement covers only its rule and its subtree', () => {
    const { stack } = newStack();
    const scratch = kmsBucket(stack, 'Scratch', RemovalPolicy.DESTROY);
    kmsBucket(stack, 'Other', RemovalPolicy.DESTROY);
    new s3.Bucket(stack, 'Plain', { encryption: s3.BucketEncryption.S3_MANAGED }).node.addDependency(scratch);
    Validations.of(scratch).acknowledge({ id: 'DataMesh-S3BucketRetained', reason: 'Scratch bucket.' });
    Validations.of(scratch).acknowledge({ id: 'DataMesh-S3BucketKmsEncrypted', reason: 'Not relevant here.' });
    const findings = dataMeshFindings(stack);
    expect(findings.get('DataMesh-S3BucketRetained')).toEqual(['Test/Other/Resource']);
    expect(findings.get('DataMesh-S3BucketKmsEncrypted')).toEqual(['Test/Plain/Resource']);
  });
});

describe('as a validation plugin', () => {
  it('fails app.synth() for a non-compliant resource', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: ACCOUNT, region: REGION } });
    kmsBucket(stack, 'Bucket', RemovalPolicy.DESTROY);
    Validations.of(app).addPlugins(new DataMeshChecks());
    expect(() => app.synth()).toThrow(/DataMesh-S3BucketRetained/);
  });

  it('lets a compliant app synthesize', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: ACCOUNT, region: REGION } });
    kmsBucket(stack, 'Bucket');
    Validations.of(app).addPlugins(new DataMeshChecks());
    expect(() => app.synth()).not.toThrow();
  });

  it('lets an app synthesize once its finding is acknowledged', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: ACCOUNT, region: REGION } });
    const bucket = kmsBucket(stack, 'Bucket', RemovalPolicy.DESTROY);
    Validations.of(bucket).acknowledge({ id: 'DataMesh-S3BucketRetained', reason: 'Scratch bucket of an integration test.' });
    Validations.of(app).addPlugins(new DataMeshChecks());
    expect(() => app.synth()).not.toThrow();
  });
});

describe('unresolvable values', () => {
  const TYPES = [
    'AWS::LakeFormation::DataLakeSettings', 'Custom::LakeFormationSettings', 'AWS::LakeFormation::Tag', 'Custom::LfTag',
    'AWS::LakeFormation::TagAssociation', 'AWS::LakeFormation::PrincipalPermissions', 'AWS::LakeFormation::Permissions',
    'AWS::LakeFormation::Resource', 'AWS::Glue::Database', 'AWS::Athena::WorkGroup', 'AWS::S3::Bucket', 'AWS::IAM::Role',
    'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy',
  ];

  it('never make a rule throw: every property an intrinsic', () => {
    const { stack } = newStack();
    const anything = new CfnParameter(stack, 'Anything').value;
    const list = new CfnParameter(stack, 'List', { type: 'CommaDelimitedList' }).valueAsList;
    const names = ['CreateDatabaseDefaultPermissions', 'CreateTableDefaultPermissions', 'MutationType', 'Parameters', 'Admins', 'CrossAccountVersion',
      'TagKey', 'TagValues', 'Resource', 'LFTags', 'Principal', 'DataLakePrincipal', 'PermissionsWithGrantOption', 'UseServiceLinkedRole', 'RoleArn',
      'HybridAccessEnabled', 'DatabaseInput', 'WorkGroupConfiguration', 'BucketEncryption', 'Policies', 'PolicyDocument'];
    TYPES.forEach((type, i) => {
      const properties: Record<string, unknown> = {};
      for (const n of names) properties[n] = n.endsWith('s') ? list : anything;
      new CfnResource(stack, `Whole${i}`, { type, properties });
      const nested: Record<string, unknown> = {
        Resource: { Database: anything, LFTagPolicy: { Expression: [anything, { TagKey: anything, TagValues: list }] } },
        LFTags: [anything, { CatalogId: anything, TagKey: anything, TagValues: list }],
        DatabaseInput: { Name: anything, CreateTableDefaultPermissions: list, Parameters: { data_product: anything, owner: anything } },
        WorkGroupConfiguration: { EnforceWorkGroupConfiguration: anything, BytesScannedCutoffPerQuery: Fn.select(0, list), EngineVersion: anything },
        BucketEncryption: { ServerSideEncryptionConfiguration: [anything] },
        PolicyDocument: { Statement: [anything, { Effect: anything, Action: list, Resource: anything }] },
        Policies: [anything, { PolicyName: 'p', PolicyDocument: anything }],
      };
      new CfnResource(stack, `Nested${i}`, { type, properties: nested });
    });
    const violations = new DataMeshChecks(undefined, { verbose: true }).validateScope(stack).violations;
    const thrown = violations.filter((v) => v.description.startsWith('Rule threw an error'));
    expect(thrown.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });
});
