import { App, Aws, CfnCondition, CfnParameter, CfnResource, CustomResource, Fn, Lazy, Stack, Validations } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { LakeFormationSettings } from '../../constructs';
import { DataMeshChecks } from '../../lib/nag';
import { ACCOUNT, OTHER_ACCOUNT, expectCompliant, expectFlagged, newStack } from './nag-test-utils';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/analyst`;

function grant(scope: Construct, id: string, overrides: Partial<lakeformation.CfnPrincipalPermissionsProps> = {}): lakeformation.CfnPrincipalPermissions {
  return new lakeformation.CfnPrincipalPermissions(scope, id, {
    principal: { dataLakePrincipalIdentifier: ROLE },
    resource: { database: { catalogId: ACCOUNT, name: 'sales_orders' } },
    permissions: ['DESCRIBE'],
    permissionsWithGrantOption: [],
    ...overrides,
  });
}

function tagGrant(scope: Construct, id: string, expression: lakeformation.CfnPrincipalPermissions.LFTagProperty[] | unknown): lakeformation.CfnPrincipalPermissions {
  return grant(scope, id, {
    resource: { lfTagPolicy: { catalogId: ACCOUNT, resourceType: 'TABLE', expression: expression as lakeformation.CfnPrincipalPermissions.LFTagProperty[] } },
    permissions: ['SELECT'],
  });
}

function settings(scope: Construct, id: string, props: Partial<lakeformation.CfnDataLakeSettingsProps> = {}): lakeformation.CfnDataLakeSettings {
  return new lakeformation.CfnDataLakeSettings(scope, id, {
    admins: [{ dataLakePrincipalIdentifier: ROLE }],
    createDatabaseDefaultPermissions: [],
    createTableDefaultPermissions: [],
    mutationType: 'APPEND',
    parameters: { CROSS_ACCOUNT_VERSION: '4' },
    ...props,
  });
}

function customSettings(scope: Construct, id: string, properties: Record<string, unknown>): CfnResource {
  return new CfnResource(scope, id, {
    type: 'Custom::LakeFormationSettings',
    properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:admin', CatalogId: ACCOUNT, ...properties },
  });
}

function database(scope: Construct, id: string, name: string): glue.CfnDatabase {
  return new glue.CfnDatabase(scope, id, { catalogId: ACCOUNT, databaseInput: { name, createTableDefaultPermissions: [] } });
}

function lfTag(scope: Construct, id: string, key: string, values: string[] = ['public', 'internal']): lakeformation.CfnTag {
  return new lakeformation.CfnTag(scope, id, { catalogId: ACCOUNT, tagKey: key, tagValues: values });
}

function association(scope: Construct, id: string, tags: Record<string, string[]>,
  resource: lakeformation.CfnTagAssociation.ResourceProperty = { database: { catalogId: ACCOUNT, name: 'sales_orders' } }): lakeformation.CfnTagAssociation {
  return new lakeformation.CfnTagAssociation(scope, id, {
    resource,
    lfTags: Object.entries(tags).map(([tagKey, tagValues]) => ({ catalogId: ACCOUNT, tagKey, tagValues })),
  });
}

describe('DataMesh-LakeFormationNoLegacyPermissions', () => {
  const id = 'DataMesh-LakeFormationNoLegacyPermissions';

  it('compliant: a grant with AWS::LakeFormation::PrincipalPermissions', () => {
    const { stack } = newStack();
    grant(stack, 'Grant');
    expectCompliant(stack, id);
  });

  it('non-compliant: a grant with the legacy AWS::LakeFormation::Permissions', () => {
    const { stack } = newStack();
    new lakeformation.CfnPermissions(stack, 'Legacy', {
      dataLakePrincipal: { dataLakePrincipalIdentifier: ROLE },
      resource: { databaseResource: { catalogId: ACCOUNT, name: 'sales_orders' } },
      permissions: ['DESCRIBE'],
    });
    expectFlagged(stack, id, ['Test/Legacy']);
  });
});

describe('DataMesh-LakeFormationSettingsNoDefaultPermissions', () => {
  const id = 'DataMesh-LakeFormationSettingsNoDefaultPermissions';

  it('compliant: both default-permission lists are empty', () => {
    const { stack } = newStack();
    settings(stack, 'Settings');
    expectCompliant(stack, id);
  });

  it('non-compliant: the default-permission lists are left out', () => {
    const { stack } = newStack();
    settings(stack, 'Settings', { createDatabaseDefaultPermissions: undefined, createTableDefaultPermissions: undefined });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('non-compliant: new tables grant IAM_ALLOWED_PRINCIPALS', () => {
    const { stack } = newStack();
    settings(stack, 'Settings', {
      createTableDefaultPermissions: [{ principal: { dataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, permissions: ['ALL'] }],
    });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('compliant: a list given by an intrinsic cannot be judged and passes', () => {
    const { stack } = newStack();
    const condition = new CfnCondition(stack, 'Strict', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    settings(stack, 'Settings', { createTableDefaultPermissions: Fn.conditionIf(condition.logicalId, [], Aws.NO_VALUE) as never });
    expectCompliant(stack, id);
  });

  it('not applicable: the toolkit settings custom resource always writes empty lists', () => {
    const { stack } = newStack();
    new LakeFormationSettings(stack, 'Settings');
    expectCompliant(stack, id);
  });
});

describe('DataMesh-LakeFormationSettingsAppendAdmins', () => {
  const id = 'DataMesh-LakeFormationSettingsAppendAdmins';

  it('compliant: MutationType APPEND', () => {
    const { stack } = newStack();
    settings(stack, 'Settings');
    expectCompliant(stack, id);
  });

  it('non-compliant: MutationType left out (the settings are replaced)', () => {
    const { stack } = newStack();
    settings(stack, 'Settings', { mutationType: undefined });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('non-compliant: MutationType REPLACE', () => {
    const { stack } = newStack();
    settings(stack, 'Settings', { mutationType: 'REPLACE' });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('compliant: MutationType from a parameter cannot be judged and passes', () => {
    const { stack } = newStack();
    settings(stack, 'Settings', { mutationType: new CfnParameter(stack, 'Mode').valueAsString });
    expectCompliant(stack, id);
  });
});

describe('DataMesh-LakeFormationSettingsCrossAccountVersion', () => {
  const id = 'DataMesh-LakeFormationSettingsCrossAccountVersion';

  it('compliant: Parameters.CROSS_ACCOUNT_VERSION "4"', () => {
    const { stack } = newStack();
    settings(stack, 'Settings');
    expectCompliant(stack, id);
  });

  it('compliant: no Parameters at all', () => {
    const { stack } = newStack();
    settings(stack, 'Settings', { parameters: undefined });
    expectCompliant(stack, id);
  });

  it('non-compliant: the documented key CrossAccountVersion, which the service rejects', () => {
    const { stack } = newStack();
    settings(stack, 'Settings', { parameters: { CrossAccountVersion: '4' } });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('non-compliant: another spelling (cross_account_version)', () => {
    const { stack } = newStack();
    settings(stack, 'Settings', { parameters: { cross_account_version: '4' } });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('non-compliant: version 1 cannot grant to IAM roles of other accounts', () => {
    const { stack } = newStack();
    settings(stack, 'Settings', { parameters: { CROSS_ACCOUNT_VERSION: '1' } });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('compliant: the toolkit settings (Custom::LakeFormationSettings) with the default version', () => {
    const { stack } = newStack();
    new LakeFormationSettings(stack, 'Settings');
    expectCompliant(stack, id);
  });

  it('non-compliant: Custom::LakeFormationSettings with version 2', () => {
    const { stack } = newStack();
    customSettings(stack, 'Settings', { Admins: [ROLE], CrossAccountVersion: '2' });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('non-compliant: Custom::LakeFormationSettings without a version', () => {
    const { stack } = newStack();
    customSettings(stack, 'Settings', { Admins: [ROLE] });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('compliant: Custom::LakeFormationSettings with a version from a parameter', () => {
    const { stack } = newStack();
    customSettings(stack, 'Settings', { Admins: [ROLE], CrossAccountVersion: new CfnParameter(stack, 'Version').valueAsString });
    expectCompliant(stack, id);
  });
});

describe('DataMesh-LakeFormationSettingsAdmins', () => {
  const id = 'DataMesh-LakeFormationSettingsAdmins';

  it('compliant: the toolkit settings name the CDK execution role and the handler role', () => {
    const { stack } = newStack();
    new LakeFormationSettings(stack, 'Settings');
    expectCompliant(stack, id);
  });

  it('non-compliant: Custom::LakeFormationSettings with no admin', () => {
    const { stack } = newStack();
    customSettings(stack, 'Settings', { Admins: [], CrossAccountVersion: '4' });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('non-compliant: Custom::LakeFormationSettings with a blank admin', () => {
    const { stack } = newStack();
    customSettings(stack, 'Settings', { Admins: [' '], CrossAccountVersion: '4' });
    expectFlagged(stack, id, ['Test/Settings']);
  });

  it('compliant: admins given by an intrinsic cannot be judged and pass', () => {
    const { stack } = newStack();
    customSettings(stack, 'Settings', { Admins: new CfnParameter(stack, 'Admins', { type: 'CommaDelimitedList' }).valueAsList, CrossAccountVersion: '4' });
    expectCompliant(stack, id);
  });
});

describe('DataMesh-LakeFormationTagValid', () => {
  const id = 'DataMesh-LakeFormationTagValid';

  it('compliant: lowercase key and values', () => {
    const { stack } = newStack();
    lfTag(stack, 'Tag', 'classification', ['public', 'internal', 'confidential', 'pii']);
    expectCompliant(stack, id);
  });

  it('non-compliant: an uppercase key', () => {
    const { stack } = newStack();
    lfTag(stack, 'Tag', 'Classification');
    expectFlagged(stack, id, ['Test/Tag']);
  });

  it('non-compliant: a repeated value', () => {
    const { stack } = newStack();
    lfTag(stack, 'Tag', 'classification', ['public', 'public']);
    expectFlagged(stack, id, ['Test/Tag']);
  });

  it('non-compliant: 51 values in one AWS::LakeFormation::Tag', () => {
    const { stack } = newStack();
    lfTag(stack, 'Tag', 'team', Array.from({ length: 51 }, (_, i) => `team${i}`));
    expectFlagged(stack, id, ['Test/Tag']);
  });

  it('compliant: 60 values in a Custom::LfTag (which adds them in batches)', () => {
    const { stack } = newStack();
    new CfnResource(stack, 'Tag', {
      type: 'Custom::LfTag',
      properties: { ServiceToken: 'arn', CatalogId: ACCOUNT, TagKey: 'domain', TagValues: Array.from({ length: 60 }, (_, i) => `d${i}`) },
    });
    expectCompliant(stack, id);
  });

  it('non-compliant: a Custom::LfTag without values', () => {
    const { stack } = newStack();
    new CfnResource(stack, 'Tag', {
      type: 'Custom::LfTag',
      properties: { ServiceToken: 'arn', CatalogId: ACCOUNT, TagKey: 'domain', TagValues: Lazy.list({ produce: () => [] }) },
    });
    expectFlagged(stack, id, ['Test/Tag']);
  });
});

describe('DataMesh-LakeFormationTagAssociationValid', () => {
  const id = 'DataMesh-LakeFormationTagAssociationValid';

  it('compliant: one database, one lowercase value per key, every CatalogId set', () => {
    const { stack } = newStack();
    association(stack, 'Tags', { domain: ['sales'], classification: ['internal'] });
    expectCompliant(stack, id);
  });

  it('compliant: CatalogId from AWS::AccountId in an environment-agnostic stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    new lakeformation.CfnTagAssociation(stack, 'Tags', {
      resource: { table: { catalogId: stack.account, databaseName: 'sales_orders', name: 'lines' } },
      lfTags: [{ catalogId: stack.account, tagKey: 'classification', tagValues: ['pii'] }],
    });
    expectCompliant(stack, id);
  });

  it('non-compliant: two resource kinds in one association', () => {
    const { stack } = newStack();
    association(stack, 'Tags', { domain: ['sales'] }, {
      database: { catalogId: ACCOUNT, name: 'sales_orders' },
      table: { catalogId: ACCOUNT, databaseName: 'sales_orders', name: 'lines' },
    });
    expectFlagged(stack, id, ['Test/Tags']);
  });

  it('non-compliant: two values of one key', () => {
    const { stack } = newStack();
    association(stack, 'Tags', { classification: ['internal', 'pii'] });
    expectFlagged(stack, id, ['Test/Tags']);
  });

  it('non-compliant: an uppercase value', () => {
    const { stack } = newStack();
    association(stack, 'Tags', { domain: ['Sales'] });
    expectFlagged(stack, id, ['Test/Tags']);
  });

  it('non-compliant: a key listed twice', () => {
    const { stack } = newStack();
    new lakeformation.CfnTagAssociation(stack, 'Tags', {
      resource: { database: { catalogId: ACCOUNT, name: 'sales_orders' } },
      lfTags: [{ catalogId: ACCOUNT, tagKey: 'domain', tagValues: ['sales'] }, { catalogId: ACCOUNT, tagKey: 'domain', tagValues: ['marketing'] }],
    });
    expectFlagged(stack, id, ['Test/Tags']);
  });

  it('non-compliant: an LF-tag without CatalogId', () => {
    const { stack } = newStack();
    new CfnResource(stack, 'Tags', {
      type: 'AWS::LakeFormation::TagAssociation',
      properties: { Resource: { Database: { CatalogId: ACCOUNT, Name: 'sales_orders' } }, LFTags: [{ TagKey: 'domain', TagValues: ['sales'] }] },
    });
    expectFlagged(stack, id, ['Test/Tags']);
  });

  it('non-compliant: a CatalogId that is not an account ID', () => {
    const { stack } = newStack();
    association(stack, 'Tags', { domain: ['sales'] }, { database: { catalogId: 'governance', name: 'sales_orders' } });
    expectFlagged(stack, id, ['Test/Tags']);
  });
});

describe('DataMesh-LakeFormationTagAssociationDependencies', () => {
  const id = 'DataMesh-LakeFormationTagAssociationDependencies';

  it('compliant: DependsOn on the LF-tag and the database of the same stack', () => {
    const { stack } = newStack();
    const tag = lfTag(stack, 'Tag', 'classification');
    const db = database(stack, 'Database', 'sales_orders');
    const tags = association(stack, 'Tags', { classification: ['internal'] });
    tags.addResourceDependency(tag);
    tags.addResourceDependency(db);
    expectCompliant(stack, id);
  });

  it('compliant: construct dependencies, before and after synthesis', () => {
    const { app, stack } = newStack();
    const tag = lfTag(stack, 'Tag', 'classification');
    const parent = new Construct(stack, 'Product');
    const db = database(parent, 'Database', 'sales_orders');
    const tags = association(parent, 'Tags', { classification: ['internal'] });
    parent.node.addDependency(tag);
    tags.node.addDependency(db);
    expectCompliant(stack, id);
    app.synth();
    expectCompliant(stack, id);
  });

  it('compliant: dependencies through another resource of the stack', () => {
    const { stack } = newStack();
    const tag = lfTag(stack, 'Tag', 'classification');
    const db = database(stack, 'Database', 'sales_orders');
    db.addResourceDependency(tag);
    association(stack, 'Tags', { classification: ['internal'] }).addResourceDependency(db);
    expectCompliant(stack, id);
  });

  it('compliant: the LF-tag and the database live in another stack (ordered by a stack dependency)', () => {
    const { app, stack: governance } = newStack('Governance');
    lfTag(governance, 'Tag', 'classification');
    database(governance, 'Database', 'sales_orders');
    const catalog = new Stack(app, 'Catalog', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    catalog.addDependency(governance);
    association(catalog, 'Tags', { classification: ['internal'] });
    expectCompliant(app, id);
  });

  it('non-compliant: the LF-tag of the same stack is not depended on', () => {
    const { stack } = newStack();
    lfTag(stack, 'Tag', 'classification');
    const db = database(stack, 'Database', 'sales_orders');
    association(stack, 'Tags', { classification: ['internal'] }).addResourceDependency(db);
    expectFlagged(stack, id, ['Test/Tags']);
  });

  it('non-compliant: the Custom::LfTag of the key is not depended on', () => {
    const { stack } = newStack();
    new CustomResource(stack, 'DomainTag', {
      serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:admin',
      resourceType: 'Custom::LfTag',
      properties: { CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['sales'] },
    });
    association(stack, 'Tags', { domain: ['sales'] });
    expectFlagged(stack, id, ['Test/Tags']);
  });

  it('non-compliant: the tagged database of the same stack is not depended on', () => {
    const { stack } = newStack();
    const tag = lfTag(stack, 'Tag', 'classification');
    database(stack, 'Database', 'sales_orders');
    association(stack, 'Tags', { classification: ['internal'] }).addResourceDependency(tag);
    expectFlagged(stack, id, ['Test/Tags']);
  });

  it('non-compliant: the tagged table (TableWithColumns) of the same stack is not depended on', () => {
    const { stack } = newStack();
    const db = database(stack, 'Database', 'sales_orders');
    const table = new glue.CfnTable(stack, 'Table', {
      catalogId: ACCOUNT,
      databaseName: 'sales_orders',
      tableInput: { name: 'customers', partitionKeys: [] },
    });
    table.addResourceDependency(db);
    association(stack, 'Tags', { classification: ['pii'] }, {
      tableWithColumns: { catalogId: ACCOUNT, databaseName: 'sales_orders', name: 'customers', columnNames: ['email'] },
    });
    expectFlagged(stack, id, ['Test/Tags']);
  });

  it('compliant: a resource link of the same name is not the tagged database', () => {
    const { stack } = newStack();
    new glue.CfnDatabase(stack, 'Link', {
      catalogId: ACCOUNT,
      databaseInput: { name: 'sales_orders', targetDatabase: { catalogId: OTHER_ACCOUNT, databaseName: 'sales_orders' } },
    });
    association(stack, 'Tags', { classification: ['internal'] });
    expectCompliant(stack, id);
  });
});

describe('DataMesh-LakeFormationNoIamAllowedPrincipals', () => {
  const id = 'DataMesh-LakeFormationNoIamAllowedPrincipals';

  it('compliant: a grant to an IAM role', () => {
    const { stack } = newStack();
    grant(stack, 'Grant');
    expectCompliant(stack, id);
  });

  it('non-compliant: a PrincipalPermissions grant to IAM_ALLOWED_PRINCIPALS', () => {
    const { stack } = newStack();
    grant(stack, 'Grant', { principal: { dataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' } });
    expectFlagged(stack, id, ['Test/Grant']);
  });

  it('non-compliant: a legacy Permissions grant to IAM_ALLOWED_PRINCIPALS', () => {
    const { stack } = newStack();
    new lakeformation.CfnPermissions(stack, 'Legacy', {
      dataLakePrincipal: { dataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' },
      resource: { databaseResource: { catalogId: ACCOUNT, name: 'sales_orders' } },
      permissions: ['ALL'],
    });
    expectFlagged(stack, id, ['Test/Legacy']);
  });

  it('non-compliant: IAM_ALLOWED_PRINCIPALS spelled out inside an intrinsic', () => {
    const { stack } = newStack();
    const open = new CfnCondition(stack, 'Open', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    grant(stack, 'Grant', { principal: { dataLakePrincipalIdentifier: Fn.conditionIf(open.logicalId, 'IAM_ALLOWED_PRINCIPALS', ROLE).toString() } });
    expectFlagged(stack, id, ['Test/Grant']);
  });
});

describe('DataMesh-LakeFormationNoGrantOption', () => {
  const id = 'DataMesh-LakeFormationNoGrantOption';

  it('compliant: PermissionsWithGrantOption []', () => {
    const { stack } = newStack();
    grant(stack, 'Grant');
    expectCompliant(stack, id);
  });

  it('non-compliant: a grant option to another account', () => {
    const { stack } = newStack();
    grant(stack, 'Grant', { principal: { dataLakePrincipalIdentifier: OTHER_ACCOUNT }, permissionsWithGrantOption: ['DESCRIBE'] });
    expectFlagged(stack, id, ['Test/Grant']);
  });

  it('compliant: a deliberate grant option, acknowledged on the grant', () => {
    const { stack } = newStack();
    const g = grant(stack, 'Grant', { principal: { dataLakePrincipalIdentifier: OTHER_ACCOUNT }, permissionsWithGrantOption: ['DESCRIBE'] });
    Validations.of(g).acknowledge({ id, reason: 'The consumer account administrator re-grants to its query roles.' });
    expectCompliant(stack, id);
  });
});

describe('DataMesh-LakeFormationGrantOptionDeclared', () => {
  const id = 'DataMesh-LakeFormationGrantOptionDeclared';

  it('compliant: PermissionsWithGrantOption set to []', () => {
    const { stack } = newStack();
    grant(stack, 'Grant');
    expectCompliant(stack, id);
  });

  it('non-compliant: PermissionsWithGrantOption left out', () => {
    const { stack } = newStack();
    new CfnResource(stack, 'Grant', {
      type: 'AWS::LakeFormation::PrincipalPermissions',
      properties: {
        Principal: { DataLakePrincipalIdentifier: ROLE },
        Resource: { Database: { CatalogId: ACCOUNT, Name: 'sales_orders' } },
        Permissions: ['DESCRIBE'],
      },
    });
    expectFlagged(stack, id, ['Test/Grant']);
  });

  it('non-compliant: PermissionsWithGrantOption removed by a property override', () => {
    const { stack } = newStack();
    grant(stack, 'Grant').addPropertyDeletionOverride('PermissionsWithGrantOption');
    expectFlagged(stack, id, ['Test/Grant']);
  });
});

describe('DataMesh-LakeFormationTagExpressionValid', () => {
  const id = 'DataMesh-LakeFormationTagExpressionValid';

  it('compliant: two conditions with lowercase values', () => {
    const { stack } = newStack();
    tagGrant(stack, 'Grant', [{ tagKey: 'domain', tagValues: ['sales', 'marketing'] }, { tagKey: 'classification', tagValues: ['public'] }]);
    expectCompliant(stack, id);
  });

  it('not applicable: a grant on a named database', () => {
    const { stack } = newStack();
    grant(stack, 'Grant');
    expectCompliant(stack, id);
  });

  it('non-compliant: six conditions', () => {
    const { stack } = newStack();
    tagGrant(stack, 'Grant', ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => ({ tagKey: k, tagValues: ['x'] })));
    expectFlagged(stack, id, ['Test/Grant']);
  });

  it('non-compliant: a key in two conditions (meant as OR, evaluated as AND)', () => {
    const { stack } = newStack();
    tagGrant(stack, 'Grant', [{ tagKey: 'domain', tagValues: ['sales'] }, { tagKey: 'domain', tagValues: ['marketing'] }]);
    expectFlagged(stack, id, ['Test/Grant']);
  });

  it('non-compliant: a condition without values', () => {
    const { stack } = newStack();
    tagGrant(stack, 'Grant', [{ tagKey: 'domain', tagValues: [] }]);
    expectFlagged(stack, id, ['Test/Grant']);
  });

  it('non-compliant: a condition with 51 values', () => {
    const { stack } = newStack();
    tagGrant(stack, 'Grant', [{ tagKey: 'domain', tagValues: Array.from({ length: 51 }, (_, i) => `d${i}`) }]);
    expectFlagged(stack, id, ['Test/Grant']);
  });

  it('non-compliant: an uppercase value', () => {
    const { stack } = newStack();
    tagGrant(stack, 'Grant', [{ tagKey: 'classification', tagValues: ['PII'] }]);
    expectFlagged(stack, id, ['Test/Grant']);
  });

  it('compliant: an expression given by an intrinsic cannot be judged and passes', () => {
    const { stack } = newStack();
    const condition = new CfnCondition(stack, 'Wide', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    tagGrant(stack, 'Grant', Fn.conditionIf(condition.logicalId, [{ TagKey: 'domain', TagValues: ['sales'] }], [{ TagKey: 'domain', TagValues: ['marketing'] }]));
    expectCompliant(stack, id);
  });
});

describe('DataMesh-LakeFormationLocationUserDefinedRole', () => {
  const id = 'DataMesh-LakeFormationLocationUserDefinedRole';
  const location = `arn:aws:s3:::acme-sales-orders-${ACCOUNT}-eu-west-1`;

  it('compliant: UseServiceLinkedRole false with a RoleArn', () => {
    const { stack } = newStack();
    new lakeformation.CfnResource(stack, 'Registration', { resourceArn: location, useServiceLinkedRole: false, roleArn: `arn:aws:iam::${ACCOUNT}:role/acme-registration` });
    expectCompliant(stack, id);
  });

  it('non-compliant: the service-linked role', () => {
    const { stack } = newStack();
    new lakeformation.CfnResource(stack, 'Registration', { resourceArn: location, useServiceLinkedRole: true });
    expectFlagged(stack, id, ['Test/Registration']);
  });

  it('non-compliant: UseServiceLinkedRole false without a RoleArn', () => {
    const { stack } = newStack();
    new lakeformation.CfnResource(stack, 'Registration', { resourceArn: location, useServiceLinkedRole: false });
    expectFlagged(stack, id, ['Test/Registration']);
  });
});

describe('DataMesh-LakeFormationLocationNoHybridAccess', () => {
  const id = 'DataMesh-LakeFormationLocationNoHybridAccess';
  const props = { resourceArn: `arn:aws:s3:::acme-sales-orders-${ACCOUNT}-eu-west-1`, useServiceLinkedRole: false, roleArn: `arn:aws:iam::${ACCOUNT}:role/acme-registration` };

  it('compliant: HybridAccessEnabled false', () => {
    const { stack } = newStack();
    new lakeformation.CfnResource(stack, 'Registration', { ...props, hybridAccessEnabled: false });
    expectCompliant(stack, id);
  });

  it('non-compliant: HybridAccessEnabled true', () => {
    const { stack } = newStack();
    new lakeformation.CfnResource(stack, 'Registration', { ...props, hybridAccessEnabled: true });
    expectFlagged(stack, id, ['Test/Registration']);
  });
});

describe('all Lake Formation rules together', () => {
  it('a compliant grant produces no DataMesh finding at all', () => {
    const { stack } = newStack();
    grant(stack, 'Grant');
    expect(new DataMeshChecks().validateScope(stack).violations).toEqual([]);
  });
});
