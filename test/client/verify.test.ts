import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  DataLakeSettings, EntityNotFoundException, GetDataLakeSettingsCommand, GetLFTagCommand, GetResourceLFTagsCommand, GetResourceLFTagsResponse,
  ListPermissionsCommand, ListPermissionsRequest, PrincipalResourcePermissions,
} from '@aws-sdk/client-lakeformation';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataMeshValidationError } from '../../lib/errors';
import { fakeClock, inputs, meshClient, mockedClients } from './fakes';

const ACCOUNT = '111111111111';
const CONSUMER = '222222222222';
const EXEC_ROLE = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-eu-west-1`;
const WRITER = `arn:aws:iam::${ACCOUNT}:role/acme-sales-writer`;
const QUERY = `arn:aws:iam::${ACCOUNT}:role/acme-sales-query`;
const CONSUMER_QUERY = `arn:aws:iam::${CONSUMER}:role/acme-marketing-query`;
const BUCKET = `acme-sales-orders-${ACCOUNT}-eu-west-1`;
const partitionArn = (rest: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...rest]] });

/** A small hand-written assembly: the settings stack and one catalog stack in ACCOUNT, one consumer stack elsewhere. */
const TEMPLATES: Record<string, object> = {
  lakeformation: {
    Resources: {
      SettingsHandlerRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
      Settings: {
        Type: 'Custom::LakeFormationSettings',
        Properties: {
          ServiceToken: { 'Fn::GetAtt': ['SettingsHandler', 'Arn'] },
          CatalogId: ACCOUNT,
          Admins: [
            { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}' },
            { 'Fn::GetAtt': ['SettingsHandlerRole', 'Arn'] },
          ],
          CrossAccountVersion: '4',
        },
      },
    },
  },
  governance: {
    Resources: {
      TagClassification: { Type: 'AWS::LakeFormation::Tag', Properties: { CatalogId: ACCOUNT, TagKey: 'classification', TagValues: ['public', 'internal', 'pii'] } },
      TagDomain: {
        Type: 'Custom::LfTag',
        Properties: { ServiceToken: partitionArn([`:lambda:eu-west-1:${ACCOUNT}:function:cdk-data-mesh-lakeformation-admin`]), CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['sales'] },
      },
      ConsumerTableGrant: {
        Type: 'AWS::LakeFormation::PrincipalPermissions',
        Properties: {
          Principal: { DataLakePrincipalIdentifier: CONSUMER_QUERY },
          Resource: { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['sales'] }] } },
          Permissions: ['SELECT', 'DESCRIBE'],
          PermissionsWithGrantOption: [],
        },
      },
    },
  },
  sales: {
    Resources: {
      OrdersBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: BUCKET } },
      QueryRole: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'acme-sales-query' } },
      Registration: { Type: 'AWS::LakeFormation::Resource', Properties: { ResourceArn: partitionArn([':s3:::', { Ref: 'OrdersBucket' }]), UseServiceLinkedRole: false } },
      Database: { Type: 'AWS::Glue::Database', Properties: { CatalogId: ACCOUNT, DatabaseInput: { Name: 'sales_orders' } } },
      Table: { Type: 'AWS::Glue::Table', Properties: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', TableInput: { Name: 'order_lines' } } },
      Tags: {
        Type: 'AWS::LakeFormation::TagAssociation',
        Properties: {
          LFTags: [{ CatalogId: ACCOUNT, TagKey: 'classification', TagValues: ['internal'] }, { CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['sales'] }],
          Resource: { Database: { CatalogId: ACCOUNT, Name: 'sales_orders' } },
        },
      },
      TagsPii: {
        Type: 'AWS::LakeFormation::TagAssociation',
        Properties: {
          LFTags: [{ CatalogId: ACCOUNT, TagKey: 'classification', TagValues: ['pii'] }],
          Resource: { TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', Name: 'order_lines', ColumnNames: ['email'] } },
        },
      },
      WriterLocationGrant: {
        Type: 'AWS::LakeFormation::PrincipalPermissions',
        Properties: {
          Principal: { DataLakePrincipalIdentifier: partitionArn([`:iam::${ACCOUNT}:role/acme-sales-writer`]) },
          Resource: { DataLocation: { CatalogId: ACCOUNT, ResourceArn: partitionArn([':s3:::', { Ref: 'OrdersBucket' }]) } },
          Permissions: ['DATA_LOCATION_ACCESS'],
          PermissionsWithGrantOption: [],
        },
      },
      QueryDatabaseGrant: {
        Type: 'AWS::LakeFormation::PrincipalPermissions',
        Properties: {
          Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': ['QueryRole', 'Arn'] } },
          Resource: { Database: { CatalogId: ACCOUNT, Name: 'sales_orders' } },
          Permissions: ['DESCRIBE'],
          PermissionsWithGrantOption: [],
        },
      },
      QueryTableGrant: {
        Type: 'AWS::LakeFormation::PrincipalPermissions',
        Properties: {
          Principal: { DataLakePrincipalIdentifier: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/acme-sales-query' } },
          Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', Name: 'order_lines' } },
          Permissions: ['SELECT', 'DESCRIBE'],
          PermissionsWithGrantOption: [],
        },
      },
    },
  },
  consumer: {
    Resources: {
      LinkGrant: {
        Type: 'AWS::LakeFormation::PrincipalPermissions',
        Properties: {
          Principal: { DataLakePrincipalIdentifier: CONSUMER_QUERY },
          Resource: { Database: { CatalogId: CONSUMER, Name: 'sales_orders' } },
          Permissions: ['DESCRIBE'],
          PermissionsWithGrantOption: [],
        },
      },
    },
  },
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-verify-'));
  const env = (name: string) => (name === 'consumer' ? `aws://${CONSUMER}/eu-west-1` : `aws://${ACCOUNT}/eu-west-1`);
  const artifacts: Record<string, object> = {};
  for (const [name, template] of Object.entries(TEMPLATES)) {
    fs.writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify(template));
    artifacts[`${name}.assets`] = { type: 'cdk:asset-manifest', properties: { file: `${name}.assets.json` } };
    artifacts[name] = { type: 'aws:cloudformation:stack', environment: env(name), properties: { templateFile: `${name}.template.json` }, displayName: name };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const grant = (principal: string, resource: PrincipalResourcePermissions['Resource'], permissions: string[], grantable: string[] = []): PrincipalResourcePermissions => ({
  Principal: { DataLakePrincipalIdentifier: principal }, Resource: resource, Permissions: permissions as never, PermissionsWithGrantOption: grantable as never,
});
const pair = (key: string, value: string) => ({ CatalogId: ACCOUNT, TagKey: key, TagValues: [value] });

/** The live state matching the assembly; tests change one part of it. */
interface LiveState {
  permissions: PrincipalResourcePermissions[][];
  tagPolicyPermissions: PrincipalResourcePermissions[];
  resourceTags: Record<string, GetResourceLFTagsResponse>;
  lfTags: Record<string, string[]>;
  settings: DataLakeSettings;
}

function matchingState(): LiveState {
  return {
    permissions: [
      [
        grant(WRITER, { DataLocation: { CatalogId: ACCOUNT, ResourceArn: `arn:aws:s3:::${BUCKET}` } }, ['DATA_LOCATION_ACCESS']),
        grant(QUERY, { Database: { CatalogId: ACCOUNT, Name: 'sales_orders' } }, ['DESCRIBE']),
      ],
      [
        // Lake Formation reports table SELECT as SELECT on every column.
        grant(QUERY, { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', Name: 'order_lines' } }, ['DESCRIBE']),
        grant(QUERY, { TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', Name: 'order_lines', ColumnWildcard: {} } }, ['SELECT']),
        // Outside the mesh: never reported.
        grant('IAM_ALLOWED_PRINCIPALS', { Database: { CatalogId: ACCOUNT, Name: 'legacy_db' } }, ['ALL']),
        grant(`arn:aws:iam::${ACCOUNT}:role/etl`, { DataLocation: { CatalogId: ACCOUNT, ResourceArn: 'arn:aws:s3:::other-bucket' } }, ['DATA_LOCATION_ACCESS']),
      ],
    ],
    tagPolicyPermissions: [
      grant(CONSUMER_QUERY, { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['sales'] }] } }, ['SELECT', 'DESCRIBE']),
    ],
    resourceTags: {
      'sales_orders': { LFTagOnDatabase: [pair('classification', 'internal'), pair('domain', 'sales')] },
      'sales_orders.order_lines': { LFTagsOnTable: [], LFTagsOnColumns: [{ Name: 'email', LFTags: [pair('classification', 'pii')] }, { Name: 'id', LFTags: [] }] },
    },
    lfTags: { classification: ['public', 'internal', 'pii'], domain: ['sales'] },
    settings: {
      DataLakeAdmins: [{ DataLakePrincipalIdentifier: EXEC_ROLE }, { DataLakePrincipalIdentifier: `arn:aws:iam::${ACCOUNT}:role/lf-admin-handler` }],
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
      Parameters: { CROSS_ACCOUNT_VERSION: '4' },
    },
  };
}

let clients: ReturnType<typeof mockedClients>;
beforeEach(() => {
  clients = mockedClients();
});

function mockLive(state: LiveState): void {
  clients.lf.on(ListPermissionsCommand).callsFake((input: ListPermissionsRequest) => {
    if (input.ResourceType === 'LF_TAG_POLICY') return { PrincipalResourcePermissions: state.tagPolicyPermissions };
    const page = input.NextToken === undefined ? 0 : Number(input.NextToken.replace('page-', ''));
    return {
      PrincipalResourcePermissions: state.permissions[page],
      ...(page + 1 < state.permissions.length ? { NextToken: `page-${page + 1}` } : {}),
    };
  });
  clients.lf.on(GetResourceLFTagsCommand).callsFake((input: { Resource: { Database?: { Name: string }; Table?: { DatabaseName: string; Name: string } } }) => {
    const key = input.Resource.Database ? input.Resource.Database.Name : `${input.Resource.Table!.DatabaseName}.${input.Resource.Table!.Name}`;
    return state.resourceTags[key] ?? {};
  });
  clients.lf.on(GetLFTagCommand).callsFake((input: { CatalogId: string; TagKey: string }) => {
    const values = state.lfTags[input.TagKey];
    if (!values) throw new EntityNotFoundException({ $metadata: { httpStatusCode: 400 }, message: `Tag key ${input.TagKey} not found` });
    return { CatalogId: input.CatalogId, TagKey: input.TagKey, TagValues: values };
  });
  clients.lf.on(GetDataLakeSettingsCommand).resolves({ DataLakeSettings: state.settings });
}

const verify = (options = {}) => meshClient(clients, fakeClock()).verify(dir, { account: ACCOUNT, ...options });

describe('verify', () => {
  it('reports ok when the live state matches, comparing only the stacks of the account', async () => {
    mockLive(matchingState());
    const report = await verify();
    expect(report).toMatchObject({
      account: ACCOUNT, region: 'eu-west-1', stacks: ['lakeformation', 'governance', 'sales'],
      missingGrants: [], extraGrants: [], missingTags: [], extraTags: [], settingsProblems: [], ok: true,
    });
    expect(report.unchecked).toEqual([
      'lakeformation/Settings (Custom::LakeFormationSettings): administrator not compared, its value depends on Fn::GetAtt SettingsHandlerRole.Arn, known only at deploy time',
    ]);
  });

  it('sends the exact Lake Formation requests, paging through ListPermissions', async () => {
    mockLive(matchingState());
    await verify();
    expect(inputs(clients.lf, ListPermissionsCommand)).toEqual([
      { CatalogId: ACCOUNT }, { CatalogId: ACCOUNT, NextToken: 'page-1' }, { CatalogId: ACCOUNT, ResourceType: 'LF_TAG_POLICY' },
    ]);
    expect(inputs(clients.lf, GetResourceLFTagsCommand)).toEqual([
      { Resource: { Database: { CatalogId: ACCOUNT, Name: 'sales_orders' } }, ShowAssignedLFTags: true },
      { Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', Name: 'order_lines' } }, ShowAssignedLFTags: true },
    ]);
    expect(inputs(clients.lf, GetLFTagCommand)).toEqual([{ CatalogId: ACCOUNT, TagKey: 'classification' }, { CatalogId: ACCOUNT, TagKey: 'domain' }]);
    expect(inputs(clients.lf, GetDataLakeSettingsCommand)).toEqual([{ CatalogId: ACCOUNT }]);
  });

  it('reports a missing grant with the declaring resource', async () => {
    const state = matchingState();
    state.permissions[1] = state.permissions[1].filter((p) => !p.Permissions?.includes('SELECT'));
    mockLive(state);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.missingGrants).toEqual([{
      principal: QUERY, resource: `table sales_orders.order_lines (catalog ${ACCOUNT})`, permissions: ['SELECT'], grantOption: false,
      source: { stack: 'sales', logicalId: 'QueryTableGrant' },
      description: `${QUERY} lacks SELECT on table sales_orders.order_lines (catalog ${ACCOUNT}), declared by sales/QueryTableGrant.`,
    }]);
    expect(report.extraGrants).toEqual([]);
  });

  it('reports extra grants on managed resources, IAM_ALLOWED_PRINCIPALS included, but not on unrelated ones', async () => {
    const state = matchingState();
    state.permissions[1].push(
      grant('IAM_ALLOWED_PRINCIPALS', { Database: { CatalogId: ACCOUNT, Name: 'sales_orders' } }, ['ALL']),
      grant(`arn:aws:iam::${ACCOUNT}:role/intruder`, { TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', Name: 'order_lines', ColumnNames: ['email'] } }, ['SELECT']),
      grant(QUERY, { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales_orders', Name: 'order_lines' } }, ['DESCRIBE'], ['DESCRIBE']),
    );
    state.tagPolicyPermissions.push(grant('333333333333', { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'DATABASE', Expression: [{ TagKey: 'domain', TagValues: ['sales'] }] } }, ['DESCRIBE']));
    mockLive(state);
    const report = await verify();
    expect(report.missingGrants).toEqual([]);
    expect(report.extraGrants.map((g) => [g.principal, g.resource, g.permissions, g.grantOption])).toEqual([
      ['333333333333', `database matching LF-tags domain=sales (catalog ${ACCOUNT})`, ['DESCRIBE'], false],
      ['IAM_ALLOWED_PRINCIPALS', `database sales_orders (catalog ${ACCOUNT})`, ['ALL'], false],
      [`arn:aws:iam::${ACCOUNT}:role/acme-sales-query`, `table sales_orders.order_lines (catalog ${ACCOUNT})`, ['DESCRIBE'], true],
      [`arn:aws:iam::${ACCOUNT}:role/intruder`, `columns email of table sales_orders.order_lines (catalog ${ACCOUNT})`, ['SELECT'], false],
    ]);
    expect(report.extraGrants[1].description).toMatch(/^IAM_ALLOWED_PRINCIPALS has ALL on database sales_orders .*not declare.*bypasses/);
  });

  it('does not report grants of ignored principals as extra', async () => {
    const state = matchingState();
    state.permissions[1].push(grant(EXEC_ROLE, { Database: { CatalogId: ACCOUNT, Name: 'sales_orders' } }, ['ALL']));
    mockLive(state);
    expect((await verify({ ignorePrincipals: [EXEC_ROLE] })).ok).toBe(true);
    expect((await verify()).extraGrants.map((g) => g.principal)).toEqual([EXEC_ROLE]);
  });

  it('reports missing and extra LF-tag assignments on databases, tables and columns', async () => {
    const state = matchingState();
    state.resourceTags.sales_orders = { LFTagOnDatabase: [pair('domain', 'sales')] };
    state.resourceTags['sales_orders.order_lines'] = {
      LFTagsOnTable: [pair('classification', 'public')],
      LFTagsOnColumns: [{ Name: 'email', LFTags: [pair('classification', 'internal')] }],
    };
    mockLive(state);
    const report = await verify();
    expect(report.missingTags).toEqual([
      {
        kind: 'resource', resource: `database sales_orders (catalog ${ACCOUNT})`, tagKey: 'classification', tagValue: 'internal', source: { stack: 'sales', logicalId: 'Tags' },
        description: `database sales_orders (catalog ${ACCOUNT}) lacks LF-tag classification=internal, declared by sales/Tags.`,
      },
      {
        kind: 'resource', resource: `column email of table sales_orders.order_lines (catalog ${ACCOUNT})`, tagKey: 'classification', tagValue: 'pii',
        source: { stack: 'sales', logicalId: 'TagsPii' },
        description: `column email of table sales_orders.order_lines (catalog ${ACCOUNT}) lacks LF-tag classification=pii (it has classification=internal), declared by sales/TagsPii.`,
      },
    ]);
    expect(report.extraTags).toEqual([{
      kind: 'resource', resource: `table sales_orders.order_lines (catalog ${ACCOUNT})`, tagKey: 'classification', tagValue: 'public',
      description: `table sales_orders.order_lines (catalog ${ACCOUNT}) carries LF-tag classification=public, which the assembly does not declare.`,
    }]);
    expect(report.ok).toBe(false);
  });

  it('reports missing LF-tag keys and values and undeclared values', async () => {
    const state = matchingState();
    state.lfTags = { classification: ['public', 'internal', 'confidential'] };
    mockLive(state);
    const report = await verify();
    expect(report.missingTags.map((t) => [t.kind, t.tagKey, t.tagValue])).toEqual([['lf-tag', 'classification', 'pii'], ['lf-tag', 'domain', undefined]]);
    expect(report.missingTags[1].description).toBe(`LF-tag domain does not exist in catalog ${ACCOUNT}; governance/TagDomain declares it with values sales.`);
    expect(report.extraTags.map((t) => [t.kind, t.tagKey, t.tagValue])).toEqual([['lf-tag', 'classification', 'confidential']]);
  });

  it('reports settings problems: missing admin, cross-account version, default permissions', async () => {
    const state = matchingState();
    state.settings = {
      DataLakeAdmins: [{ DataLakePrincipalIdentifier: `arn:aws:iam::${ACCOUNT}:role/someone-else` }],
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }],
      Parameters: { CROSS_ACCOUNT_VERSION: '1' },
    };
    mockLive(state);
    const report = await verify();
    expect(report.settingsProblems.map((p) => p.kind)).toEqual(['admin', 'cross-account-version', 'default-permissions']);
    expect(report.settingsProblems[0].description).toMatch(new RegExp(`^${EXEC_ROLE} is not a data lake administrator of catalog ${ACCOUNT}`));
    expect(report.settingsProblems[1].description).toBe(`CROSS_ACCOUNT_VERSION of catalog ${ACCOUNT} is "1", expected "4" (declared by lakeformation/Settings).`);
    expect(report.settingsProblems[2].description).toMatch(/^CreateTableDefaultPermissions of catalog 111111111111 is \[IAM_ALLOWED_PRINCIPALS:ALL\], expected \[\].*inherit IAM_ALLOWED_PRINCIPALS/);
    expect(report.ok).toBe(false);
  });

  it('propagates a Lake Formation error unchanged', async () => {
    mockLive(matchingState());
    const denied = Object.assign(new Error('Insufficient Lake Formation permission(s)'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    clients.lf.on(GetDataLakeSettingsCommand).rejects(denied);
    await expect(verify()).rejects.toBe(denied);
  });

  it('takes the account of the first stack when none is given, and fails for an account without stacks', async () => {
    mockLive(matchingState());
    const client = meshClient(clients, fakeClock());
    expect((await client.verify(dir)).account).toBe(ACCOUNT);
    await expect(client.verify(dir, { account: '999999999999' })).rejects.toThrow(DataMeshValidationError);
    await expect(client.verify(path.join(dir, 'nope'))).rejects.toThrow(/is not a cloud assembly/);
  });
});
