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
 * - `Admins`              non-empty array of IAM role/user ARNs.
 * - `CrossAccountVersion` "3" | "4" | "5".
 *
 * Every change is a read-modify-write of the whole settings object: PutDataLakeSettings replaces all settings,
 * so every field we do not own is passed back exactly as it was read.
 *
 * Runs on the `nodejs22.x` Lambda runtime, which provides the AWS SDK v3.
 */

const {
  LakeFormationClient,
  GetDataLakeSettingsCommand,
  PutDataLakeSettingsCommand,
} = require('@aws-sdk/client-lakeformation');

/**
 * @typedef {import('@aws-sdk/client-lakeformation').DataLakeSettings} DataLakeSettings
 * @typedef {import('@aws-sdk/client-lakeformation').DataLakePrincipal} DataLakePrincipal
 */

/**
 * @typedef {object} CustomResourceEvent
 * @property {'Create' | 'Update' | 'Delete'} RequestType
 * @property {string} ResponseURL
 * @property {string} StackId
 * @property {string} RequestId
 * @property {string} LogicalResourceId
 * @property {string} [ResourceType]
 * @property {string} [ServiceToken]
 * @property {string} [PhysicalResourceId] Present on Update and Delete.
 * @property {Record<string, unknown>} ResourceProperties
 * @property {Record<string, unknown>} [OldResourceProperties] Present on Update.
 */

/**
 * @typedef {object} LambdaContext
 * @property {string} logStreamName
 */

/**
 * @typedef {object} ResponseBody
 * @property {'SUCCESS' | 'FAILED'} Status
 * @property {string} [Reason]
 * @property {string} PhysicalResourceId
 * @property {string} StackId
 * @property {string} RequestId
 * @property {string} LogicalResourceId
 * @property {boolean} NoEcho
 * @property {Record<string, string>} Data
 */

/**
 * @typedef {object} SettingsProperties
 * @property {string} catalogId
 * @property {string[]} admins
 * @property {string} crossAccountVersion
 */

const PHYSICAL_ID_PREFIX = 'lakeformation-settings-';
const CATALOG_ID_PATTERN = /^\d{12}$/;
const ADMIN_ARN_PATTERN = /^arn:[a-z-]+:iam::\d{12}:(role|user)\/.+$/;
const CROSS_ACCOUNT_VERSIONS = ['3', '4', '5'];

/** Error names (SDK v3 `error.name`) worth retrying: throttling and transient server-side failures. */
const RETRYABLE_ERRORS = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'ConcurrentModificationException',
  'InternalServiceException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'OperationTimeoutException',
]);
const RETRY_BASE_DELAY_MS = 200;
const RETRY_FACTOR = 2;
const RETRY_MAX_ATTEMPTS = 5;

/** Longest error message put into `Reason`; the whole response must stay below CloudFormation's 4 KiB limit. */
const MAX_REASON_MESSAGE_LENGTH = 2000;

/** @type {(ms: number) => Promise<void>} */
let sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @type {LakeFormationClient | undefined} */
let client;

/**
 * Replaces the function used to wait between retries (tests pass one that resolves at once).
 * @param {(ms: number) => Promise<void>} fn
 */
function setSleep(fn) {
  sleep = fn;
}

/** @returns {LakeFormationClient} */
function getClient() {
  if (!client) client = new LakeFormationClient({});
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
 * @param {unknown} value
 * @returns {string}
 */
function render(value) {
  if (value === undefined) return 'nothing';
  try {
    const s = JSON.stringify(value);
    return s.length > 300 ? `${s.slice(0, 297)}...` : s;
  } catch {
    return String(value);
  }
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

/**
 * @param {unknown} err
 * @returns {boolean}
 */
function isRetryable(err) {
  if (!err || typeof err !== 'object') return false;
  const e = /** @type {{ name?: unknown, code?: unknown, Code?: unknown }} */ (err);
  return [e.name, e.code, e.Code].some((n) => typeof n === 'string' && RETRYABLE_ERRORS.has(n));
}

/**
 * Runs `fn`, retrying throttling and transient errors with exponential backoff and jitter
 * (200 ms, 400 ms, 800 ms, 1600 ms, each plus up to 50 %; at most 5 attempts). Other errors are thrown at once.
 * @template T
 * @param {string} what Description used in log lines.
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withRetry(what, fn) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err) || attempt >= RETRY_MAX_ATTEMPTS) {
        if (isRetryable(err)) {
          console.error(`${what}: giving up after ${attempt} attempts`);
        }
        throw err;
      }
      const base = RETRY_BASE_DELAY_MS * RETRY_FACTOR ** (attempt - 1);
      const delay = Math.round(base + Math.random() * base * 0.5);
      console.warn(`${what}: attempt ${attempt} failed with ${errorName(err)}; retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
}

/**
 * @param {unknown} err
 * @returns {string}
 */
function errorName(err) {
  return err && typeof err === 'object' && 'name' in err ? String(err.name) : 'error';
}

/**
 * @param {unknown} err
 * @returns {string}
 */
function errorMessage(err) {
  if (err instanceof Error) {
    return err.name && err.name !== 'Error' && !err.message.startsWith(err.name)
      ? `${err.name}: ${err.message}`
      : err.message;
  }
  return String(err);
}

/**
 * Read-modify-write of the data lake settings. Skips the put when nothing would change.
 * The whole cycle is retried, so a ConcurrentModificationException re-reads the settings before writing again.
 * @param {string} catalogId
 * @param {(current: DataLakeSettings | undefined) => DataLakeSettings} modify
 * @returns {Promise<DataLakeSettings>} the settings in force afterwards
 */
async function readModifyWrite(catalogId, modify) {
  return withRetry(`Lake Formation settings of catalog ${catalogId}`, async () => {
    const lf = getClient();
    const got = await lf.send(new GetDataLakeSettingsCommand({ CatalogId: catalogId }));
    const current = got.DataLakeSettings;
    const next = modify(current);
    if (settingsEqual(current, next)) {
      console.log(`Data lake settings of catalog ${catalogId} already as wanted; nothing to put`);
      return next;
    }
    await lf.send(new PutDataLakeSettingsCommand({ CatalogId: catalogId, DataLakeSettings: next }));
    console.log(`Put data lake settings of catalog ${catalogId}: ${JSON.stringify(next)}`);
    return next;
  });
}

/**
 * @param {DataLakeSettings} settings
 * @returns {Record<string, string>}
 */
function responseData(settings) {
  return {
    Admins: (settings.DataLakeAdmins ?? [])
      .map((p) => p.DataLakePrincipalIdentifier)
      .filter((id) => id !== undefined)
      .join(','),
  };
}

/**
 * Does the work for one event. Throws on failure.
 * @param {CustomResourceEvent} event
 * @returns {Promise<{ physicalResourceId: string, data: Record<string, string> }>}
 */
async function processEvent(event) {
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
    const settings = await readModifyWrite(valid.catalogId, (current) =>
      removeAdminsFromSettings(current, valid.admins),
    );
    return { physicalResourceId: expectedId, data: responseData(settings) };
  }

  if (event.RequestType === 'Create' || event.RequestType === 'Update') {
    const valid = validateProperties(props);
    const removedAdmins =
      event.RequestType === 'Update' ? adminsRemovedByUpdate(event.OldResourceProperties, valid) : [];
    const settings = await readModifyWrite(valid.catalogId, (current) =>
      mergeSettings(current, {
        admins: valid.admins,
        removedAdmins,
        crossAccountVersion: valid.crossAccountVersion,
      }),
    );
    return { physicalResourceId: physicalResourceId(valid.catalogId), data: responseData(settings) };
  }

  throw new Error(`Unsupported RequestType ${render(/** @type {{ RequestType?: unknown }} */ (event).RequestType)}`);
}

/**
 * Sends the response to CloudFormation's presigned S3 URL. Logs and rethrows when that fails.
 * @param {CustomResourceEvent} event
 * @param {ResponseBody} body
 * @returns {Promise<void>}
 */
async function sendResponse(event, body) {
  const json = JSON.stringify(body);
  console.log(`Responding to CloudFormation: ${json}`);
  try {
    const res = await fetch(event.ResponseURL, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(json)) },
      body: json,
    });
    if (!res.ok) {
      throw new Error(`CloudFormation response upload returned HTTP ${res.status} ${res.statusText}`);
    }
  } catch (err) {
    console.error('Failed to send the response to CloudFormation', err);
    throw err;
  }
}

/**
 * Lambda entry point. Always answers CloudFormation, with SUCCESS or FAILED.
 * @param {CustomResourceEvent} event
 * @param {LambdaContext} context
 * @returns {Promise<void>}
 */
async function handler(event, context) {
  console.log(JSON.stringify({ ...event, ResponseURL: '<redacted>' }));
  /** @type {ResponseBody} */
  let body;
  try {
    const result = await processEvent(event);
    body = {
      Status: 'SUCCESS',
      PhysicalResourceId: result.physicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: false,
      Data: result.data,
    };
  } catch (err) {
    console.error(`${event.RequestType} failed`, err);
    let message = errorMessage(err);
    if (message.length > MAX_REASON_MESSAGE_LENGTH) message = `${message.slice(0, MAX_REASON_MESSAGE_LENGTH)}...`;
    body = {
      Status: 'FAILED',
      Reason: `${message} (see CloudWatch log stream ${context.logStreamName})`,
      PhysicalResourceId:
        event.RequestType === 'Create'
          ? failedCreatePhysicalResourceId(event)
          : String(event.PhysicalResourceId ?? failedCreatePhysicalResourceId(event)),
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: false,
      Data: {},
    };
  }
  await sendResponse(event, body);
}

module.exports = {
  handler,
  sendResponse,
  setSleep,
  physicalResourceId,
  failedCreatePhysicalResourceId,
  validateProperties,
  adminsRemovedByUpdate,
  mergeAdmins,
  mergeSettings,
  removeAdminsFromSettings,
  settingsEqual,
  isRetryable,
  withRetry,
  RETRYABLE_ERRORS,
};
