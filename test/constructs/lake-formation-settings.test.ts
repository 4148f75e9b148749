import { DefaultStackSynthesizer, LegacyStackSynthesizer, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAKE_FORMATION_ADMIN_FUNCTION_NAME, LakeFormationSettings } from '../../constructs';
import { DEFAULT_CROSS_ACCOUNT_VERSION, DEFAULT_LOG_RETENTION_DAYS, SUPPORTED_CROSS_ACCOUNT_VERSIONS } from '../../lib/defaults';
import { GLUE_DEFAULT_DATABASE_ACTIONS, IAM_PRINCIPAL_LOOKUP_ACTIONS, LF_ADMINS_RECORD_ACTIONS, LF_SETTINGS_ACTIONS, LF_TAG_ACTIONS } from '../../lib/perms';
import { ACCOUNT, ENV, REGION, captureValidationError, expectProblem, newApp } from '../helpers/app';
import { describeFindings, nagFindings } from '../helpers/nag';
import { CfnTemplate, Json, actionsOf, literalPlaceholders, logicalIdOf, resourcesOfType, subTemplates } from '../helpers/template';

const EXEC_ROLE_SUB = `arn:\${AWS::Partition}:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`;

function settingsStack(props: ConstructorParameters<typeof LakeFormationSettings>[2] = {}, stackProps: { env?: typeof ENV | undefined; synthesizer?: DefaultStackSynthesizer | LegacyStackSynthesizer } = { env: ENV }) {
  const app = newApp();
  const stack = new Stack(app, 'Lf', stackProps);
  const settings = new LakeFormationSettings(stack, 'Settings', props);
  return { app, stack, settings };
}

function settingsResource(template: Template): { id: string; resource: Json } {
  const found = template.findResources('Custom::LakeFormationSettings');
  const ids = Object.keys(found);
  expect(ids).toHaveLength(1);
  return { id: ids[0], resource: found[ids[0]] };
}

describe('LakeFormationSettings defaults', () => {
  let stack: Stack;
  let settings: LakeFormationSettings;
  let template: Template;
  let json: CfnTemplate;

  beforeAll(() => {
    ({ stack, settings } = settingsStack());
    template = Template.fromStack(stack);
    json = template.toJSON() as CfnTemplate;
  });

  it('creates one Custom::LakeFormationSettings for the account, served by the admin function', () => {
    const { resource } = settingsResource(template);
    expect(resource.Properties.CatalogId).toBe(ACCOUNT);
    expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [logicalIdOf(settings.node.findChild('Handler')), 'Arn'] });
  });

  it('makes the CDK execution role an admin through Fn::Sub, and the admin function\'s own role', () => {
    const { resource } = settingsResource(template);
    const handlerRoleId = logicalIdOf(settings.node.findChild('Handler').node.findChild('Role'));
    expect(resource.Properties.Admins).toEqual([
      { 'Fn::Sub': EXEC_ROLE_SUB },
      { 'Fn::GetAtt': [handlerRoleId, 'Arn'] },
    ]);
    expect(settings.adminArns).toHaveLength(2);
  });

  it('never leaves ${AWS::Partition} as literal text outside Fn::Sub', () => {
    expect(subTemplates(json)).toContain(EXEC_ROLE_SUB);
    expect(literalPlaceholders(json)).toEqual([]);
    expect(JSON.stringify(json)).not.toContain('arn:aws:');
  });

  it(`writes cross-account version "${DEFAULT_CROSS_ACCOUNT_VERSION}" as a string`, () => {
    expect(settingsResource(template).resource.Properties.CrossAccountVersion).toBe(String(DEFAULT_CROSS_ACCOUNT_VERSION));
    expect(settings.crossAccountVersion).toBe(4);
  });

  it('is retained when removed from the stack', () => {
    const { resource } = settingsResource(template);
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });

  it('names the admin function deterministically and exposes its ARN for other stacks', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: LAKE_FORMATION_ADMIN_FUNCTION_NAME });
    expect(stack.resolve(settings.adminFunctionArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:lambda:${REGION}:${ACCOUNT}:function:${LAKE_FORMATION_ADMIN_FUNCTION_NAME}`]],
    });
  });

  it('gives the function a customer managed policy only: no inline policy, no AWS managed policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const roles = resourcesOfType(json, 'AWS::IAM::Role');
    expect(roles).toHaveLength(1);
    const [, role] = roles[0];
    expect(role.Properties.Policies).toBeUndefined();
    const policies = resourcesOfType(json, 'AWS::IAM::ManagedPolicy');
    expect(policies).toHaveLength(1);
    expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: policies[0][0] }]);
    expect(JSON.stringify(json)).not.toMatch(/:iam::aws:policy\//);
  });

  it('allows the function only the Lake Formation settings and LF-tag actions, its own record, IAM lookups and writing its own log group', () => {
    const [, policy] = resourcesOfType(json, 'AWS::IAM::ManagedPolicy')[0];
    const statements: Json[] = policy.Properties.PolicyDocument.Statement;
    const lf = statements.find((s) => actionsOf(s).some((a) => a.startsWith('lakeformation:')));
    expect(new Set(actionsOf(lf))).toEqual(new Set([...LF_SETTINGS_ACTIONS, ...LF_TAG_ACTIONS]));
    const ssm = statements.find((s) => actionsOf(s).some((a) => a.startsWith('ssm:')));
    expect(new Set(actionsOf(ssm))).toEqual(new Set(LF_ADMINS_RECORD_ACTIONS));
    expect(JSON.stringify(stack.resolve(ssm.Resource))).toContain(`:ssm:${REGION}:${ACCOUNT}:parameter/cdk-data-mesh/_default/${REGION}/lakeformation-admins-added`);
    const iamLookup = statements.find((s) => actionsOf(s).some((a) => a.startsWith('iam:')));
    expect(new Set(actionsOf(iamLookup))).toEqual(new Set(IAM_PRINCIPAL_LOOKUP_ACTIONS));
    expect(JSON.stringify(iamLookup.Resource)).toContain(`:iam::${ACCOUNT}:role/*`);
    const logs = statements.find((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
    const [logGroupId] = resourcesOfType(json, 'AWS::Logs::LogGroup')[0];
    expect(logs.Resource).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    // The catalog's `default` database, created when missing (Athena needs DESCRIBE on it), and nothing else of Glue.
    const glue = statements.find((s) => actionsOf(s).some((a) => a.startsWith('glue:')));
    expect(new Set(actionsOf(glue))).toEqual(new Set(GLUE_DEFAULT_DATABASE_ACTIONS));
    const glueResources = JSON.stringify(stack.resolve(glue.Resource));
    expect(glueResources).toContain(`:glue:${REGION}:${ACCOUNT}:catalog`);
    expect(glueResources).toContain(`:glue:${REGION}:${ACCOUNT}:database/default`);
    expect(glueResources).not.toContain('*');
    expect(statements).toHaveLength(5);
  });

  it('fixes the admin set at deploy time in the function environment, with its record parameter and own role', () => {
    const fn = resourcesOfType(json, 'AWS::Lambda::Function')[0][1];
    const env = fn.Properties.Environment.Variables;
    const { resource } = settingsResource(template);
    expect(JSON.stringify(env.ADMIN_ARNS)).toContain(JSON.stringify(resource.Properties.Admins[1]).slice(1, -1));
    expect(JSON.stringify(env.ADMIN_ARNS)).toContain('cdk-hnb659fds-cfn-exec-role');
    expect(env.ADMINS_RECORD_PARAMETER).toBe(`/cdk-data-mesh/_default/${REGION}/lakeformation-admins-added`);
    expect(env.HANDLER_ROLE_ARN).toEqual(resource.Properties.Admins[1]);
  });

  it('gives the function role a stable name, so a redeploy after a teardown names the same admin', () => {
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: `cdk-data-mesh-lf-admin-${REGION}` });
  });

  it('sets ServiceTimeout to the function timeout plus a minute, so CloudFormation never waits an hour', () => {
    const { resource } = settingsResource(template);
    const fn = resourcesOfType(json, 'AWS::Lambda::Function')[0][1];
    expect(resource.Properties.ServiceTimeout).toBe(String(fn.Properties.Timeout + 60));
    expect(settings.adminServiceTimeout.toSeconds()).toBe(fn.Properties.Timeout + 60);
  });

  it(`encrypts the function's log group with a rotating, retained key and keeps events ${DEFAULT_LOG_RETENTION_DAYS} days`, () => {
    const [[logGroupId, logGroup]] = resourcesOfType(json, 'AWS::Logs::LogGroup');
    const [[keyId, key]] = resourcesOfType(json, 'AWS::KMS::Key');
    expect(logGroup.Properties.RetentionInDays).toBe(DEFAULT_LOG_RETENTION_DAYS);
    expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(logGroup.DeletionPolicy).toBe('Retain');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroupId } } });
  });

  it('lets CloudWatch Logs use the log key only for log groups of this account and region', () => {
    const [[, key]] = resourcesOfType(json, 'AWS::KMS::Key');
    const logs = (key.Properties.KeyPolicy.Statement as Json[]).find((s) => s.Principal?.Service === `logs.${REGION}.amazonaws.com`);
    expect(logs).toBeDefined();
    expect(JSON.stringify(logs.Condition)).toContain(`:logs:${REGION}:${ACCOUNT}:log-group:*`);
  });

  it('passes the compliance packs', () => {
    const findings = nagFindings(stack);
    expect(findings, describeFindings(findings)).toEqual([]);
  });
});

describe('LakeFormationSettings props', () => {
  it.each(SUPPORTED_CROSS_ACCOUNT_VERSIONS.map((v) => [v]))('writes cross-account version %d', (version) => {
    const { stack } = settingsStack({ crossAccountVersion: version });
    Template.fromStack(stack).hasResourceProperties('Custom::LakeFormationSettings', { CrossAccountVersion: String(version) });
  });

  it.each([[2], [6], [4.5]])('fails if the cross-account version is %d', (version) => {
    expectProblem(() => settingsStack({ crossAccountVersion: version }), {
      field: 'crossAccountVersion',
      rule: 'must be one of 3, 4, 5',
      got: String(version),
      fix: 'Use 4 (the default)',
    });
  });

  it('makes extra roles admins, after the execution role', () => {
    // given
    const app = newApp();
    const stack = new Stack(app, 'Lf', { env: ENV });
    const own = new iam.Role(stack, 'Steward', { assumedBy: new iam.AccountRootPrincipal() });
    const imported = iam.Role.fromRoleArn(stack, 'Imported', `arn:aws:iam::${ACCOUNT}:role/platform-admin`);
    // when
    new LakeFormationSettings(stack, 'Settings', { admins: [own, imported] });
    // then
    const { resource } = settingsResource(Template.fromStack(stack));
    const admins: Json[] = resource.Properties.Admins;
    expect(admins).toHaveLength(4);
    expect(admins[0]).toEqual({ 'Fn::Sub': EXEC_ROLE_SUB });
    expect(admins[1]).toEqual({ 'Fn::GetAtt': [logicalIdOf(own), 'Arn'] });
    expect(admins[2]).toBe(`arn:aws:iam::${ACCOUNT}:role/platform-admin`);
  });

  it('leaves the execution role out when asked, keeping the given admins', () => {
    // given
    const app = newApp();
    const stack = new Stack(app, 'Lf', { env: ENV });
    const admin = new iam.Role(stack, 'Deployer', { assumedBy: new iam.AccountRootPrincipal() });
    // when
    new LakeFormationSettings(stack, 'Settings', { includeCdkExecutionRole: false, admins: [admin] });
    // then
    const json = Template.fromStack(stack).toJSON();
    expect(subTemplates(json)).toEqual([]);
    expect(settingsResource(Template.fromStack(stack)).resource.Properties.Admins[0]).toEqual({ 'Fn::GetAtt': [logicalIdOf(admin), 'Arn'] });
  });

  it('fails if no administrator would be left', () => {
    expectProblem(() => settingsStack({ includeCdkExecutionRole: false }), {
      field: 'admins',
      rule: 'must name at least one administrator',
      got: '[]',
      fix: 'Keep includeCdkExecutionRole on or pass admin roles.',
    });
  });

  it('follows a custom bootstrap qualifier', () => {
    const { stack } = settingsStack({}, { env: ENV, synthesizer: new DefaultStackSynthesizer({ qualifier: 'mesh42' }) });
    expect(subTemplates(Template.fromStack(stack).toJSON())).toContain(
      `arn:\${AWS::Partition}:iam::${ACCOUNT}:role/cdk-mesh42-cfn-exec-role-${ACCOUNT}-${REGION}`);
  });

  it('fails if the synthesizer has no known execution role, unless it is left out', () => {
    expectProblem(() => settingsStack({}, { env: ENV, synthesizer: new LegacyStackSynthesizer() }), {
      field: 'includeCdkExecutionRole',
      rule: 'needs a stack using DefaultStackSynthesizer',
      got: '"LegacyStackSynthesizer"',
      fix: 'Set includeCdkExecutionRole: false and pass the deploying role in `admins`.',
    });
    const app = newApp();
    const stack = new Stack(app, 'Lf', { env: ENV, synthesizer: new LegacyStackSynthesizer() });
    const admin = iam.Role.fromRoleName(stack, 'Admin', 'deployer');
    expect(() => new LakeFormationSettings(stack, 'Settings', { includeCdkExecutionRole: false, admins: [admin] })).not.toThrow();
  });

  it('can remove its admins on delete when asked', () => {
    const { stack } = settingsStack({ removalPolicy: RemovalPolicy.DESTROY });
    expect(settingsResource(Template.fromStack(stack)).resource.DeletionPolicy).toBe('Delete');
  });

  it('fails if the removal policy is SNAPSHOT', () => {
    expectProblem(() => settingsStack({ removalPolicy: RemovalPolicy.SNAPSHOT }), {
      field: 'removalPolicy', rule: 'must be RETAIN or DESTROY', got: '"snapshot"', fix: 'Use RemovalPolicy.RETAIN (default)',
    });
  });
});

describe('LakeFormationSettings per mesh', () => {
  it('names the function, its role and its record after the mesh, and adminFunctionArn follows', () => {
    const { stack, settings } = settingsStack({ meshName: 'acme-mesh' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'acme-mesh-lakeformation-admin' });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: `acme-mesh-lf-admin-${REGION}` });
    expect(JSON.stringify(stack.resolve(settings.adminFunctionArn))).toContain(':function:acme-mesh-lakeformation-admin');
    const fn = resourcesOfType(template.toJSON() as CfnTemplate, 'AWS::Lambda::Function')[0][1];
    expect(fn.Properties.Environment.Variables.ADMINS_RECORD_PARAMETER).toBe(`/cdk-data-mesh/acme-mesh/${REGION}/lakeformation-admins-added`);
  });

  it('keeps role names within IAM\'s 64 characters for the longest mesh name and region', () => {
    const app = newApp();
    const stack = new Stack(app, 'Lf', { env: { account: ACCOUNT, region: 'ap-southeast-4' } });
    new LakeFormationSettings(stack, 'Settings', { meshName: 'a'.repeat(20) });
    const roles = resourcesOfType(Template.fromStack(stack).toJSON() as CfnTemplate, 'AWS::IAM::Role');
    for (const [, role] of roles) expect(String(role.Properties.RoleName).length).toBeLessThanOrEqual(64);
  });

  it('fails if the mesh name is not a mesh name', () => {
    expectProblem(() => settingsStack({ meshName: 'Acme Mesh' }), {
      field: 'meshName', rule: 'must be 2-20 characters', got: '"Acme Mesh"', fix: 'pick a short name',
    });
  });
});

describe('LakeFormationSettings token handling', () => {
  it('in an environment-agnostic stack, takes account and region from pseudo parameters through Fn::Sub', () => {
    // given / when
    const { stack } = settingsStack({}, { env: undefined });
    // then
    const template = Template.fromStack(stack);
    const json = template.toJSON();
    const { resource } = settingsResource(template);
    expect(resource.Properties.CatalogId).toEqual({ Ref: 'AWS::AccountId' });
    expect(resource.Properties.Admins[0]).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}',
    });
    expect(literalPlaceholders(json)).toEqual([]);
  });
});

describe('LakeFormationSettings is a singleton per account and region', () => {
  it('fails if a second one is created for the same account and region in another stack, naming both paths', () => {
    // given
    const app = newApp();
    new LakeFormationSettings(new Stack(app, 'First', { env: ENV }), 'Settings');
    const second = new Stack(app, 'Second', { env: ENV });
    // when
    const error = captureValidationError(() => new LakeFormationSettings(second, 'Settings'));
    // then
    expect(error.location).toBe('Second/Settings');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toBe(`\`LakeFormationSettings\` must be the only one for account ${ACCOUNT} and region ${REGION} (one already exists at First/Settings), `
      + 'got: "Second/Settings". Remove one of them; every stack of that account and region shares the single settings resource.');
  });

  it('fails if the second one is in the same stack', () => {
    const { stack } = settingsStack();
    const error = captureValidationError(() => new LakeFormationSettings(stack, 'Again'));
    expect(error.message).toContain('Lf/Settings');
    expect(error.message).toContain('Lf/Again');
  });

  it('fails if the second one is nested in a stage of the same app', () => {
    const app = newApp();
    new LakeFormationSettings(new Stack(app, 'Root', { env: ENV }), 'Settings');
    const nested = new Stack(new Stage(app, 'Beta'), 'Lf', { env: ENV });
    const error = captureValidationError(() => new LakeFormationSettings(nested, 'Settings'));
    expect(error.message).toContain('Root/Settings');
    expect(error.message).toContain('Beta/Lf/Settings');
  });

  it('fails if two environment-agnostic stacks each create one', () => {
    const app = newApp();
    new LakeFormationSettings(new Stack(app, 'A'), 'Settings');
    expect(() => new LakeFormationSettings(new Stack(app, 'B'), 'Settings')).toThrow(/A\/Settings/);
  });

  it('allows one per region and one per account', () => {
    // given
    const app = newApp();
    const ireland = new LakeFormationSettings(new Stack(app, 'Ireland', { env: ENV }), 'Settings');
    // when
    const frankfurt = new LakeFormationSettings(new Stack(app, 'Frankfurt', { env: { account: ACCOUNT, region: 'eu-central-1' } }), 'Settings');
    const other = new LakeFormationSettings(new Stack(app, 'Other', { env: { account: '222222222222', region: REGION } }), 'Settings');
    // then
    expect(new Set([ireland, frankfurt, other]).size).toBe(3);
    expect(() => app.synth()).not.toThrow();
  });

  it('is found with of() from any construct of a stack in the same account and region', () => {
    // given
    const app = newApp();
    const settings = new LakeFormationSettings(new Stack(app, 'Lf', { env: ENV }), 'Settings');
    const elsewhere = new Construct(new Stack(app, 'Domain', { env: ENV }), 'Deep');
    const otherRegion = new Stack(app, 'Us', { env: { account: ACCOUNT, region: 'us-east-1' } });
    // then
    expect(LakeFormationSettings.of(elsewhere)).toBe(settings);
    expect(LakeFormationSettings.require(elsewhere, 'a test')).toBe(settings);
    expect(LakeFormationSettings.of(otherRegion)).toBeUndefined();
    expect(LakeFormationSettings.of(new Stack(newApp(), 'Lf', { env: ENV }))).toBeUndefined();
  });

  it('fails in require() when there is none, naming the account, the region and who needs it', () => {
    const app = newApp();
    const stack = new Stack(app, 'Us', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const { error } = expectProblem(() => LakeFormationSettings.require(stack, 'DataDomain "sales"'), {
      field: 'lakeFormationSettings',
      rule: `must exist for account ${ACCOUNT} and region us-east-1 before DataDomain "sales" is created`,
      got: 'nothing',
      fix: 'Create `new LakeFormationSettings(...)` in a stack of that account and region first',
    });
    expect(error.location).toBe('Us');
  });

  it('is not registered when its validation fails, so a corrected retry succeeds', () => {
    const app = newApp();
    const stack = new Stack(app, 'Lf', { env: ENV });
    expect(() => new LakeFormationSettings(stack, 'Bad', { crossAccountVersion: 1 })).toThrow();
    expect(LakeFormationSettings.of(stack)).toBeUndefined();
    expect(() => new LakeFormationSettings(stack, 'Good')).not.toThrow();
  });
});

describe('LakeFormationSettings admin function depends on its policy', () => {
  it('creates the function after its managed policy, so the first invocation is authorized', () => {
    const { stack, settings } = settingsStack();
    const json = Template.fromStack(stack).toJSON() as CfnTemplate;
    const [[policyId]] = resourcesOfType(json, 'AWS::IAM::ManagedPolicy');
    const fn = json.Resources[logicalIdOf(settings.node.findChild('Handler'))];
    expect(fn.DependsOn).toEqual(expect.arrayContaining([policyId]));
  });
});
