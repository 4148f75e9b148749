import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LakeFormationSettings, MeshGovernance, MeshGovernanceProps } from '../../constructs';
import { DEFAULT_ACCESS_LOG_EXPIRATION_DAYS, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS } from '../../lib/defaults';
import { MAX_BUCKET_NAME_LENGTH, RESERVED_BUCKET_PREFIXES } from '../../lib/naming';
import { ACCOUNT, ENV, MESH, REGION, expectProblem, newApp } from '../helpers/app';
import { describeFindings, nagFindings } from '../helpers/nag';
import { CfnTemplate, Json, logicalIdOf } from '../helpers/template';

function governanceStack(props: Partial<MeshGovernanceProps> = {}, agnostic = false) {
  const app = newApp();
  const stack = new Stack(app, 'Gov', { env: agnostic ? undefined : ENV });
  new LakeFormationSettings(stack, 'Settings');
  const governance = new MeshGovernance(stack, 'Governance', { meshName: MESH, ...props });
  governance.ontology.addDomain('sales');
  return { app, stack, governance };
}

/** Rule ids acknowledged on `construct` or below. */
function acknowledgedRules(construct: IConstruct): string[] {
  return construct.node.findAll().flatMap((c) => c.node.metadata)
    .filter((e) => e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((e) => Object.keys(e.data as Record<string, string>).map((k) => k.replace(/^annotation::/i, '')));
}

const isAccessLoggingRule = (id: string) => id === 'AwsSolutions-S1' || id.endsWith('-S3BucketLoggingEnabled');

describe('MeshGovernance audit buckets', () => {
  let governance: MeshGovernance;
  let json: CfnTemplate;
  let auditBucket: IConstruct;
  let auditLogBucket: IConstruct;

  beforeAll(() => {
    let stack: Stack;
    ({ stack, governance } = governanceStack());
    json = Template.fromStack(stack).toJSON() as CfnTemplate;
    auditBucket = governance.node.findChild('AuditBucket');
    auditLogBucket = governance.node.findChild('AuditLogBucket');
  });

  it('names the buckets <mesh>-governance-audit-<account>-<region> and <mesh>-governance-audit-logs-<account>-<region>', () => {
    expect(json.Resources[logicalIdOf(auditBucket)].Properties.BucketName).toBe(`${MESH}-governance-audit-${ACCOUNT}-${REGION}`);
    expect(json.Resources[logicalIdOf(auditLogBucket)].Properties.BucketName).toBe(`${MESH}-governance-audit-logs-${ACCOUNT}-${REGION}`);
    expect(json.Resources[logicalIdOf(auditBucket)].Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logicalIdOf(auditLogBucket) } });
  });

  it(`expires noncurrent versions of the audit bucket after DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS (${DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS}) days`, () => {
    const rules: Json[] = json.Resources[logicalIdOf(auditBucket)].Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual([{
      Id: 'expire-noncurrent-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS },
    }]);
    // current versions (CloudTrail's integrity-validated log files) never expire
    expect(rules[0].ExpirationInDays).toBeUndefined();
  });

  it('expires the access logs of the audit bucket and their noncurrent versions', () => {
    const rules: Json[] = json.Resources[logicalIdOf(auditLogBucket)].Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(expect.objectContaining({ Status: 'Enabled', ExpirationInDays: DEFAULT_ACCESS_LOG_EXPIRATION_DAYS }));
    expect(rules.some((r) => r.NoncurrentVersionExpiration?.NoncurrentDays > 0)).toBe(true);
  });

  it('acknowledges no access-logging finding on the access-log bucket: cdk-nag counts a log target bucket as compliant', () => {
    const acks = acknowledgedRules(auditLogBucket);
    expect(acks.length).toBeGreaterThan(0);
    expect(acks.filter(isAccessLoggingRule)).toEqual([]);
    const findings = nagFindings(auditLogBucket).filter((f) => isAccessLoggingRule(f.ruleName));
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('passes the compliance packs', () => {
    const findings = nagFindings(governance);
    expect(findings, describeFindings(findings)).toEqual([]);
  });
});

describe('MeshGovernance validation', () => {
  // <mesh>-governance-audit-logs-111111111111-eu-west-1 is the mesh name plus 45 characters
  const longest = MAX_BUCKET_NAME_LENGTH - `-governance-audit-logs-${ACCOUNT}-${REGION}`.length;

  it(`accepts a mesh name of ${longest} characters, whose audit-logs bucket name has 63`, () => {
    expect(longest).toBe(18);
    expect(() => governanceStack({ meshName: 'm'.repeat(longest) })).not.toThrow();
  });

  it('fails on meshName if an audit bucket name would be longer than 63 characters, naming the bucket', () => {
    const meshName = 'm'.repeat(longest + 1);
    const { error } = expectProblem(() => governanceStack({ meshName }), {
      field: 'meshName',
      rule: `makes a bucket name of ${MAX_BUCKET_NAME_LENGTH + 1} characters; S3 allows at most ${MAX_BUCKET_NAME_LENGTH}`,
      got: `"${meshName}-governance-audit-logs-${ACCOUNT}-${REGION}"`,
      fix: 'Shorten the mesh, domain or product name by 1 characters',
    });
    // the audit bucket itself (5 characters shorter) fits
    expect(error.problems).toHaveLength(1);
    expect(error.location).toBe('Gov/Governance');
  });

  it('reports both audit buckets when both are too long', () => {
    const meshName = 'm'.repeat(20);
    const { error } = expectProblem(() => governanceStack({ meshName }, true), { field: 'meshName' });
    expect(error.problems).toEqual([
      expect.stringContaining('makes a bucket name of 65 characters'),
      expect.stringContaining('makes a bucket name of 70 characters'),
    ]);
  });

  it('sizes the audit bucket names for the longest region when the region is a token', () => {
    // 13 + 50 = 63 with a 14-character region
    expect(() => governanceStack({ meshName: 'm'.repeat(13) }, true)).not.toThrow();
    expectProblem(() => governanceStack({ meshName: 'm'.repeat(14) }, true), {
      field: 'meshName', rule: 'makes a bucket name of 64 characters', got: '"<name with account/region tokens>"',
    });
  });

  it('does not check audit bucket names without an audit trail', () => {
    const { governance } = governanceStack({ meshName: 'm'.repeat(longest + 1), auditTrail: false });
    expect(governance.trail).toBeUndefined();
    expect(governance.node.tryFindChild('AuditBucket')).toBeUndefined();
  });

  it.each(RESERVED_BUCKET_PREFIXES.map((p) => [p]))('fails if the mesh name starts with the S3-reserved prefix %j', (prefix) => {
    const meshName = `${prefix}m`;
    expectProblem(() => governanceStack({ meshName }), {
      field: 'meshName', rule: `must not start with "${prefix}", a prefix S3 reserves for bucket names`, got: `"${meshName}"`, fix: 'Pick another mesh name.',
    });
  });
});
