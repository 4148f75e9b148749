// @ts-check
'use strict';

/**
 * Custom::LakeFormationSettings
 *
 * CloudFormation custom resource (invoked directly through `ServiceToken`) that makes the toolkit's principals
 * Lake Formation data lake administrators, turns off the IAM_ALLOWED_PRINCIPALS default permissions for new
 * databases and tables, and sets the cross-account grant version.
 *
 * ResourceProperties (CloudFormation passes every value as a string):
 * - `CatalogId`           12-digit account id.
 * - `Admins`              non-empty array of IAM role/user ARNs; must equal the deploy-time admin set below.
 * - `CrossAccountVersion` "3" | "4" | "5".
 *
 * Environment (rendered by the LakeFormationSettings construct, so fixed at deploy time):
 * - `ADMIN_ARNS`              JSON array: the only admins this function ever adds. A request whose `Admins`
 *                             differ is refused, so invoking the function cannot make anyone else an admin.
 * - `ADMINS_RECORD_PARAMETER` SSM parameter in which the function records the admins it added itself (those that
 *                             were not admins before). Only recorded admins are ever removed: on Delete, when
 *                             they leave `ADMIN_ARNS`, or when their IAM role or user no longer exists (a deleted
 *                             principal left in the list makes every later PutDataLakeSettings fail with
 *                             "Invalid principal", aws-cdk issue #19492). CloudFormation sends no response Data
 *                             back on Delete, hence a durable record outside the stack.
 * - `HANDLER_ROLE_ARN`        this function's role: without a record (stacks deployed before records existed)
 *                             it is the only admin Delete removes, since it cannot have been an admin before.
 *
 * Every change is a read-modify-write of the whole settings object: PutDataLakeSettings replaces all settings,
 * so every field we do not own is passed back exactly as it was read. The settings are read back after the
 * write, and the request fails if an admin that should be there is missing.
 *
 * Runs on the Lambda Node.js runtime, which provides the AWS SDK v3.
 */

const {
  LakeFormationClient,
  GetDataLakeSettingsCommand,
  PutDataLakeSettingsCommand,
} = require('@aws-sdk/client-lakeformation');
const { GlueClient, GetDatabaseCommand, CreateDatabaseCommand } = require('@aws-sdk/client-glue');
const { runCustomResource, defaultFailedPhysicalResourceId } = require('../shared/cfn-response.js');
const {
  sdkClientConfig, errorName, errorMessage, isRetryable, withRetry, render, setSleep, sleep, RETRYABLE_ERRORS,
} = require('../shared/runtime.js');

/**
 * @typedef {import('@aws-sdk/client-lakeformation').DataLakeSettings} DataLakeSettings
 * @typedef {import('@aws-sdk/client-lakeformation').DataLakePrincipal} DataLakePrincipal
 * @typedef {import('../shared/cfn-response.js').CfnEvent} CustomResourceEvent
 * @typedef {import('../shared/cfn-response.js').LambdaContext} LambdaContext
 */

/**
 * @typedef {object} SettingsProperties
 * @property {string} catalogId
 * @property {string[]} admins
 * @property {string} crossAccountVersion
 */

/**
 * Where the admins the function added are recorded. Injectable for tests.
 * @typedef {object} AdminRecordStore
 * @property {(name: string, signal?: AbortSignal) => Promise<string[] | undefined>} read undefined when there is no record
 * @property {(name: string, admins: string[], signal?: AbortSignal) => Promise<void>} write
 * @property {(name: string, signal?: AbortSignal) => Promise<void>} remove
 */

const PHYSICAL_ID_PREFIX = 'lakeformation-settings-';
const CATALOG_ID_PATTERN = /^\d{12}$/;
const ADMIN_ARN_PATTERN = /^arn:[a-z-]+:iam::\d{12}:(role|user)\/.+$/;
const CROSS_ACCOUNT_VERSIONS = ['3', '4', '5'];

/** Reads after a write before concluding that an admin went missing (the settings are read back at once). */
const READ_BACK_ATTEMPTS = 3;
const READ_BACK_DELAY_MS = 1_000;

/** @type {LakeFormationClient | undefined} */
let client;

/** @returns {LakeFormationClient} */
function getClient() {
  if (!client) client = new LakeFormationClient(sdkClientConfig());
  return client;
}

/**
 * The stable physical id: the same for every update of one catalog, so an update never triggers a replacement.
 * @param {string} catalogId
 * @returns {string}
 */
function physicalResourceId(catalogId) {
  return `${PHYSICAL_ID_PREFIX}${catalogId}`;
}

/**
 * Physical id reported when a Create fails. It never equals `physicalResourceId(...)`, so the Delete that
 * CloudFormation sends while rolling back the failed create is recognised as foreign and touches nothing.
 * @param {CustomResourceEvent} event
 * @returns {string}
 */
function failedCreatePhysicalResourceId(event) {
  return `${PHYSICAL_ID_PREFIX}create-failed-${event.RequestId}`;
}

/**
 * Checks the resource properties and returns them normalised. Throws one error listing every problem found.
 * @param {Record<string, unknown> | undefined} props
 * @returns {SettingsProperties}
 */
function validateProperties(props) {
  const p = props ?? {};
  /** @type {string[]} */
  const problems = [];

  const catalogId = p.CatalogId;
  if (typeof catalogId !== 'string' || !CATALOG_ID_PATTERN.test(catalogId)) {
    problems.push(`\`CatalogId\` must be a 12-digit AWS account id, got: ${render(catalogId)}`);
  }

  const admins = p.Admins;
  if (!Array.isArray(admins) || admins.length === 0) {
    problems.push(
      `\`Admins\` must be a non-empty array of IAM role or user ARNs (arn:<partition>:iam::<account>:role/<name> or :user/<name>), got: ${render(admins)}`,
    );
  } else {
    admins.forEach((admin, i) => {
      if (typeof admin !== 'string' || !ADMIN_ARN_PATTERN.test(admin)) {
        problems.push(
          `\`Admins[${i}]\` must be an IAM role or user ARN matching ${ADMIN_ARN_PATTERN.source}, got: ${render(admin)}`,
        );
      }
    });
  }

  const rawVersion = p.CrossAccountVersion;
  const version = typeof rawVersion === 'number' ? String(rawVersion) : rawVersion;
  if (typeof version !== 'string' || !CROSS_ACCOUNT_VERSIONS.includes(version)) {
    problems.push(
      `\`CrossAccountVersion\` must be one of ${CROSS_ACCOUNT_VERSIONS.map((v) => `"${v}"`).join(', ')}, got: ${render(rawVersion)}`,
    );
  }

  if (problems.length > 0) {
    throw new Error(`Invalid properties for Custom::LakeFormationSettings: ${problems.join('; ')}`);
  }
  return {
    catalogId: /** @type {string} */ (catalogId),
    admins: dedupe(/** @type {string[]} */ (admins)),
    crossAccountVersion: /** @type {string} */ (version),
  };
}

/**
 * @param {string[]} values
 * @returns {string[]}
 */
function dedupe(values) {
  return [...new Set(values)];
}

/**
 * Admins the toolkit listed before an update but no longer lists. Only these may be removed on update.
 * Returns nothing when the old properties are missing or belong to another catalog (a catalog change is a
 * replacement: the old catalog is cleaned up by the Delete CloudFormation sends for the old physical id).
 * @param {Record<string, unknown> | undefined} oldProps
 * @param {SettingsProperties} current
 * @returns {string[]}
 */
function adminsRemovedByUpdate(oldProps, current) {
  if (!oldProps || oldProps.CatalogId !== current.catalogId) return [];
  const oldAdmins = Array.isArray(oldProps.Admins) ? oldProps.Admins.filter((a) => typeof a === 'string') : [];
  const keep = new Set(current.admins);
  return dedupe(oldAdmins.filter((a) => !keep.has(a)));
}

/**
 * Computes the admin list: existing admins in their order, minus `remove`, plus every `add` not yet present.
 * Principals are compared by `DataLakePrincipalIdentifier`.
 * @param {DataLakePrincipal[] | undefined} existing
 * @param {readonly string[]} add
 * @param {readonly string[]} remove
 * @returns {DataLakePrincipal[]}
 */
function mergeAdmins(existing, add, remove) {
  const removeSet = new Set(remove.filter((r) => !add.includes(r)));
  const result = (existing ?? []).filter(
    (p) => p.DataLakePrincipalIdentifier === undefined || !removeSet.has(p.DataLakePrincipalIdentifier),
  );
  const present = new Set(result.map((p) => p.DataLakePrincipalIdentifier));
  for (const arn of add) {
    if (!present.has(arn)) {
      result.push({ DataLakePrincipalIdentifier: arn });
      present.add(arn);
    }
  }
  return result;
}

/**
 * The settings to put on Create/Update: the existing settings with our admins merged in, no default
 * permissions for new databases and tables, and `Parameters.CROSS_ACCOUNT_VERSION` set. Every other field is
 * carried over unchanged. Pure: does not modify `existing`.
 * @param {DataLakeSettings | undefined} existing
 * @param {{ admins: readonly string[], removedAdmins?: readonly string[], crossAccountVersion: string }} wanted
 * @returns {DataLakeSettings}
 */
function mergeSettings(existing, wanted) {
  const base = existing ?? {};
  return {
    ...base,
    DataLakeAdmins: mergeAdmins(base.DataLakeAdmins, wanted.admins, wanted.removedAdmins ?? []),
    CreateDatabaseDefaultPermissions: [],
    CreateTableDefaultPermissions: [],
    Parameters: { ...(base.Parameters ?? {}), CROSS_ACCOUNT_VERSION: wanted.crossAccountVersion },
  };
}

/**
 * The settings to put on Delete: only the listed admins are removed; default permissions and Parameters are
 * left as they are (restoring IAM_ALLOWED_PRINCIPALS defaults would silently open access). Pure.
 * @param {DataLakeSettings | undefined} existing
 * @param {readonly string[]} admins
 * @returns {DataLakeSettings}
 */
function removeAdminsFromSettings(existing, admins) {
  const base = existing ?? {};
  return { ...base, DataLakeAdmins: mergeAdmins(base.DataLakeAdmins, [], admins) };
}

/**
 * JSON with object keys sorted, so that two settings objects can be compared regardless of key order.
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      /** @type {Record<string, unknown>} */
      const sorted = {};
      for (const k of Object.keys(v).sort()) sorted[k] = v[k];
      return sorted;
    }
    return v;
  });
}

/**
 * True when putting `next` would change nothing compared with `current`.
 * @param {DataLakeSettings | undefined} current
 * @param {DataLakeSettings} next
 * @returns {boolean}
 */
function settingsEqual(current, next) {
  return canonicalJson(current ?? {}) === canonicalJson(next);
}

// ---------------------------------------------------------------------------------------------------------------
// Deploy-time configuration and the record of added admins

/**
 * @typedef {object} FunctionConfig
 * @property {string[]} admins the admin set fixed at deploy time
 * @property {string} recordParameter
 * @property {string | undefined} handlerRoleArn
 */

/**
 * Reads the deploy-time configuration from the environment. Throws when it is missing or malformed.
 * @param {NodeJS.ProcessEnv} env
 * @returns {FunctionConfig}
 */
function readConfig(env) {
  /** @type {string[]} */
  const problems = [];
  /** @type {unknown} */
  let admins;
  try {
    admins = JSON.parse(env.ADMIN_ARNS ?? '');
  } catch {
    admins = undefined;
  }
  if (!Array.isArray(admins) || admins.length === 0 || admins.some((a) => typeof a !== 'string' || !ADMIN_ARN_PATTERN.test(a))) {
    problems.push(`environment variable ADMIN_ARNS must be a JSON array of IAM role or user ARNs, got: ${render(env.ADMIN_ARNS)}`);
  }
  const recordParameter = env.ADMINS_RECORD_PARAMETER;
  if (typeof recordParameter !== 'string' || !recordParameter.startsWith('/')) {
    problems.push(`environment variable ADMINS_RECORD_PARAMETER must be an SSM parameter name starting with "/", got: ${render(recordParameter)}`);
  }
  if (problems.length > 0) {
    throw new Error(`The Lake Formation administration function is misconfigured: ${problems.join('; ')}. Deploy it with the LakeFormationSettings construct.`);
  }
  return {
    admins: dedupe(/** @type {string[]} */ (admins)),
    recordParameter: /** @type {string} */ (recordParameter),
    handlerRoleArn: env.HANDLER_ROLE_ARN || undefined,
  };
}

/**
 * Refuses a request whose admins differ from the deploy-time set: whoever can invoke the function must not be
 * able to choose who becomes a data lake administrator.
 * @param {readonly string[]} requested
 * @param {readonly string[]} fixed
 */
function checkAdminsMatch(requested, fixed) {
  const fixedSet = new Set(fixed);
  const requestedSet = new Set(requested);
  const extra = requested.filter((a) => !fixedSet.has(a));
  const missing = fixed.filter((a) => !requestedSet.has(a));
  if (extra.length > 0 || missing.length > 0) {
    throw new Error('`Admins` must equal the admins fixed when the function was deployed (ADMIN_ARNS); '
      + `got ${extra.length > 0 ? `unexpected ${render(extra)}` : ''}${extra.length > 0 && missing.length > 0 ? ' and ' : ''}`
      + `${missing.length > 0 ? `missing ${render(missing)}` : ''}. Change admins through the LakeFormationSettings construct, not by invoking the function.`);
  }
}

/** @type {AdminRecordStore} */
let adminRecordStore = {
  async read(name, signal) {
    const ssm = ssmModule();
    try {
      const out = await withRetry(`GetParameter ${name}`, () => ssmClient().send(new ssm.GetParameterCommand({ Name: name }), { abortSignal: signal }), signal);
      const parsed = JSON.parse(out.Parameter?.Value ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((a) => typeof a === 'string') : [];
    } catch (err) {
      if (errorName(err) === 'ParameterNotFound') return undefined;
      throw err;
    }
  },
  async write(name, admins, signal) {
    const ssm = ssmModule();
    await withRetry(`PutParameter ${name}`, () => ssmClient().send(new ssm.PutParameterCommand({
      Name: name,
      Value: JSON.stringify(admins),
      Type: 'String',
      Overwrite: true,
      Description: 'Lake Formation data lake admins that cdk-data-mesh added itself (and may therefore remove)',
    }), { abortSignal: signal }), signal);
  },
  async remove(name, signal) {
    const ssm = ssmModule();
    try {
      await withRetry(`DeleteParameter ${name}`, () => ssmClient().send(new ssm.DeleteParameterCommand({ Name: name }), { abortSignal: signal }), signal);
    } catch (err) {
      if (errorName(err) !== 'ParameterNotFound') throw err;
    }
  },
};

/**
 * Whether an IAM role or user ARN of `accountId` still exists. Principals of other accounts cannot be looked up
 * and count as existing. Injectable for tests.
 * @type {(arn: string, accountId: string, signal?: AbortSignal) => Promise<boolean>}
 */
let principalExists = async (arn, accountId, signal) => {
  const match = /^arn:[a-z-]+:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!match || match[1] !== accountId) return true;
  const iam = iamModule();
  const command = match[2] === 'role' ? new iam.GetRoleCommand({ RoleName: match[3] }) : new iam.GetUserCommand({ UserName: match[3] });
  try {
    await withRetry(`IAM lookup of ${arn}`, () => iamClient().send(command, { abortSignal: signal }), signal);
    return true;
  } catch (err) {
    if (errorName(err) === 'NoSuchEntityException' || errorName(err) === 'NoSuchEntity') return false;
    throw err;
  }
};

// The SSM and IAM clients are loaded on first use from the SDK the Lambda runtime provides.
/** @type {any} */ let ssm;
/** @type {any} */ let iam;
const SSM_PACKAGE = '@aws-sdk/client-ssm';
const IAM_PACKAGE = '@aws-sdk/client-iam';
function ssmModule() { return require(SSM_PACKAGE); }
function iamModule() { return require(IAM_PACKAGE); }
function ssmClient() {
  if (!ssm) ssm = new (ssmModule().SSMClient)(sdkClientConfig());
  return ssm;
}
function iamClient() {
  if (!iam) iam = new (iamModule().IAMClient)(sdkClientConfig());
  return iam;
}

/**
 * Replaces the record store (tests pass an in-memory one).
 * @param {AdminRecordStore} store
 */
function setAdminRecordStore(store) {
  adminRecordStore = store;
}

/**
 * Replaces the IAM existence check (tests pass a fake).
 * @param {(arn: string, accountId: string, signal?: AbortSignal) => Promise<boolean>} fn
 */
function setPrincipalExists(fn) {
  principalExists = fn;
}

// ---------------------------------------------------------------------------------------------------------------
// Lake Formation

/**
 * @param {DataLakeSettings | undefined} settings
 * @returns {string[]}
 */
function adminIds(settings) {
  return (settings?.DataLakeAdmins ?? [])
    .map((p) => p.DataLakePrincipalIdentifier)
    .filter((id) => typeof id === 'string');
}

/**
 * @param {string} catalogId
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<DataLakeSettings | undefined>}
 */
async function getSettings(catalogId, signal) {
  const got = await getClient().send(new GetDataLakeSettingsCommand({ CatalogId: catalogId }), { abortSignal: signal });
  return got.DataLakeSettings;
}

/**
 * Reads the settings back after a write and fails when an admin that should be there is not.
 * @param {string} catalogId
 * @param {readonly string[]} expectedAdmins
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<DataLakeSettings | undefined>}
 */
async function verifyAdmins(catalogId, expectedAdmins, signal) {
  for (let attempt = 1; ; attempt++) {
    const settings = await withRetry(`GetDataLakeSettings ${catalogId} (read back)`, () => getSettings(catalogId, signal), signal);
    const present = new Set(adminIds(settings));
    const missing = expectedAdmins.filter((a) => !present.has(a));
    if (missing.length === 0) return settings;
    if (attempt >= READ_BACK_ATTEMPTS) {
      throw new Error(`Data lake admins missing after PutDataLakeSettings on catalog ${catalogId}: ${render(missing, 1500)}. `
        + 'Lake Formation did not keep them (another writer may have replaced the settings at the same time); '
        + 'check the Lake Formation console and deploy again.');
    }
    console.warn(`Read back of catalog ${catalogId}: admins ${render(missing)} not visible yet; reading again in ${READ_BACK_DELAY_MS} ms`);
    await sleep(READ_BACK_DELAY_MS);
  }
}

/**
 * Adds a hint to "Invalid principal" errors: a principal in the admin list that no longer exists makes every
 * PutDataLakeSettings fail, and one this toolkit did not add is never removed by it.
 * @param {unknown} err
 * @returns {unknown}
 */
function explainPutError(err) {
  if (errorMessage(err).toLowerCase().includes('invalid principal')) {
    return new Error(`${errorMessage(err)}. A data lake admin whose IAM role or user was deleted blocks every change of the settings; `
      + 'this toolkit removes only admins it added itself, so remove the stale admin in the Lake Formation console '
      + '(Administration > Administrative roles and tasks) and deploy again', { cause: err });
  }
  return err;
}

/**
 * @typedef {object} WriteResult
 * @property {DataLakeSettings} settings the settings in force afterwards
 * @property {string[]} added admins that were not admins before this write and are now
 */

/**
 * Read-modify-write of the data lake settings, then a read back. Skips the put when nothing would change.
 * The whole cycle is retried, so a ConcurrentModificationException re-reads the settings before writing again.
 * `beforePut` runs with the admins the write is about to add, before the write (to record them first).
 * @param {string} catalogId
 * @param {(current: DataLakeSettings | undefined) => DataLakeSettings} modify
 * @param {(added: string[]) => Promise<void>} beforePut
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<WriteResult>}
 */
async function readModifyWrite(catalogId, modify, beforePut, signal) {
  return withRetry(`Lake Formation settings of catalog ${catalogId}`, async () => {
    const current = await getSettings(catalogId, signal);
    const next = modify(current);
    if (settingsEqual(current, next)) {
      console.log(`Data lake settings of catalog ${catalogId} already as wanted; nothing to put`);
      return { settings: next, added: [] };
    }
    const before = new Set(adminIds(current));
    const added = adminIds(next).filter((a) => !before.has(a));
    await beforePut(added);
    try {
      await getClient().send(new PutDataLakeSettingsCommand({ CatalogId: catalogId, DataLakeSettings: next }), { abortSignal: signal });
    } catch (err) {
      throw explainPutError(err);
    }
    console.log(`Put data lake settings of catalog ${catalogId}: ${JSON.stringify(next)}`);
    const settings = await verifyAdmins(catalogId, adminIds(next), signal);
    return { settings: settings ?? next, added };
  }, signal);
}

/**
 * @param {DataLakeSettings} settings
 * @returns {Record<string, string>}
 */
function responseData(settings) {
  return { Admins: adminIds(settings).join(',') };
}

/**
 * The recorded admins whose IAM principal no longer exists.
 * @param {readonly string[]} recorded
 * @param {string} catalogId
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<string[]>}
 */
async function staleAdmins(recorded, catalogId, signal) {
  /** @type {string[]} */
  const stale = [];
  for (const arn of recorded) {
    if (!(await principalExists(arn, catalogId, signal))) stale.push(arn);
  }
  if (stale.length > 0) console.log(`Recorded admins that no longer exist and are dropped: ${stale.join(', ')}`);
  return stale;
}

/**
 * Writes the record, or deletes it when it would be empty; does nothing when it would not change.
 * @param {FunctionConfig} config
 * @param {string[] | undefined} previous
 * @param {string[]} next
 * @param {AbortSignal | undefined} signal
 */
async function saveRecord(config, previous, next, signal) {
  const sorted = [...new Set(next)].sort();
  if (previous !== undefined && JSON.stringify([...new Set(previous)].sort()) === JSON.stringify(sorted)) return;
  if (sorted.length === 0) {
    if (previous !== undefined) await adminRecordStore.remove(config.recordParameter, signal);
    return;
  }
  await adminRecordStore.write(config.recordParameter, sorted, signal);
}

/**
 * Does the work for one event. Throws on failure.
 * @param {CustomResourceEvent} event
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<{ physicalResourceId: string, data: Record<string, string> }>}
 */
async function processEvent(event, signal) {
  const props = event.ResourceProperties ?? {};

  if (event.RequestType === 'Delete') {
    const expectedId = physicalResourceId(String(props.CatalogId));
    if (event.PhysicalResourceId !== expectedId) {
      console.log(
        `Delete of physical id ${render(event.PhysicalResourceId)} which this handler never created (expected ${render(expectedId)}); nothing to do`,
      );
      return { physicalResourceId: String(event.PhysicalResourceId), data: {} };
    }
    const valid = validateProperties(props);
    const config = readConfig(process.env);
    const recorded = await adminRecordStore.read(config.recordParameter, signal);
    // Without a record, only the function's own role is known to have been added by the toolkit.
    const remove = recorded ?? (config.handlerRoleArn ? [config.handlerRoleArn] : []);
    if (recorded === undefined) {
      console.warn(`No record of added admins in ${config.recordParameter}; removing only this function's role ${render(config.handlerRoleArn)}`);
    }
    const result = await readModifyWrite(valid.catalogId, (current) => removeAdminsFromSettings(current, remove),
      async () => undefined, signal);
    await saveRecord(config, recorded, [], signal);
    return { physicalResourceId: expectedId, data: responseData(result.settings) };
  }

  if (event.RequestType === 'Create' || event.RequestType === 'Update') {
    const valid = validateProperties(props);
    const config = readConfig(process.env);
    checkAdminsMatch(valid.admins, config.admins);
    const wanted = config.admins;
    const recorded = await adminRecordStore.read(config.recordParameter, signal);
    const stale = await staleAdmins(recorded ?? [], valid.catalogId, signal);
    const wantedSet = new Set(wanted);
    const removedAdmins = dedupe([
      ...(recorded ?? []).filter((a) => !wantedSet.has(a)),
      ...stale,
      // Stacks deployed before records existed: admins the previous properties listed and no longer list.
      ...(recorded === undefined && event.RequestType === 'Update' ? adminsRemovedByUpdate(event.OldResourceProperties, valid) : []),
    ]);
    const dropped = new Set(removedAdmins.filter((a) => !wantedSet.has(a)));
    const result = await readModifyWrite(valid.catalogId, (current) =>
      mergeSettings(current, { admins: wanted, removedAdmins, crossAccountVersion: valid.crossAccountVersion }),
    async (added) => {
      // Record before writing: an admin added by a write whose record was lost could never be removed again.
      if (added.length > 0) await saveRecord(config, recorded, [...(recorded ?? []), ...added], signal);
    }, signal);
    const stored = result.added.length > 0 ? dedupe([...(recorded ?? []), ...result.added]) : recorded;
    await saveRecord(config, stored, (stored ?? []).filter((a) => !dropped.has(a)), signal);
    await ensureDefaultDatabase(valid.catalogId, signal);
    return { physicalResourceId: physicalResourceId(valid.catalogId), data: responseData(result.settings) };
  }

  throw new Error(`Unsupported RequestType ${render(/** @type {{ RequestType?: unknown }} */ (event).RequestType)}`);
}

/** The database Athena needs DESCRIBE on in every querying account's catalog. */
const DEFAULT_DATABASE = 'default';

/** @type {GlueClient | undefined} */
let glue;
function glueClient() {
  if (!glue) glue = new GlueClient(sdkClientConfig());
  return glue;
}

/**
 * Makes sure the catalog has a `default` database. Athena on Lake Formation data needs DESCRIBE on it
 * (https://docs.aws.amazon.com/athena/latest/ug/lf-athena-limitations.html#lf-athena-limitations-describe-default),
 * the mesh grants that to every query role, and a grant on a database that does not exist fails. A catalog that
 * was never used has none. Created after the settings are written, so with no default permissions.
 * @param {string} catalogId
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<boolean>} whether it was created
 */
async function ensureDefaultDatabase(catalogId, signal) {
  try {
    await withRetry(`Glue database ${DEFAULT_DATABASE} of ${catalogId}`,
      () => glueClient().send(new GetDatabaseCommand({ CatalogId: catalogId, Name: DEFAULT_DATABASE }), { abortSignal: signal }), signal);
    return false;
  } catch (err) {
    if (errorName(err) !== 'EntityNotFoundException') throw err;
  }
  try {
    await withRetry(`creating Glue database ${DEFAULT_DATABASE} of ${catalogId}`, () => glueClient().send(new CreateDatabaseCommand({
      CatalogId: catalogId,
      DatabaseInput: { Name: DEFAULT_DATABASE, Description: 'Default database (created by cdk-data-mesh: Athena needs DESCRIBE on it)', CreateTableDefaultPermissions: [] },
    }), { abortSignal: signal }), signal);
  } catch (err) {
    // Created meanwhile by someone else: what we wanted.
    if (errorName(err) !== 'AlreadyExistsException') throw err;
    return false;
  }
  console.log(`Created the ${DEFAULT_DATABASE} database of catalog ${catalogId}`);
  return true;
}

/**
 * Lambda entry point. Always answers CloudFormation, with SUCCESS or FAILED, before the Lambda deadline.
 * @param {CustomResourceEvent} event
 * @param {LambdaContext} context
 * @returns {Promise<void>}
 */
async function handler(event, context) {
  await runCustomResource(event, context, {
    work: ({ signal }) => processEvent(event, signal),
    failedPhysicalResourceId: () => defaultFailedPhysicalResourceId(event, PHYSICAL_ID_PREFIX),
  });
}

module.exports = {
  handler,
  ensureDefaultDatabase,
  setSleep,
  setAdminRecordStore,
  setPrincipalExists,
  physicalResourceId,
  failedCreatePhysicalResourceId,
  validateProperties,
  readConfig,
  checkAdminsMatch,
  adminsRemovedByUpdate,
  mergeAdmins,
  mergeSettings,
  removeAdminsFromSettings,
  settingsEqual,
  isRetryable,
  withRetry,
  RETRYABLE_ERRORS,
};
