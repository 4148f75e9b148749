import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AccessDeniedException,
  ConcurrentModificationException,
  DataLakeSettings,
  GetDataLakeSettingsCommand,
  LakeFormationClient,
  PutDataLakeSettingsCommand,
} from '@aws-sdk/client-lakeformation';
import { AlreadyExistsException, CreateDatabaseCommand, EntityNotFoundException, GetDatabaseCommand, GlueClient } from '@aws-sdk/client-glue';

/** The exported API of lib/handlers/lake-formation-settings/index.js (plain CommonJS, typed by JSDoc). */
interface CfnEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  ResourceType?: string;
  PhysicalResourceId?: string;
  ResourceProperties: Record<string, unknown>;
  OldResourceProperties?: Record<string, unknown>;
}
interface SettingsHandlerModule {
  handler(event: CfnEvent, context: { logStreamName: string }): Promise<void>;
  setSleep(fn: (ms: number) => Promise<void>): void;
  physicalResourceId(catalogId: string): string;
  failedCreatePhysicalResourceId(event: CfnEvent): string;
  validateProperties(props: Record<string, unknown> | undefined): {
    catalogId: string;
    admins: string[];
    crossAccountVersion: string;
  };
  adminsRemovedByUpdate(
    oldProps: Record<string, unknown> | undefined,
    current: { catalogId: string; admins: string[]; crossAccountVersion: string },
  ): string[];
  mergeSettings(
    existing: DataLakeSettings | undefined,
    wanted: { admins: readonly string[]; removedAdmins?: readonly string[]; crossAccountVersion: string },
  ): DataLakeSettings;
  removeAdminsFromSettings(existing: DataLakeSettings | undefined, admins: readonly string[]): DataLakeSettings;
  settingsEqual(current: DataLakeSettings | undefined, next: DataLakeSettings): boolean;
  isRetryable(err: unknown): boolean;
  setAdminRecordStore(store: {
    read(name: string): Promise<string[] | undefined>;
    write(name: string, admins: string[]): Promise<void>;
    remove(name: string): Promise<void>;
  }): void;
  setPrincipalExists(fn: (arn: string, accountId: string) => Promise<boolean>): void;
}

// The handler is CommonJS JavaScript shipped as a Lambda asset; load it the way Lambda does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lf: SettingsHandlerModule = require('../../lib/handlers/lake-formation-settings/index.js');

const ACCOUNT = '111111111111';
const PHYSICAL_ID = `lakeformation-settings-${ACCOUNT}`;
const CDK_EXEC_ROLE = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-eu-west-1`;
const PLATFORM_ADMIN = `arn:aws:iam::${ACCOUNT}:role/platform/DataPlatformAdmin`;
const AUDIT_USER = `arn:aws:iam::${ACCOUNT}:user/auditor`;
const MANUAL_ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const RESPONSE_URL = 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/presigned?X-Amz-Signature=abc';
const LOG_STREAM = '2026/01/01/[$LATEST]0123456789abcdef';

const HANDLER_ROLE = `arn:aws:iam::${ACCOUNT}:role/acme-lf-admin-eu-west-1`;
const RECORD = '/cdk-data-mesh/acme/eu-west-1/lakeformation-admins-added';

const IAM_ALLOWED_PRINCIPALS_DEFAULT = [
  { Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL' as const] },
];

const lfMock = mockClient(LakeFormationClient);
const glueMock = mockClient(GlueClient);
let sleeps: number[];
/** The SSM record of admins the toolkit added, as the handler reads and writes it. */
let records: Map<string, string[]>;
let recordWrites: { name: string; admins: string[] | 'deleted' }[];
/** ARNs of IAM principals that no longer exist. */
let deletedPrincipals: Set<string>;
let fetchMock: ReturnType<typeof vi.fn>;
let errorLog: ReturnType<typeof vi.spyOn>;

function principals(...arns: string[]) {
  return arns.map((arn) => ({ DataLakePrincipalIdentifier: arn }));
}

function event(overrides: Partial<CfnEvent> & { ResourceProperties?: Record<string, unknown> } = {}): CfnEvent {
  return {
    RequestType: 'Create',
    ResponseURL: RESPONSE_URL,
    StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/governance/guid',
    RequestId: 'request-1',
    LogicalResourceId: 'LakeFormationSettings',
    ResourceType: 'Custom::LakeFormationSettings',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:settings',
      CatalogId: ACCOUNT,
      Admins: [CDK_EXEC_ROLE, PLATFORM_ADMIN],
      CrossAccountVersion: '4',
    },
    ...overrides,
  };
}

function props(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...event().ResourceProperties, ...overrides };
}

/** The body of the single PUT sent to CloudFormation. */
function sentResponse(): Record<string, unknown> {
  expect(fetchMock).toHaveBeenCalledTimes(1);
  const [url, init] = fetchMock.mock.calls[0] as [string, { method: string; headers: Record<string, string>; body: string }];
  expect(url).toBe(RESPONSE_URL);
  expect(init.method).toBe('PUT');
  expect(init.headers).toEqual({ 'content-type': '', 'content-length': String(Buffer.byteLength(init.body)) });
  return JSON.parse(init.body);
}

function getInputs() {
  return lfMock.commandCalls(GetDataLakeSettingsCommand).map((c) => c.args[0].input);
}

function putInputs() {
  return lfMock.commandCalls(PutDataLakeSettingsCommand).map((c) => c.args[0].input);
}

/**
 * Lake Formation as a store: GetDataLakeSettings returns what the last PutDataLakeSettings wrote, starting
 * from `initial` (so the handler's read back sees its own write).
 */
function lakeFormationHolds(initial: DataLakeSettings | undefined, failures: { get?: Error[]; put?: Error[] } = {}) {
  let settings = initial;
  const getFailures = [...(failures.get ?? [])];
  const putFailures = [...(failures.put ?? [])];
  lfMock.on(GetDataLakeSettingsCommand).callsFake(async () => {
    const failure = getFailures.shift();
    if (failure) throw failure;
    return settings ? { DataLakeSettings: structuredClone(settings) } : {};
  });
  lfMock.on(PutDataLakeSettingsCommand).callsFake(async (input) => {
    const failure = putFailures.shift();
    if (failure) throw failure;
    settings = structuredClone(input.DataLakeSettings);
    return {};
  });
}

function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
}

/** The admin set fixed at deploy time (the function's ADMIN_ARNS environment variable). */
function useAdmins(...arns: string[]) {
  process.env.ADMIN_ARNS = JSON.stringify(arns);
}

beforeEach(() => {
  lfMock.reset();
  glueMock.reset();
  // Most catalogs have a `default` database already.
  glueMock.on(GetDatabaseCommand).resolves({ Database: { Name: 'default' } });
  sleeps = [];
  records = new Map();
  recordWrites = [];
  deletedPrincipals = new Set();
  useAdmins(CDK_EXEC_ROLE, PLATFORM_ADMIN);
  process.env.ADMINS_RECORD_PARAMETER = RECORD;
  process.env.HANDLER_ROLE_ARN = HANDLER_ROLE;
  lf.setAdminRecordStore({
    read: async (name) => records.get(name),
    write: async (name, admins) => {
      records.set(name, [...admins]);
      recordWrites.push({ name, admins: [...admins] });
    },
    remove: async (name) => {
      records.delete(name);
      recordWrites.push({ name, admins: 'deleted' });
    },
  });
  lf.setPrincipalExists(async (arn) => !deletedPrincipals.has(arn));
  lf.setSleep(async (ms) => {
    sleeps.push(ms);
  });
  fetchMock = vi.fn(async () => ({ ok: true, status: 200, statusText: 'OK' }));
  vi.stubGlobal('fetch', fetchMock);
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  delete process.env.ADMIN_ARNS;
  delete process.env.ADMINS_RECORD_PARAMETER;
  delete process.env.HANDLER_ROLE_ARN;
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Custom::LakeFormationSettings handler', () => {
  describe('create', () => {
    it('given existing admins and other settings, when created with the CDK exec role and extra admins, then appends them after the existing admins and keeps every other setting', async () => {
      const existing: DataLakeSettings = {
        DataLakeAdmins: principals(MANUAL_ADMIN),
        ReadOnlyAdmins: principals(AUDIT_USER),
        CreateDatabaseDefaultPermissions: [],
        CreateTableDefaultPermissions: [],
        Parameters: { CROSS_ACCOUNT_VERSION: '4' },
        TrustedResourceOwners: ['222222222222'],
        AllowExternalDataFiltering: true,
        AllowFullTableExternalDataAccess: false,
        ExternalDataFilteringAllowList: principals('333333333333'),
        AuthorizedSessionTagValueList: ['Amazon EMR'],
      };
      lakeFormationHolds(existing);
      useAdmins(CDK_EXEC_ROLE, PLATFORM_ADMIN, AUDIT_USER);

      await lf.handler(event({ ResourceProperties: props({ Admins: [CDK_EXEC_ROLE, PLATFORM_ADMIN, AUDIT_USER] }) }), {
        logStreamName: LOG_STREAM,
      });

      // read, then read back after the write
      expect(getInputs()).toStrictEqual([{ CatalogId: ACCOUNT }, { CatalogId: ACCOUNT }]);
      expect(records.get(RECORD)).toStrictEqual([AUDIT_USER, CDK_EXEC_ROLE, PLATFORM_ADMIN].sort());
      expect(putInputs()).toStrictEqual([
        {
          CatalogId: ACCOUNT,
          DataLakeSettings: {
            DataLakeAdmins: principals(MANUAL_ADMIN, CDK_EXEC_ROLE, PLATFORM_ADMIN, AUDIT_USER),
            ReadOnlyAdmins: principals(AUDIT_USER),
            CreateDatabaseDefaultPermissions: [],
            CreateTableDefaultPermissions: [],
            Parameters: { CROSS_ACCOUNT_VERSION: '4' },
            TrustedResourceOwners: ['222222222222'],
            AllowExternalDataFiltering: true,
            AllowFullTableExternalDataAccess: false,
            ExternalDataFilteringAllowList: principals('333333333333'),
            AuthorizedSessionTagValueList: ['Amazon EMR'],
          },
        },
      ]);
      expect(sentResponse()).toStrictEqual({
        Status: 'SUCCESS',
        PhysicalResourceId: PHYSICAL_ID,
        StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/governance/guid',
        RequestId: 'request-1',
        LogicalResourceId: 'LakeFormationSettings',
        NoEcho: false,
        Data: { Admins: [MANUAL_ADMIN, CDK_EXEC_ROLE, PLATFORM_ADMIN, AUDIT_USER].join(',') },
      });
    });

    it('given IAM_ALLOWED_PRINCIPALS defaults and other parameters, when created, then clears both default-permission lists and sets only CROSS_ACCOUNT_VERSION among the parameters', async () => {
      lakeFormationHolds({
          DataLakeAdmins: [],
          CreateDatabaseDefaultPermissions: IAM_ALLOWED_PRINCIPALS_DEFAULT,
          CreateTableDefaultPermissions: IAM_ALLOWED_PRINCIPALS_DEFAULT,
          Parameters: { CROSS_ACCOUNT_VERSION: '1', SET_SOURCE_IDENTITY: 'TRUE' },
        });

      await lf.handler(event({ ResourceProperties: props({ CrossAccountVersion: '5' }) }), { logStreamName: LOG_STREAM });

      expect(putInputs()).toStrictEqual([
        {
          CatalogId: ACCOUNT,
          DataLakeSettings: {
            DataLakeAdmins: principals(CDK_EXEC_ROLE, PLATFORM_ADMIN),
            CreateDatabaseDefaultPermissions: [],
            CreateTableDefaultPermissions: [],
            Parameters: { CROSS_ACCOUNT_VERSION: '5', SET_SOURCE_IDENTITY: 'TRUE' },
          },
        },
      ]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    });

    it('given a catalog that never had settings, when created, then puts the admins, empty defaults and the version', async () => {
      lakeFormationHolds(undefined);

      await lf.handler(event(), { logStreamName: LOG_STREAM });

      expect(putInputs()).toStrictEqual([
        {
          CatalogId: ACCOUNT,
          DataLakeSettings: {
            DataLakeAdmins: principals(CDK_EXEC_ROLE, PLATFORM_ADMIN),
            CreateDatabaseDefaultPermissions: [],
            CreateTableDefaultPermissions: [],
            Parameters: { CROSS_ACCOUNT_VERSION: '4' },
          },
        },
      ]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', Data: { Admins: `${CDK_EXEC_ROLE},${PLATFORM_ADMIN}` } });
    });

    it('given a listed admin that is already an admin, when created, then it is not added twice', async () => {
      lakeFormationHolds({ DataLakeAdmins: principals(PLATFORM_ADMIN) });

      await lf.handler(event({ ResourceProperties: props({ Admins: [CDK_EXEC_ROLE, PLATFORM_ADMIN, CDK_EXEC_ROLE] }) }), {
        logStreamName: LOG_STREAM,
      });

      expect(putInputs()[0]?.DataLakeSettings?.DataLakeAdmins).toStrictEqual(principals(PLATFORM_ADMIN, CDK_EXEC_ROLE));
    });
  });

  describe('update', () => {
    it('given a recorded admin that left the list, when updated, then removes it and its record but keeps an admin the toolkit never added', async () => {
      records.set(RECORD, [CDK_EXEC_ROLE, PLATFORM_ADMIN]);
      useAdmins(CDK_EXEC_ROLE);
      lakeFormationHolds({
          DataLakeAdmins: principals(MANUAL_ADMIN, CDK_EXEC_ROLE, PLATFORM_ADMIN),
          CreateDatabaseDefaultPermissions: [],
          CreateTableDefaultPermissions: [],
          Parameters: { CROSS_ACCOUNT_VERSION: '4' },
        });

      await lf.handler(
        event({
          RequestType: 'Update',
          PhysicalResourceId: PHYSICAL_ID,
          ResourceProperties: props({ Admins: [CDK_EXEC_ROLE] }),
          OldResourceProperties: props({ Admins: [CDK_EXEC_ROLE, PLATFORM_ADMIN] }),
        }),
        { logStreamName: LOG_STREAM },
      );

      expect(putInputs()).toStrictEqual([
        {
          CatalogId: ACCOUNT,
          DataLakeSettings: {
            DataLakeAdmins: principals(MANUAL_ADMIN, CDK_EXEC_ROLE),
            CreateDatabaseDefaultPermissions: [],
            CreateTableDefaultPermissions: [],
            Parameters: { CROSS_ACCOUNT_VERSION: '4' },
          },
        },
      ]);
      expect(sentResponse()).toStrictEqual({
        Status: 'SUCCESS',
        PhysicalResourceId: PHYSICAL_ID,
        StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/governance/guid',
        RequestId: 'request-1',
        LogicalResourceId: 'LakeFormationSettings',
        NoEcho: false,
        Data: { Admins: `${MANUAL_ADMIN},${CDK_EXEC_ROLE}` },
      });
      expect(records.get(RECORD)).toStrictEqual([CDK_EXEC_ROLE]);
    });

    it('given the old properties belong to another catalog, when updated, then no admin is removed from the new catalog', async () => {
      useAdmins(CDK_EXEC_ROLE);
      lakeFormationHolds({ DataLakeAdmins: principals(PLATFORM_ADMIN) });

      await lf.handler(
        event({
          RequestType: 'Update',
          PhysicalResourceId: 'lakeformation-settings-999999999999',
          ResourceProperties: props({ Admins: [CDK_EXEC_ROLE] }),
          OldResourceProperties: props({ CatalogId: '999999999999', Admins: [CDK_EXEC_ROLE, PLATFORM_ADMIN] }),
        }),
        { logStreamName: LOG_STREAM },
      );

      expect(putInputs()[0]?.DataLakeSettings?.DataLakeAdmins).toStrictEqual(principals(PLATFORM_ADMIN, CDK_EXEC_ROLE));
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    });

    it('given settings already as wanted, when updated without changes, then reads but does not put and still succeeds with the same physical id', async () => {
      lakeFormationHolds({
          DataLakeAdmins: principals(MANUAL_ADMIN, CDK_EXEC_ROLE, PLATFORM_ADMIN),
          CreateDatabaseDefaultPermissions: [],
          CreateTableDefaultPermissions: [],
          Parameters: { SET_SOURCE_IDENTITY: 'FALSE', CROSS_ACCOUNT_VERSION: '4' },
          TrustedResourceOwners: [],
        });

      await lf.handler(
        event({ RequestType: 'Update', PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: props({}) }),
        { logStreamName: LOG_STREAM },
      );

      expect(getInputs()).toStrictEqual([{ CatalogId: ACCOUNT }]);
      expect(putInputs()).toStrictEqual([]);
      expect(sentResponse()).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: PHYSICAL_ID,
        Data: { Admins: `${MANUAL_ADMIN},${CDK_EXEC_ROLE},${PLATFORM_ADMIN}` },
      });
    });

    it('given an update that fails, when responding, then keeps the existing physical id so CloudFormation does not replace the resource', async () => {
      lfMock.on(GetDataLakeSettingsCommand).rejects(
        new AccessDeniedException({ message: 'Insufficient Lake Formation permission(s)', $metadata: {} }),
      );

      await lf.handler(
        event({ RequestType: 'Update', PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: props({}) }),
        { logStreamName: LOG_STREAM },
      );

      expect(sentResponse()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: PHYSICAL_ID });
    });
  });

  describe('delete', () => {
    it('given recorded and unrecorded admins, when deleted, then removes only the recorded admins, deletes the record and leaves default permissions and parameters untouched', async () => {
      records.set(RECORD, [CDK_EXEC_ROLE, PLATFORM_ADMIN]);
      const existing: DataLakeSettings = {
        DataLakeAdmins: principals(CDK_EXEC_ROLE, MANUAL_ADMIN, PLATFORM_ADMIN),
        ReadOnlyAdmins: principals(AUDIT_USER),
        CreateDatabaseDefaultPermissions: IAM_ALLOWED_PRINCIPALS_DEFAULT,
        CreateTableDefaultPermissions: [],
        Parameters: { CROSS_ACCOUNT_VERSION: '4', SET_SOURCE_IDENTITY: 'TRUE' },
        TrustedResourceOwners: ['222222222222'],
      };
      lakeFormationHolds(existing);

      await lf.handler(event({ RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID }), { logStreamName: LOG_STREAM });

      expect(getInputs()).toStrictEqual([{ CatalogId: ACCOUNT }, { CatalogId: ACCOUNT }]);
      expect(records.has(RECORD)).toBe(false);
      expect(putInputs()).toStrictEqual([
        {
          CatalogId: ACCOUNT,
          DataLakeSettings: {
            DataLakeAdmins: principals(MANUAL_ADMIN),
            ReadOnlyAdmins: principals(AUDIT_USER),
            CreateDatabaseDefaultPermissions: IAM_ALLOWED_PRINCIPALS_DEFAULT,
            CreateTableDefaultPermissions: [],
            Parameters: { CROSS_ACCOUNT_VERSION: '4', SET_SOURCE_IDENTITY: 'TRUE' },
            TrustedResourceOwners: ['222222222222'],
          },
        },
      ]);
      expect(sentResponse()).toStrictEqual({
        Status: 'SUCCESS',
        PhysicalResourceId: PHYSICAL_ID,
        StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/governance/guid',
        RequestId: 'request-1',
        LogicalResourceId: 'LakeFormationSettings',
        NoEcho: false,
        Data: { Admins: MANUAL_ADMIN },
      });
    });

    it('given none of the listed admins is an admin any more, when deleted, then reads but does not put', async () => {
      lakeFormationHolds({ DataLakeAdmins: principals(MANUAL_ADMIN) });

      await lf.handler(event({ RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID }), { logStreamName: LOG_STREAM });

      expect(getInputs()).toHaveLength(1);
      expect(putInputs()).toStrictEqual([]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    });

    it('given a foreign physical id, when deleted, then succeeds without calling Lake Formation', async () => {
      await lf.handler(event({ RequestType: 'Delete', PhysicalResourceId: 'LakeFormationSettings-ABC123' }), {
        logStreamName: LOG_STREAM,
      });

      expect(lfMock.calls()).toHaveLength(0);
      expect(sentResponse()).toStrictEqual({
        Status: 'SUCCESS',
        PhysicalResourceId: 'LakeFormationSettings-ABC123',
        StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/governance/guid',
        RequestId: 'request-1',
        LogicalResourceId: 'LakeFormationSettings',
        NoEcho: false,
        Data: {},
      });
    });

    it('given a create that failed, when CloudFormation rolls back with a delete of the id it got, then no admin is removed', async () => {
      lfMock.on(GetDataLakeSettingsCommand).resolves({ DataLakeSettings: { DataLakeAdmins: principals(PLATFORM_ADMIN) } });
      lfMock.on(PutDataLakeSettingsCommand).rejects(
        new AccessDeniedException({ message: 'User is not authorized to perform: lakeformation:PutDataLakeSettings', $metadata: {} }),
      );
      await lf.handler(event({ RequestId: 'create-request' }), { logStreamName: LOG_STREAM });
      const failed = sentResponse();
      expect(failed).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: 'lakeformation-settings-create-failed-create-request',
      });
      lfMock.resetHistory();
      fetchMock.mockClear();

      await lf.handler(
        event({ RequestType: 'Delete', RequestId: 'delete-request', PhysicalResourceId: String(failed.PhysicalResourceId) }),
        { logStreamName: LOG_STREAM },
      );

      expect(lfMock.calls()).toHaveLength(0);
      expect(sentResponse()).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: 'lakeformation-settings-create-failed-create-request',
      });
    });
  });

  describe('admins the toolkit added (defect 8)', () => {
    it('given the CDK execution role was an admin before the toolkit, when created and later deleted, then the record leaves it out and Delete keeps it', async () => {
      // given
      lakeFormationHolds({ DataLakeAdmins: principals(CDK_EXEC_ROLE) });
      await lf.handler(event(), { logStreamName: LOG_STREAM });
      expect(records.get(RECORD)).toStrictEqual([PLATFORM_ADMIN]);
      lfMock.resetHistory();
      fetchMock.mockClear();

      // when
      await lf.handler(event({ RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID }), { logStreamName: LOG_STREAM });

      // then
      expect(putInputs().map((p) => p.DataLakeSettings?.DataLakeAdmins)).toStrictEqual([principals(CDK_EXEC_ROLE)]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', Data: { Admins: CDK_EXEC_ROLE } });
      expect(records.has(RECORD)).toBe(false);
    });

    it('given a handler role recorded by an earlier deployment that was torn down with RETAIN, when created again, then the stale admin is removed before writing', async () => {
      const oldHandlerRole = `arn:aws:iam::${ACCOUNT}:role/Lf-SettingsHandlerRole-OLD123`;
      records.set(RECORD, [CDK_EXEC_ROLE, oldHandlerRole]);
      deletedPrincipals.add(oldHandlerRole);
      lakeFormationHolds({ DataLakeAdmins: principals(MANUAL_ADMIN, CDK_EXEC_ROLE, oldHandlerRole) });

      await lf.handler(event(), { logStreamName: LOG_STREAM });

      expect(putInputs()[0]?.DataLakeSettings?.DataLakeAdmins).toStrictEqual(principals(MANUAL_ADMIN, CDK_EXEC_ROLE, PLATFORM_ADMIN));
      expect(records.get(RECORD)).toStrictEqual([CDK_EXEC_ROLE, PLATFORM_ADMIN]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS' });
    });

    it('given a recorded admin that still is wanted but whose role was deleted, when updated, then it is dropped and re-added', async () => {
      records.set(RECORD, [CDK_EXEC_ROLE, PLATFORM_ADMIN]);
      deletedPrincipals.add(PLATFORM_ADMIN);
      lakeFormationHolds({ DataLakeAdmins: principals(CDK_EXEC_ROLE, PLATFORM_ADMIN) });

      await lf.handler(event({ RequestType: 'Update', PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: props({}) }), { logStreamName: LOG_STREAM });

      // the wanted admin is kept: PutDataLakeSettings then says whether the principal is valid
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', Data: { Admins: `${CDK_EXEC_ROLE},${PLATFORM_ADMIN}` } });
    });

    it('given an admin the toolkit never added whose role was deleted, when Lake Formation refuses the write as an invalid principal, then FAILED explains how to remove it', async () => {
      lakeFormationHolds({ DataLakeAdmins: principals(MANUAL_ADMIN) }, {
        put: [Object.assign(new Error('Invalid principal: arn:aws:iam::111111111111:role/Admin'), { name: 'InvalidInputException' })],
      });

      await lf.handler(event(), { logStreamName: LOG_STREAM });

      const body = sentResponse();
      expect(body.Status).toBe('FAILED');
      expect(String(body.Reason)).toContain('InvalidInputException: Invalid principal');
      expect(String(body.Reason)).toContain('remove the stale admin in the Lake Formation console');
    });

    it('given Lake Formation does not keep an admin, when the settings are read back, then FAILED names the missing admin', async () => {
      lfMock.on(GetDataLakeSettingsCommand).resolves({ DataLakeSettings: { DataLakeAdmins: principals(MANUAL_ADMIN) } });
      lfMock.on(PutDataLakeSettingsCommand).resolves({});

      await lf.handler(event(), { logStreamName: LOG_STREAM });

      expect(putInputs()).toHaveLength(1);
      expect(getInputs()).toHaveLength(4);
      const body = sentResponse();
      expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'lakeformation-settings-create-failed-request-1' });
      expect(String(body.Reason)).toContain(`Data lake admins missing after PutDataLakeSettings on catalog ${ACCOUNT}`);
      expect(String(body.Reason)).toContain(CDK_EXEC_ROLE);
      expect(String(body.Reason)).toContain(PLATFORM_ADMIN);
    });

    it('given no record (a stack deployed before records existed), when deleted, then removes only the function\'s own role', async () => {
      lakeFormationHolds({ DataLakeAdmins: principals(CDK_EXEC_ROLE, PLATFORM_ADMIN, HANDLER_ROLE) });

      await lf.handler(event({ RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID }), { logStreamName: LOG_STREAM });

      expect(putInputs()[0]?.DataLakeSettings?.DataLakeAdmins).toStrictEqual(principals(CDK_EXEC_ROLE, PLATFORM_ADMIN));
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS' });
    });

    it('given a write that fails, when recording, then the admins about to be added were recorded first', async () => {
      lakeFormationHolds({ DataLakeAdmins: [] }, {
        put: [new AccessDeniedException({ message: 'denied', $metadata: {} })],
      });

      await lf.handler(event(), { logStreamName: LOG_STREAM });

      expect(sentResponse()).toMatchObject({ Status: 'FAILED' });
      expect(recordWrites).toStrictEqual([{ name: RECORD, admins: [CDK_EXEC_ROLE, PLATFORM_ADMIN] }]);
    });
  });

  describe('admins fixed at deploy time (defect 9)', () => {
    it('given a request whose Admins differ from the deploy-time admins, when created, then FAILED without calling Lake Formation', async () => {
      const intruder = `arn:aws:iam::${ACCOUNT}:role/intruder`;

      await lf.handler(event({ ResourceProperties: props({ Admins: [CDK_EXEC_ROLE, PLATFORM_ADMIN, intruder] }) }), { logStreamName: LOG_STREAM });

      expect(lfMock.calls()).toHaveLength(0);
      const body = sentResponse();
      expect(body.Status).toBe('FAILED');
      expect(String(body.Reason)).toContain('`Admins` must equal the admins fixed when the function was deployed');
      expect(String(body.Reason)).toContain(intruder);
    });

    it('given a function deployed without ADMIN_ARNS, when created, then FAILED explaining the misconfiguration', async () => {
      delete process.env.ADMIN_ARNS;

      await lf.handler(event(), { logStreamName: LOG_STREAM });

      expect(lfMock.calls()).toHaveLength(0);
      expect(String(sentResponse().Reason)).toContain('environment variable ADMIN_ARNS must be a JSON array');
    });
  });

  describe('deadline (defect 12)', () => {
    it('given GetDataLakeSettings never answers, when the Lambda deadline nears, then FAILED is sent before the timeout', async () => {
      vi.useFakeTimers();
      lfMock.on(GetDataLakeSettingsCommand).callsFake(() => new Promise(() => undefined));
      let remaining = 60_000;
      const started = Date.now();
      const context = { logStreamName: LOG_STREAM, getRemainingTimeInMillis: () => remaining - (Date.now() - started) };

      const done = lf.handler(event(), context);
      await vi.advanceTimersByTimeAsync(44_999);
      expect(fetchMock).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      await done;

      const body = sentResponse();
      expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'lakeformation-settings-create-failed-request-1' });
      expect(String(body.Reason)).toContain('did not finish within 45 s');
      expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      remaining = 0;
    });

    it('given the response upload fails twice, when answering, then the third attempt delivers it', async () => {
      lakeFormationHolds(undefined);
      fetchMock
        .mockRejectedValueOnce(new Error('socket hang up'))
        .mockResolvedValueOnce({ ok: false, status: 503, statusText: 'Slow Down' });

      await lf.handler(event(), { logStreamName: LOG_STREAM });

      expect(fetchMock).toHaveBeenCalledTimes(3);
      const bodies = fetchMock.mock.calls.map((c) => JSON.parse((c[1] as { body: string }).body).Status);
      expect(bodies).toStrictEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
      expect(sleeps).toStrictEqual([500, 1_000]);
    });
  });

  describe('validation', () => {
    it.each([
      ['CatalogId', { CatalogId: '12345' }, '"12345"', '12-digit'],
      ['CatalogId', { CatalogId: undefined }, 'got: nothing', '12-digit'],
      ['Admins', { Admins: [] }, 'got: []', 'non-empty array'],
      ['Admins', { Admins: CDK_EXEC_ROLE }, JSON.stringify(CDK_EXEC_ROLE), 'non-empty array'],
      ['Admins[1]', { Admins: [CDK_EXEC_ROLE, `arn:aws:iam::${ACCOUNT}:group/admins`] }, `"arn:aws:iam::${ACCOUNT}:group/admins"`, 'role or user ARN'],
      ['Admins[0]', { Admins: ['DataPlatformAdmin'] }, '"DataPlatformAdmin"', 'role or user ARN'],
      ['CrossAccountVersion', { CrossAccountVersion: '2' }, '"2"', 'one of "3", "4", "5"'],
      ['CrossAccountVersion', { CrossAccountVersion: undefined }, 'got: nothing', 'one of "3", "4", "5"'],
    ])(
      'given an invalid %s (%j), when created, then fails naming the property, the value and what is allowed without calling Lake Formation',
      async (property, overrides, renderedValue, allowed) => {
        await lf.handler(event({ ResourceProperties: props(overrides) }), { logStreamName: LOG_STREAM });

        expect(lfMock.calls()).toHaveLength(0);
        const body = sentResponse();
        expect(body).toMatchObject({
          Status: 'FAILED',
          PhysicalResourceId: 'lakeformation-settings-create-failed-request-1',
          NoEcho: false,
          Data: {},
        });
        const reason = String(body.Reason);
        expect(reason).toContain(`\`${property}\``);
        expect(reason).toContain(renderedValue);
        expect(reason).toContain(allowed);
        expect(reason.endsWith(` (see CloudWatch log stream ${LOG_STREAM})`)).toBe(true);
        expect(errorLog).toHaveBeenCalled();
      },
    );

    it('given several invalid properties, when validated, then every problem is reported at once', () => {
      expect(() => lf.validateProperties({ CatalogId: 'abc', Admins: [], CrossAccountVersion: '9' })).toThrow(
        /`CatalogId`.*"abc".*`Admins`.*`CrossAccountVersion`.*"9"/,
      );
    });

    it('given valid role, role-with-path, user and GovCloud ARNs, when validated, then they are accepted and de-duplicated', () => {
      const gov = 'arn:aws-us-gov:iam::123456789012:role/service-role/Deployer';
      expect(
        lf.validateProperties({
          CatalogId: ACCOUNT,
          Admins: [CDK_EXEC_ROLE, PLATFORM_ADMIN, AUDIT_USER, gov, CDK_EXEC_ROLE],
          CrossAccountVersion: '3',
        }),
      ).toStrictEqual({
        catalogId: ACCOUNT,
        admins: [CDK_EXEC_ROLE, PLATFORM_ADMIN, AUDIT_USER, gov],
        crossAccountVersion: '3',
      });
    });
  });

  describe('retries', () => {
    it('given throttling on read and a concurrent modification on write, when created, then retries the read-modify-write with backoff and succeeds', async () => {
      lakeFormationHolds({ DataLakeAdmins: principals(MANUAL_ADMIN) }, {
        get: [throttling()],
        put: [new ConcurrentModificationException({ message: 'Settings were modified', $metadata: {} })],
      });

      await lf.handler(event(), { logStreamName: LOG_STREAM });

      // throttled read, read, conflicting put, read, put, read back
      expect(getInputs()).toHaveLength(4);
      expect(putInputs()).toHaveLength(2);
      expect(sleeps).toHaveLength(2);
      expect(sleeps[0]).toBeGreaterThanOrEqual(200);
      expect(sleeps[0]).toBeLessThanOrEqual(300);
      expect(sleeps[1]).toBeGreaterThanOrEqual(400);
      expect(sleeps[1]).toBeLessThanOrEqual(600);
      expect(sentResponse()).toMatchObject({
        Status: 'SUCCESS',
        Data: { Admins: `${MANUAL_ADMIN},${CDK_EXEC_ROLE},${PLATFORM_ADMIN}` },
      });
    });

    it('given a non-retryable error, when created, then fails at once with the service message in Reason', async () => {
      lfMock
        .on(GetDataLakeSettingsCommand)
        .rejects(new AccessDeniedException({ message: 'User: arn:aws:sts::111111111111:assumed-role/x is not authorized', $metadata: {} }));

      await lf.handler(event(), { logStreamName: LOG_STREAM });

      expect(getInputs()).toHaveLength(1);
      expect(putInputs()).toHaveLength(0);
      expect(sleeps).toStrictEqual([]);
      expect(sentResponse()).toStrictEqual({
        Status: 'FAILED',
        Reason: `AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/x is not authorized (see CloudWatch log stream ${LOG_STREAM})`,
        PhysicalResourceId: 'lakeformation-settings-create-failed-request-1',
        StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/governance/guid',
        RequestId: 'request-1',
        LogicalResourceId: 'LakeFormationSettings',
        NoEcho: false,
        Data: {},
      });
      expect(errorLog).toHaveBeenCalled();
    });

    it('given throttling that never stops, when created, then gives up after 5 attempts and fails', async () => {
      lfMock.on(GetDataLakeSettingsCommand).rejects(throttling());

      await lf.handler(event(), { logStreamName: LOG_STREAM });

      expect(getInputs()).toHaveLength(5);
      expect(putInputs()).toHaveLength(0);
      expect(sleeps).toHaveLength(4);
      sleeps.forEach((ms, i) => {
        expect(ms).toBeGreaterThanOrEqual(200 * 2 ** i);
        expect(ms).toBeLessThanOrEqual(300 * 2 ** i);
      });
      const body = sentResponse();
      expect(body.Status).toBe('FAILED');
      expect(body.Reason).toBe(`ThrottlingException: Rate exceeded (see CloudWatch log stream ${LOG_STREAM})`);
    });

    it.each(['ThrottlingException', 'ConcurrentModificationException', 'InternalServiceException', 'ServiceUnavailable', 'ServiceUnavailableException', 'TooManyRequestsException'])(
      'given a %s, when classified, then it is retryable',
      (name) => {
        expect(lf.isRetryable(Object.assign(new Error('x'), { name }))).toBe(true);
      },
    );

    it.each(['AccessDeniedException', 'InvalidInputException', 'EntityNotFoundException', 'Error'])(
      'given a %s, when classified, then it is not retryable',
      (name) => {
        expect(lf.isRetryable(Object.assign(new Error('x'), { name }))).toBe(false);
      },
    );
  });

  describe('response', () => {
    it('given the response PUT is rejected, when handled, then the error is logged and rethrown', async () => {
      lfMock.on(GetDataLakeSettingsCommand).resolves({});
      lfMock.on(PutDataLakeSettingsCommand).resolves({});
      fetchMock.mockRejectedValue(new Error('getaddrinfo ENOTFOUND'));

      await expect(lf.handler(event(), { logStreamName: LOG_STREAM })).rejects.toThrow('getaddrinfo ENOTFOUND');
      expect(errorLog).toHaveBeenCalledWith('Failed to send the response to CloudFormation', expect.any(Error));
    });

    it('given the presigned URL answers 403, when handled, then the handler rejects', async () => {
      lfMock.on(GetDataLakeSettingsCommand).resolves({});
      lfMock.on(PutDataLakeSettingsCommand).resolves({});
      fetchMock.mockResolvedValue({ ok: false, status: 403, statusText: 'Forbidden' });

      await expect(lf.handler(event(), { logStreamName: LOG_STREAM })).rejects.toThrow('HTTP 403 Forbidden');
    });
  });

  describe('pure helpers', () => {
    it('given existing settings, when merged, then the input object is not modified', () => {
      const existing: DataLakeSettings = {
        DataLakeAdmins: principals(MANUAL_ADMIN),
        CreateDatabaseDefaultPermissions: IAM_ALLOWED_PRINCIPALS_DEFAULT,
        Parameters: { CROSS_ACCOUNT_VERSION: '1' },
      };
      const snapshot = structuredClone(existing);

      const merged = lf.mergeSettings(existing, { admins: [CDK_EXEC_ROLE], crossAccountVersion: '4' });

      expect(existing).toStrictEqual(snapshot);
      expect(merged).toStrictEqual({
        DataLakeAdmins: principals(MANUAL_ADMIN, CDK_EXEC_ROLE),
        CreateDatabaseDefaultPermissions: [],
        CreateTableDefaultPermissions: [],
        Parameters: { CROSS_ACCOUNT_VERSION: '4' },
      });
    });

    it('given an admin both removed and still wanted, when merged, then it is kept', () => {
      const merged = lf.mergeSettings(
        { DataLakeAdmins: principals(CDK_EXEC_ROLE, PLATFORM_ADMIN) },
        { admins: [CDK_EXEC_ROLE], removedAdmins: [CDK_EXEC_ROLE, PLATFORM_ADMIN], crossAccountVersion: '4' },
      );
      expect(merged.DataLakeAdmins).toStrictEqual(principals(CDK_EXEC_ROLE));
    });

    it('given old and new properties, when computing removed admins, then only toolkit-listed admins that left are returned', () => {
      const current = { catalogId: ACCOUNT, admins: [CDK_EXEC_ROLE], crossAccountVersion: '4' };
      expect(lf.adminsRemovedByUpdate({ CatalogId: ACCOUNT, Admins: [CDK_EXEC_ROLE, PLATFORM_ADMIN] }, current)).toStrictEqual([
        PLATFORM_ADMIN,
      ]);
      expect(lf.adminsRemovedByUpdate(undefined, current)).toStrictEqual([]);
      expect(lf.adminsRemovedByUpdate({ CatalogId: '999999999999', Admins: [PLATFORM_ADMIN] }, current)).toStrictEqual([]);
    });

    it('given settings that differ only in key order, when compared, then they are equal; a changed value makes them differ', () => {
      expect(lf.settingsEqual({ Parameters: { A: '1', B: '2' }, DataLakeAdmins: [] }, { DataLakeAdmins: [], Parameters: { B: '2', A: '1' } })).toBe(true);
      expect(lf.settingsEqual({ Parameters: { A: '1' } }, { Parameters: { A: '2' } })).toBe(false);
      expect(lf.settingsEqual(undefined, { CreateTableDefaultPermissions: [] })).toBe(false);
    });

    it('given a catalog id, when building the physical id, then it is stable', () => {
      expect(lf.physicalResourceId(ACCOUNT)).toBe(PHYSICAL_ID);
    });
  });
});

describe('the default database (Athena on Lake Formation needs DESCRIBE on it)', () => {
  const ensure = (lf as unknown as { ensureDefaultDatabase(catalogId: string, signal?: AbortSignal): Promise<boolean> }).ensureDefaultDatabase;

  it('given a catalog without a default database, when created, then creates it with no default permissions after writing the settings', async () => {
    glueMock.on(GetDatabaseCommand).rejects(new EntityNotFoundException({ message: 'Database default not found.', $metadata: {} }));
    glueMock.on(CreateDatabaseCommand).resolves({});
    lakeFormationHolds({ DataLakeAdmins: [] });

    await lf.handler(event(), { logStreamName: LOG_STREAM });

    expect(sentResponse().Status).toBe('SUCCESS');
    expect(glueMock.commandCalls(GetDatabaseCommand).map((c) => c.args[0].input)).toStrictEqual([{ CatalogId: ACCOUNT, Name: 'default' }]);
    const created = glueMock.commandCalls(CreateDatabaseCommand).map((c) => c.args[0].input);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ CatalogId: ACCOUNT, DatabaseInput: { Name: 'default', CreateTableDefaultPermissions: [] } });
    expect(putInputs()).toHaveLength(1);
  });

  it('given a catalog with a default database, when created, then creates nothing', async () => {
    lakeFormationHolds({ DataLakeAdmins: [] });
    await lf.handler(event(), { logStreamName: LOG_STREAM });
    expect(sentResponse().Status).toBe('SUCCESS');
    expect(glueMock.commandCalls(CreateDatabaseCommand)).toHaveLength(0);
  });

  it('given someone creates it meanwhile, when creating, then takes AlreadyExists as done', async () => {
    glueMock.on(GetDatabaseCommand).rejects(new EntityNotFoundException({ message: 'not found', $metadata: {} }));
    glueMock.on(CreateDatabaseCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: {} }));
    await expect(ensure(ACCOUNT)).resolves.toBe(false);
  });

  it('given Glue refuses the lookup, when created, then FAILED names the error', async () => {
    glueMock.on(GetDatabaseCommand).rejects(Object.assign(new Error('User is not authorized to perform: glue:GetDatabase'), { name: 'AccessDeniedException' }));
    lakeFormationHolds({ DataLakeAdmins: [] });
    await lf.handler(event(), { logStreamName: LOG_STREAM });
    expect(sentResponse().Status).toBe('FAILED');
    expect(String(sentResponse().Reason)).toContain('glue:GetDatabase');
  });
});
