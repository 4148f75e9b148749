import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LakeFormationSettings, LfTagOntology, LfTagOntologyProps } from '../../constructs';
import { CFN_MAX_VALUES_PER_TAG_RESOURCE, DEFAULT_CLASSIFICATION_VALUES, LF_MAX_TAG_LENGTH, LF_MAX_VALUES_PER_TAG } from '../../lib/defaults';
import { ProblemCollector, formatProblem } from '../../lib/errors';
import { ALLOW_DESTROY_CONTEXT_KEY } from '../../lib/private/removal';
import { ACCOUNT, ENV, expectProblem, newApp } from '../helpers/app';
import { describeFindings, nagFindings } from '../helpers/nag';
import { CfnTemplate, dependsOn, logicalIdOf, resourcesOfType } from '../helpers/template';

function ontologyStack(props: LfTagOntologyProps = {}, domains: readonly string[] = ['sales'], context: Record<string, unknown> = {}) {
  const app = newApp(context);
  const stack = new Stack(app, 'Gov', { env: ENV });
  const settings = new LakeFormationSettings(stack, 'Settings');
  const ontology = new LfTagOntology(stack, 'Ontology', props);
  for (const d of domains) ontology.addDomain(d);
  return { app, stack, settings, ontology };
}

function tagsByKey(json: CfnTemplate): Record<string, { id: string; resource: CfnTemplate['Resources'][string] }> {
  const out: Record<string, { id: string; resource: CfnTemplate['Resources'][string] }> = {};
  for (const [id, r] of [...resourcesOfType(json, 'AWS::LakeFormation::Tag'), ...resourcesOfType(json, 'Custom::LfTag')]) {
    out[r.Properties.TagKey] = { id, resource: r };
  }
  return out;
}

describe('LfTagOntology defaults', () => {
  let stack: Stack;
  let settings: LakeFormationSettings;
  let ontology: LfTagOntology;
  let json: CfnTemplate;

  beforeAll(() => {
    ({ stack, settings, ontology } = ontologyStack({}, []));
    // Domains join after the ontology was created: the domain tag renders lazily.
    ontology.addDomain('sales');
    ontology.addDomain('marketing');
    ontology.addDomain('sales');
    json = Template.fromStack(stack).toJSON() as CfnTemplate;
  });

  it('creates the classification LF-tag with the default values, least sensitive first', () => {
    const { resource } = tagsByKey(json).classification;
    expect(resource.Type).toBe('AWS::LakeFormation::Tag');
    expect(resource.Properties).toEqual({ CatalogId: ACCOUNT, TagKey: 'classification', TagValues: [...DEFAULT_CLASSIFICATION_VALUES] });
    expect(DEFAULT_CLASSIFICATION_VALUES).toEqual(['public', 'internal', 'confidential', 'pii']);
    expect(ontology.classificationValues).toEqual(DEFAULT_CLASSIFICATION_VALUES);
  });

  it('manages the domain LF-tag with a Custom::LfTag served by the settings\' admin function', () => {
    const { resource } = tagsByKey(json).domain;
    expect(resource.Type).toBe('Custom::LfTag');
    expect(resource.Properties.ServiceToken).toEqual(stack.resolve(settings.adminFunctionArn));
    expect(resource.Properties.CatalogId).toBe(ACCOUNT);
  });

  it('renders the domain values sorted and de-duplicated, including domains added after construction', () => {
    expect(tagsByKey(json).domain.resource.Properties.TagValues).toEqual(['marketing', 'sales']);
    expect(ontology.valuesOf('domain')).toEqual(['marketing', 'sales']);
  });

  it('retains every LF-tag (deleting one drops its assignments and grants)', () => {
    const tags = Object.values(tagsByKey(json));
    expect(tags).toHaveLength(2);
    for (const { resource } of tags) {
      expect(resource.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    }
  });

  it('creates every LF-tag after the Lake Formation settings (the admin function must be an admin first)', () => {
    const settingsId = logicalIdOf(settings.resource);
    for (const { resource } of Object.values(tagsByKey(json))) expect(dependsOn(resource)).toContain(settingsId);
  });

  it('exposes the resource of each key for dependencies, and refuses unknown keys', () => {
    const tags = tagsByKey(json);
    expect(logicalIdOf(ontology.tagResource('classification'))).toBe(tags.classification.id);
    expect(logicalIdOf(ontology.tagResource('domain'))).toBe(tags.domain.id);
    expect(CfnResource.isCfnResource(ontology.tagResource('domain'))).toBe(true);
    expect(() => ontology.tagResource('team')).toThrow('LF-tag "team" is not part of the ontology');
  });

  it('lists its keys sorted and the catalog it lives in', () => {
    expect(ontology.keys).toEqual(['classification', 'domain']);
    expect(ontology.catalogId).toBe(ACCOUNT);
    expect(ontology.settings).toBe(settings);
  });

  it('passes the compliance packs', () => {
    const findings = nagFindings(stack);
    expect(findings, describeFindings(findings)).toEqual([]);
  });
});

describe('LfTagOntology props', () => {
  it('uses custom classification values in the given order', () => {
    const { stack, ontology } = ontologyStack({ classificationValues: ['open', 'restricted', 'secret'] });
    const { resource } = tagsByKey(Template.fromStack(stack).toJSON() as CfnTemplate).classification;
    expect(resource.Properties.TagValues).toEqual(['open', 'restricted', 'secret']);
    expect(ontology.classificationsUpTo('restricted')).toEqual(['open', 'restricted']);
  });

  it('creates one AWS::LakeFormation::Tag per custom key, with its values', () => {
    // when
    const { stack, ontology } = ontologyStack({ tags: { team: ['core', 'growth'], 'cost-center': ['cc-1'] } });
    // then
    const tags = tagsByKey(Template.fromStack(stack).toJSON() as CfnTemplate);
    expect(tags.team.resource.Type).toBe('AWS::LakeFormation::Tag');
    expect(tags.team.resource.Properties).toEqual({ CatalogId: ACCOUNT, TagKey: 'team', TagValues: ['core', 'growth'] });
    expect(tags['cost-center'].resource.Properties.TagValues).toEqual(['cc-1']);
    expect(tags.team.resource.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(ontology.keys).toEqual(['classification', 'cost-center', 'domain', 'team']);
    expect(ontology.valuesOf('team')).toEqual(['core', 'growth']);
    expect(ontology.valuesOf('unknown')).toEqual([]);
  });

  it('starts the domain tag with the given domains', () => {
    const { stack } = ontologyStack({ domains: ['sales', 'finance'] }, ['finance', 'hr']);
    const tags = tagsByKey(Template.fromStack(stack).toJSON() as CfnTemplate);
    expect(tags.domain.resource.Properties.TagValues).toEqual(['finance', 'hr', 'sales']);
  });

  it('deletes the LF-tags with the stack only with DESTROY and the context flag, and warns', () => {
    // when
    const { stack } = ontologyStack({ removalPolicy: RemovalPolicy.DESTROY, tags: { team: ['core'] } }, ['sales'], { [ALLOW_DESTROY_CONTEXT_KEY]: true });
    // then
    const tags = Object.values(tagsByKey(Template.fromStack(stack).toJSON() as CfnTemplate));
    expect(tags).toHaveLength(3);
    for (const { resource } of tags) expect(resource.DeletionPolicy).toBe('Delete');
    Annotations.fromStack(stack).hasWarning('/Gov/Ontology', Match.stringLikeRegexp('removalPolicy is DESTROY.*\\[ack: cdk-data-mesh:destroy-enabled\\]'));
  });

  it('accepts exactly 50 values of 50 characters for a key', () => {
    const values = Array.from({ length: CFN_MAX_VALUES_PER_TAG_RESOURCE }, (_, i) => `${i}`.padStart(LF_MAX_TAG_LENGTH, 'v'));
    expect(() => ontologyStack({ tags: { team: values } })).not.toThrow();
  });
});

describe('LfTagOntology validation', () => {
  it('fails if a value has uppercase letters', () => {
    expectProblem(() => ontologyStack({ classificationValues: ['public', 'Internal'] }), {
      field: 'classificationValues[1]', rule: 'must be an LF-tag value of 1-50 lowercase characters', got: '"Internal"',
      fix: 'Use "internal": Lake Formation stores tags in lowercase.',
    });
  });

  it(`fails if a value is longer than ${LF_MAX_TAG_LENGTH} characters`, () => {
    const long = 'v'.repeat(LF_MAX_TAG_LENGTH + 1);
    expectProblem(() => ontologyStack({ tags: { team: ['core', long] } }), {
      field: 'tags.team[1]', rule: 'must be an LF-tag value of 1-50 lowercase characters', got: `"${long}"`, fix: 'Rename the tag value.',
    });
  });

  it(`fails if a key has more than ${CFN_MAX_VALUES_PER_TAG_RESOURCE} values`, () => {
    const values = Array.from({ length: CFN_MAX_VALUES_PER_TAG_RESOURCE + 1 }, (_, i) => `v${i}`);
    expectProblem(() => ontologyStack({ tags: { team: values } }), {
      field: 'tags.team', rule: 'must list at most 50 values (AWS::LakeFormation::Tag limit)', got: '"51 values"',
      fix: 'Reduce the values, or split them into more specific keys.',
    });
  });

  it('fails if a key has no values', () => {
    expectProblem(() => ontologyStack({ tags: { team: [] } }), {
      field: 'tags.team', rule: 'must list at least one value', got: '[]', fix: 'List the allowed values.',
    });
  });

  it('fails if a value is repeated', () => {
    expectProblem(() => ontologyStack({ tags: { team: ['core', 'growth', 'core'] } }), {
      field: 'tags.team[2]', rule: 'must not repeat a value', got: '"core"', fix: 'Remove the duplicate.',
    });
  });

  it('fails if a key breaks the LF-tag rules', () => {
    expectProblem(() => ontologyStack({ tags: { Team: ['core'] } }), {
      field: 'tags.Team', rule: 'must be an LF-tag key of 1-50 lowercase characters', got: '"Team"', fix: 'Use "team"',
    });
  });

  it('fails if the domain key is redefined', () => {
    expectProblem(() => ontologyStack({ tags: { domain: ['sales'] } }), {
      field: 'tags.domain', rule: 'is built in and cannot be redefined', got: '["sales"]',
      fix: 'Domain values come from the domains of the mesh; remove this key.',
    });
  });

  it('fails if the classification key is redefined', () => {
    expectProblem(() => ontologyStack({ tags: { classification: ['low', 'high'] } }), {
      field: 'tags.classification', rule: 'is built in and cannot be redefined', got: '["low","high"]', fix: 'Set classificationValues instead.',
    });
  });

  it('fails if an initial domain is not a domain name', () => {
    expectProblem(() => ontologyStack({ domains: ['sales', 'Marketing'] }), {
      field: 'domains[1]', rule: 'must be a domain name matching', got: '"Marketing"', fix: 'Use for example "marketing".',
    });
  });

  it('fails if a domain added later is not a domain name', () => {
    const { ontology } = ontologyStack();
    expectProblem(() => ontology.addDomain('sales-eu'), { field: 'domain', got: '"sales-eu"', fix: 'Use for example "sales_eu".' });
  });

  it('reports every problem of the props at once', () => {
    const { error } = expectProblem(() => ontologyStack({ classificationValues: ['A'], tags: { team: [], domain: ['x'] } }), { field: 'classificationValues[0]' });
    expect(error.problems).toHaveLength(3);
    expect(error.location).toBe('Gov/Ontology');
  });

  it('fails at synth if no domain was ever added', () => {
    const { app } = ontologyStack({}, []);
    expect(() => app.synth()).toThrow('`domain` LF-tag must have at least one value, got: nothing. Add a domain (DataDomain or ontology.addDomain).');
  });

  it(`accepts exactly ${LF_MAX_VALUES_PER_TAG} domains`, () => {
    const { app, ontology } = ontologyStack({}, []);
    for (let i = 0; i < LF_MAX_VALUES_PER_TAG; i++) ontology.addDomain(`d${i}`);
    expect(() => app.synth()).not.toThrow();
  });

  it(`fails at synth if the domain tag gets more than ${LF_MAX_VALUES_PER_TAG} values, following the message template`, () => {
    const { app, ontology } = ontologyStack({}, []);
    for (let i = 0; i <= LF_MAX_VALUES_PER_TAG; i++) ontology.addDomain(`d${i}`);
    expect(() => app.synth()).toThrow('Validation failed with the following errors:\n'
      + `  [Gov/Ontology] \`domain\` LF-tag must have at most ${LF_MAX_VALUES_PER_TAG} values (Lake Formation's limit), got: ${LF_MAX_VALUES_PER_TAG + 1} domains. Split the mesh.`);
  });

  it(`fails if removalPolicy is DESTROY without the context flag ${ALLOW_DESTROY_CONTEXT_KEY}, like the data resources`, () => {
    expectProblem(() => ontologyStack({ removalPolicy: RemovalPolicy.DESTROY }), {
      field: 'removalPolicy',
      rule: `is DESTROY, which also needs the context flag ${ALLOW_DESTROY_CONTEXT_KEY}=true`,
      got: '"destroy"',
      fix: `Confirm with \`cdk deploy -c ${ALLOW_DESTROY_CONTEXT_KEY}=true\`, or remove removalPolicy to keep the data.`,
    });
    expectProblem(() => ontologyStack({ removalPolicy: RemovalPolicy.DESTROY }, ['sales'], { [ALLOW_DESTROY_CONTEXT_KEY]: 'yes' }), { field: 'removalPolicy' });
  });

  it('fails if removalPolicy is SNAPSHOT', () => {
    expectProblem(() => ontologyStack({ removalPolicy: RemovalPolicy.SNAPSHOT }), {
      field: 'removalPolicy', rule: 'must be RETAIN or DESTROY for data resources', got: '"snapshot"',
    });
  });

  it('fails if there are no Lake Formation settings for its account and region', () => {
    const stack = new Stack(newApp(), 'Gov', { env: ENV });
    expectProblem(() => new LfTagOntology(stack, 'Ontology'), { field: 'lakeFormationSettings', got: 'nothing', rule: 'before an LfTagOntology is created' });
  });
});

describe('LfTagOntology.validateTagUse', () => {
  let ontology: LfTagOntology;
  beforeAll(() => {
    ({ ontology } = ontologyStack({ tags: { team: ['core', 'growth'] } }));
  });

  function use(key: string, value: unknown): string[] {
    const c = new ProblemCollector();
    ontology.validateTagUse(c, `tags.${key}`, key, value);
    return c.list.map(formatProblem);
  }

  it('accepts allowed values of declared keys and any domain', () => {
    expect(use('team', 'core')).toEqual([]);
    expect(use('classification', 'pii')).toEqual([]);
    expect(use('domain', 'sales')).toEqual([]);
  });

  it('fails if the key is not in the ontology, listing the keys', () => {
    expect(use('owner', 'x')).toEqual([
      '`tags.owner` must use an LF-tag key of the ontology (classification, domain, team), got: "owner". Add the key to the ontology\'s tags, or fix the key.',
    ]);
  });

  it('fails if the value is not allowed for the key, listing the values', () => {
    expect(use('team', 'platform')).toEqual([
      '`tags.team` must be a value of LF-tag "team" (core, growth), got: "platform". Use an allowed value, or add it to the "team" LF-tag of the ontology.',
    ]);
    expect(use('classification', 'secret')).toHaveLength(1);
  });

  it('fails if the value is not a string, also for the domain key', () => {
    expect(use('team', 1)).toEqual([expect.stringContaining('got: 1.')]);
    expect(use('domain', undefined)).toEqual([expect.stringContaining('`tags.domain` must be a value of LF-tag "domain" (sales), got: nothing.')]);
  });
});

describe('LfTagOntology.classificationsUpTo', () => {
  it('returns the values up to and including the given one, in sensitivity order', () => {
    const { ontology } = ontologyStack();
    expect(ontology.classificationsUpTo('public')).toEqual(['public']);
    expect(ontology.classificationsUpTo('confidential')).toEqual(['public', 'internal', 'confidential']);
    expect(ontology.classificationsUpTo('pii')).toEqual(DEFAULT_CLASSIFICATION_VALUES);
    expect(ontology.classificationsUpTo('unknown')).toEqual([]);
  });
});
