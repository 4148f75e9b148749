import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildSingleAccountApp } from '../../examples/single-account-constructs';
import { LakeFormationSettings, MeshGovernance } from '../../constructs';
import { TARGET_MAX_RESOURCES_PER_STACK } from '../../lib/defaults';
import { addCompliancePacks, compliancePacks } from '../../lib/compliance';
import { newApp } from '../helpers/app';
import { SynthesizedExample, synthesizeExample } from '../helpers/example';
import { catalogTargets, grantChain } from '../helpers/lake-formation';
import { NagFinding, describeFindings, nagFindings } from '../helpers/nag';
import { dependsOn, isOrderedAfter, resourcesOfType } from '../helpers/template';

interface Acknowledgement {
  readonly path: string;
  readonly construct: IConstruct;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement recorded with `Validations.of(x).acknowledge(...)` in the tree of `root`. */
function acknowledgements(root: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ path: construct.node.path, construct, id: key.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return out;
}

/** The four standard packs the brief of the mesh requires. */
const STANDARD_PACKS = ['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];
/** Rules whose findings carry a detail in brackets; acknowledging them without one hides every finding. */
const RULES_WITH_FINDINGS = ['AwsSolutions-IAM4', 'AwsSolutions-IAM5'];

describe('example app (examples/single-account-constructs.ts)', () => {
  let example: SynthesizedExample;

  beforeAll(() => {
    example = synthesizeExample();
  });

  it('synthesizes the four stacks of a single-account mesh', () => {
    expect(Object.keys(example.stacks).sort()).toEqual(['governance', 'lakeformation', 'marketing', 'sales']);
    for (const [name, template] of Object.entries(example.templates)) {
      const count = Object.keys(template.Resources).length;
      expect(count, name).toBeGreaterThan(0);
      expect(count, name).toBeLessThanOrEqual(TARGET_MAX_RESOURCES_PER_STACK);
    }
  });

  it('deploys settings first, then governance, then the domains', () => {
    const deps = (name: string) => example.stacks[name].dependencies.map((s) => s.node.id).sort();
    expect(deps('lakeformation')).toEqual([]);
    expect(deps('governance')).toEqual(['lakeformation']);
    expect(deps('sales')).toContain('governance');
    expect(deps('marketing')).toContain('governance');
  });

  it('holds the three products with their catalog entries', () => {
    const databases = Object.values(example.templates).flatMap((t) => Object.values(t.Resources))
      .filter((r) => r.Type === 'AWS::Glue::Database').map((r) => r.Properties.DatabaseInput.Name).sort();
    expect(databases).toEqual(['marketing_campaigns', 'sales_customers', 'sales_orders']);
  });

  it('creates tag associations after their LF-tags (governance stack) and the settings (lakeformation stack)', () => {
    // given
    const governance = example.stacks.governance.node.findChild('Governance') as MeshGovernance;
    const settings = example.stacks.lakeformation.node.findChild('Settings') as LakeFormationSettings;
    let checked = 0;
    for (const name of ['sales', 'marketing']) {
      const stack = example.stacks[name];
      const template = example.templates[name];
      for (const [id, a] of resourcesOfType(template, 'AWS::LakeFormation::TagAssociation')) {
        // then
        for (const tag of a.Properties.LFTags) {
          expect(isOrderedAfter(stack, dependsOn(a), governance.ontology.tagResource(tag.TagKey)), `${name}/${id} after ${tag.TagKey}`).toBe(true);
        }
        for (const target of catalogTargets(template, a.Properties.Resource)) expect(dependsOn(a), `${name}/${id}`).toContain(target);
        expect(isOrderedAfter(stack, dependsOn(a), settings.resource), `${name}/${id}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it('creates catalog resources and grants after the settings, and chains the grants of each stack', () => {
    const settings = example.stacks.lakeformation.node.findChild('Settings') as LakeFormationSettings;
    for (const name of ['sales', 'marketing']) {
      const template = example.templates[name];
      for (const type of ['AWS::Glue::Database', 'AWS::LakeFormation::Resource', 'AWS::LakeFormation::PrincipalPermissions']) {
        for (const [id, r] of resourcesOfType(template, type)) expect(isOrderedAfter(example.stacks[name], dependsOn(r), settings.resource), `${name}/${id}`).toBe(true);
      }
      expect(grantChain(template).length, name).toBeGreaterThan(0);
    }
  });

  it('has zero unacknowledged findings in the AwsSolutions, NIST 800-53 R5, HIPAA and PCI DSS packs (and every other registered pack)', () => {
    // when
    const findings = nagFindings(example.app);
    // then
    expect(findings, describeFindings(findings)).toEqual([]);
    expect(compliancePacks(example.app).map((p) => p.readPackName)).toEqual(expect.arrayContaining(STANDARD_PACKS));
  });

  describe('acknowledgements', () => {
    let acks: Acknowledgement[];
    beforeAll(() => {
      acks = acknowledgements(example.app);
    });

    it('exist (the packs would report the log buckets otherwise)', () => {
      expect(acks.length).toBeGreaterThan(10);
    });

    it('each give a specific reason of at least 40 characters', () => {
      for (const a of acks) {
        expect(a.reason.trim().length, `${a.path} ${a.id}: "${a.reason}"`).toBeGreaterThanOrEqual(40);
      }
    });

    it('each name one rule of one of the registered packs', () => {
      const packs = compliancePacks(example.app).map((p) => p.readPackName);
      for (const a of acks) {
        expect(packs.some((p) => a.id.startsWith(`${p}-`)), `${a.path}: ${a.id}`).toBe(true);
        expect(a.id, a.path).toMatch(/^[A-Za-z0-9.]+-[A-Za-z0-9]+(\[.+\])?$/);
      }
    });

    it('never acknowledge a whole IAM4/IAM5 rule without the finding in brackets', () => {
      for (const a of acks) {
        for (const rule of RULES_WITH_FINDINGS) {
          if (a.id === rule || a.id.startsWith(`${rule}[`)) expect(a.id, a.path).toMatch(/^AwsSolutions-IAM[45]\[(Resource|Action|Policy)::.+\]$/);
        }
      }
    });

    it('sit on specific constructs, never on an app, stage or stack', () => {
      for (const a of acks) {
        expect(Stack.isStack(a.construct) || Stage.isStage(a.construct) || a.construct instanceof App, a.path).toBe(false);
      }
    });

    it('each hide a finding that exists: none is stale', () => {
      // given: the same app built with acknowledgements switched off
      const spy = vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
      let raw: NagFinding[];
      try {
        const bare = synthesizeExample();
        expect(acknowledgements(bare.app)).toEqual([]);
        raw = nagFindings(bare.app);
      } finally {
        spy.mockRestore();
      }
      // then: every acknowledgement matches a finding of its rule on its construct or below
      const stale = acks.filter((a) => !raw.some((f) => f.ruleName === a.id
        && f.constructPaths.some((p) => p === a.path || p.startsWith(`${a.path}/`))));
      expect(stale.map((a) => `${a.path}: ${a.id}`)).toEqual([]);
      expect(acks.length).toBeGreaterThan(10);
    });

    it('never acknowledge access logging: cdk-nag counts the log target buckets as compliant', () => {
      const logging = acks.filter((a) => a.id === 'AwsSolutions-S1' || a.id.endsWith('-S3BucketLoggingEnabled'));
      expect(logging.map((a) => `${a.path}: ${a.id}`)).toEqual([]);
    });
  });
});

describe('compliance packs canary', () => {
  let app: App;
  let findings: NagFinding[];

  beforeAll(() => {
    // given: a bucket with no encryption settings, no TLS policy, no logging, no versioning
    app = newApp();
    new s3.Bucket(new Stack(app, 'Canary'), 'Bad');
    findings = nagFindings(app);
  });

  function rulesOf(pack: string): string[] {
    return findings.filter((f) => f.ruleName.startsWith(`${pack}-`)).map((f) => f.ruleName);
  }

  it('AwsSolutions reports the missing access logs (S1) and TLS (S10)', () => {
    expect(rulesOf('AwsSolutions')).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it.each(['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'])('%s reports missing logging, TLS and KMS encryption', (pack) => {
    expect(rulesOf(pack)).toEqual(expect.arrayContaining([
      `${pack}-S3BucketLoggingEnabled`, `${pack}-S3BucketSSLRequestsOnly`, `${pack}-S3DefaultEncryptionKMS`,
    ]));
  });

  it('NIST and HIPAA report the missing versioning', () => {
    expect(rulesOf('NIST.800.53.R5')).toContain('NIST.800.53.R5-S3BucketVersioningEnabled');
    expect(rulesOf('HIPAA.Security')).toContain('HIPAA.Security-S3BucketVersioningEnabled');
  });

  it('points at the bucket', () => {
    const s1 = findings.find((f) => f.ruleName === 'AwsSolutions-S1');
    expect(s1?.constructPaths).toEqual(['Canary/Bad/Resource']);
  });

  it('fails `cdk synth` when the packs are registered as validation plugins (as bin/app.ts does)', () => {
    const plugged = newApp();
    addCompliancePacks(plugged);
    new s3.Bucket(new Stack(plugged, 'Canary'), 'Bad');
    expect(() => plugged.synth()).toThrow(/AwsSolutions-S1/);
  });
});

describe('validation plugins', () => {
  it('synthesize the example with the packs registered as plugins, as the CDK app of cdk.json does', () => {
    // given
    const app = newApp();
    addCompliancePacks(app);
    buildSingleAccountApp(app);
    // then: a finding would make synth throw
    expect(() => app.synth()).not.toThrow();
  });
});
