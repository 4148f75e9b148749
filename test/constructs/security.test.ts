import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS } from '../../lib/defaults';
import { RETAINING_DELETION_POLICIES } from '../../lib/nag/rules/s3/S3BucketRetained';
import { SynthesizedExample, synthesizeExample } from '../helpers/example';
import { CfnTemplate, FORBIDDEN_ACTIONS, Json, actionsOf, asArray, literalPlaceholders, policyStatements, resourcesOfType } from '../helpers/template';

/**
 * The security defaults of ARCHITECTURE section 6, checked on every template of the example app. Each check
 * also asserts that it found what it checks, so that an empty template cannot pass.
 */
describe('security properties of every template of the example app', () => {
  let example: SynthesizedExample;
  let all: [stack: string, logicalId: string, resource: CfnTemplate['Resources'][string], template: CfnTemplate][];

  beforeAll(() => {
    example = synthesizeExample();
    all = Object.entries(example.templates).flatMap(([stack, template]) =>
      Object.entries(template.Resources).map(([id, r]) => [stack, id, r, template] as [string, string, CfnTemplate['Resources'][string], CfnTemplate]));
  });

  function ofType(type: string) {
    return all.filter(([, , r]) => r.Type === type);
  }

  describe('S3 buckets', () => {
    it('exist in every stack that stores anything', () => {
      // 2 audit buckets + per domain log and results buckets + 3 product buckets
      expect(ofType('AWS::S3::Bucket')).toHaveLength(2 + 2 * 2 + 3);
    });

    it('block all public access', () => {
      for (const [stack, id, b] of ofType('AWS::S3::Bucket')) {
        expect(b.Properties.PublicAccessBlockConfiguration, `${stack}/${id}`).toEqual({
          BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
        });
      }
    });

    it('are encrypted: SSE-KMS with a bucket key, or SSE-S3 for access-log targets', () => {
      for (const [stack, id, b] of ofType('AWS::S3::Bucket')) {
        const rules: Json[] = b.Properties.BucketEncryption?.ServerSideEncryptionConfiguration ?? [];
        expect(rules, `${stack}/${id}`).toHaveLength(1);
        const algorithm = rules[0].ServerSideEncryptionByDefault.SSEAlgorithm;
        if (algorithm === 'aws:kms') {
          expect(rules[0].ServerSideEncryptionByDefault.KMSMasterKeyID, `${stack}/${id}`).toBeDefined();
          expect(rules[0].BucketKeyEnabled, `${stack}/${id}`).toBe(true);
        } else {
          expect(algorithm, `${stack}/${id}`).toBe('AES256');
          const isLogTarget = ofType('AWS::S3::Bucket').some(([s, , other]) => s === stack && other.Properties.LoggingConfiguration?.DestinationBucketName?.Ref === id);
          expect(isLogTarget, `${stack}/${id} uses SSE-S3 but receives no access logs`).toBe(true);
        }
      }
    });

    it('encrypt every data bucket with KMS', () => {
      const data = ofType('AWS::S3::Bucket').filter(([, , b]) => /-(orders|customers|campaigns)-/.test(b.Properties.BucketName));
      expect(data).toHaveLength(3);
      for (const [stack, id, b] of data) {
        expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm, `${stack}/${id}`).toBe('aws:kms');
      }
    });

    it('are versioned', () => {
      for (const [stack, id, b] of ofType('AWS::S3::Bucket')) expect(b.Properties.VersioningConfiguration, `${stack}/${id}`).toEqual({ Status: 'Enabled' });
    });

    it('are retained on stack delete and replacement', () => {
      for (const [stack, id, b] of ofType('AWS::S3::Bucket')) {
        expect(RETAINING_DELETION_POLICIES, `${stack}/${id}`).toContain(b.DeletionPolicy);
        expect(b.UpdateReplacePolicy, `${stack}/${id}`).toBe('Retain');
      }
    });

    it('enforce bucket-owner object ownership', () => {
      for (const [stack, id, b] of ofType('AWS::S3::Bucket')) {
        expect(b.Properties.OwnershipControls, `${stack}/${id}`).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      }
    });

    it('have a bucket policy denying requests without TLS', () => {
      for (const [stack, id, , template] of ofType('AWS::S3::Bucket')) {
        const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy').filter(([, p]) => p.Properties.Bucket?.Ref === id);
        expect(policies, `${stack}/${id}`).toHaveLength(1);
        const statements: Json[] = asArray(policies[0][1].Properties.PolicyDocument.Statement);
        const deny = statements.find((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
        expect(deny, `${stack}/${id}`).toBeDefined();
        expect(deny.Action, `${stack}/${id}`).toBe('s3:*');
        expect(deny.Principal, `${stack}/${id}`).toEqual({ AWS: '*' });
        expect(JSON.stringify(deny.Resource), `${stack}/${id}`).toContain(`"${id}","Arn"`);
      }
    });

    it('log access to a log bucket, except the log buckets themselves', () => {
      const buckets = ofType('AWS::S3::Bucket');
      const targets = new Set(buckets.map(([s, , b]) => `${s}/${b.Properties.LoggingConfiguration?.DestinationBucketName?.Ref}`));
      for (const [stack, id, b] of buckets) {
        if (targets.has(`${stack}/${id}`)) continue;
        expect(b.Properties.LoggingConfiguration?.DestinationBucketName, `${stack}/${id}`).toBeDefined();
      }
    });

    it('expire noncurrent versions, the log buckets and CloudTrail\'s audit bucket included', () => {
      const buckets = ofType('AWS::S3::Bucket');
      for (const [stack, id, b] of buckets) {
        const rules: Json[] = b.Properties.LifecycleConfiguration?.Rules ?? [];
        expect(rules.some((r) => r.Status === 'Enabled' && r.NoncurrentVersionExpiration?.NoncurrentDays > 0), `${stack}/${id}`).toBe(true);
      }
      const audit = buckets.filter(([, , b]) => /-governance-audit-\d/.test(b.Properties.BucketName));
      expect(audit).toHaveLength(1);
      expect(audit[0][2].Properties.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({
        Id: 'expire-noncurrent-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS },
      }));
    });
  });

  describe('KMS keys', () => {
    it('rotate and are retained', () => {
      const keys = ofType('AWS::KMS::Key');
      expect(keys.length).toBeGreaterThanOrEqual(5);
      for (const [stack, id, k] of keys) {
        expect(k.Properties.EnableKeyRotation, `${stack}/${id}`).toBe(true);
        expect(RETAINING_DELETION_POLICIES, `${stack}/${id}`).toContain(k.DeletionPolicy);
      }
    });
  });

  describe('Glue and Lake Formation', () => {
    it('create databases with no default table permissions, retained', () => {
      const databases = ofType('AWS::Glue::Database');
      expect(databases).toHaveLength(3);
      for (const [stack, id, d] of databases) {
        expect(d.Properties.DatabaseInput.CreateTableDefaultPermissions, `${stack}/${id}`).toEqual([]);
        expect(RETAINING_DELETION_POLICIES, `${stack}/${id}`).toContain(d.DeletionPolicy);
      }
    });

    it('never grant to IAM_ALLOWED_PRINCIPALS, and never with grant option', () => {
      const grants = ofType('AWS::LakeFormation::PrincipalPermissions');
      expect(grants.length).toBeGreaterThan(10);
      for (const [stack, id, g] of grants) {
        expect(JSON.stringify(g.Properties.Principal), `${stack}/${id}`).not.toContain('IAM_ALLOWED_PRINCIPALS');
        expect(g.Properties.PermissionsWithGrantOption, `${stack}/${id}`).toEqual([]);
      }
      expect(JSON.stringify(example.templates)).not.toContain('IAM_ALLOWED_PRINCIPALS');
    });

    it('never use the legacy AWS::LakeFormation::Permissions or create RAM shares for catalog resources', () => {
      expect(ofType('AWS::LakeFormation::Permissions')).toEqual([]);
      expect(ofType('AWS::RAM::ResourceShare')).toEqual([]);
    });

    it('register locations with a user-defined role and without hybrid access', () => {
      const registrations = ofType('AWS::LakeFormation::Resource');
      expect(registrations).toHaveLength(3);
      for (const [stack, id, r] of registrations) {
        expect(r.Properties.UseServiceLinkedRole, `${stack}/${id}`).toBe(false);
        expect(r.Properties.RoleArn, `${stack}/${id}`).toBeDefined();
        expect(r.Properties.HybridAccessEnabled ?? false, `${stack}/${id}`).toBe(false);
      }
    });
  });

  describe('IAM', () => {
    it('allows no `*`, `s3:*`, `glue:*` or `lakeformation:*` action in any IAM policy', () => {
      const identity = Object.entries(example.templates).flatMap(([stack, t]) => policyStatements(t).filter((s) => s.kind === 'identity').map((s) => ({ stack, ...s })));
      expect(identity.length).toBeGreaterThan(10);
      for (const { stack, logicalId, statement } of identity) {
        for (const a of [...actionsOf(statement), ...asArray<string>(statement.NotAction)]) {
          expect(FORBIDDEN_ACTIONS, `${stack}/${logicalId}: ${a}`).not.toContain(a);
        }
      }
    });

    it('allows no such action in bucket or key policies either', () => {
      const resourcePolicies = Object.entries(example.templates).flatMap(([stack, t]) => policyStatements(t)
        .filter((s) => s.kind === 'resource' && s.statement.Effect === 'Allow').map((s) => ({ stack, ...s })));
      expect(resourcePolicies.length).toBeGreaterThan(5);
      for (const { stack, logicalId, statement } of resourcePolicies) {
        for (const a of actionsOf(statement)) expect(FORBIDDEN_ACTIONS, `${stack}/${logicalId}: ${a}`).not.toContain(a);
      }
    });

    it('uses customer managed policies for every role the toolkit defines', () => {
      const inline = ofType('AWS::IAM::Policy').map(([stack, id]) => `${stack}/${id}`);
      // Only CloudTrail's log delivery role is written inline by the CDK Trail construct (acknowledged).
      expect(inline).toEqual([expect.stringMatching(/^governance\/GovernanceAuditTrailLogsRoleDefaultPolicy/)]);
      for (const [stack, id, r] of ofType('AWS::IAM::Role')) expect(r.Properties.Policies, `${stack}/${id}`).toBeUndefined();
      expect(JSON.stringify(example.templates)).not.toMatch(/:iam::aws:policy\//);
    });
  });

  describe('Athena', () => {
    it('enforces every workgroup configuration with SSE_KMS results', () => {
      const workgroups = ofType('AWS::Athena::WorkGroup');
      expect(workgroups).toHaveLength(2);
      for (const [stack, id, w] of workgroups) {
        const config = w.Properties.WorkGroupConfiguration;
        expect(config.EnforceWorkGroupConfiguration, `${stack}/${id}`).toBe(true);
        expect(config.ResultConfiguration.EncryptionConfiguration.EncryptionOption, `${stack}/${id}`).toBe('SSE_KMS');
        expect(config.ResultConfiguration.EncryptionConfiguration.KmsKey, `${stack}/${id}`).toBeDefined();
        expect(config.BytesScannedCutoffPerQuery, `${stack}/${id}`).toBeGreaterThanOrEqual(10_000_000);
      }
    });
  });

  describe('partitions', () => {
    it('contain no arn:aws: literal: ARNs use ${AWS::Partition} or Ref AWS::Partition', () => {
      for (const [stack, template] of Object.entries(example.templates)) {
        const text = JSON.stringify(template);
        expect(text.match(/arn:aws[:-][^"]{0,60}/g) ?? [], stack).toEqual([]);
      }
    });

    it('leave no ${AWS::...} placeholder outside Fn::Sub', () => {
      for (const [stack, template] of Object.entries(example.templates)) expect(literalPlaceholders(template), stack).toEqual([]);
    });
  });
});
