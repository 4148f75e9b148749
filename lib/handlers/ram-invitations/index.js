// @ts-check
'use strict';

/**
 * Custom::RamInvitationAcceptance
 *
 * CloudFormation custom resource (invoked directly through `ServiceToken`) deployed in a consumer account. It
 * accepts the AWS RAM resource share invitations that AWS Lake Formation creates when the governance account
 * grants Data Catalog resources to this account. Only needed when the two accounts are not in one AWS
 * Organization with RAM sharing enabled (inside such an organization shares need no acceptance).
 *
 * ResourceProperties (CloudFormation passes every value as a string):
 * - `SenderAccountId` 12-digit id of the governance account whose invitations are accepted.
 * - `ExpectedShares`  optional number (default "0"): wait until at least this many invitations from the sender
 *                     exist (pending or accepted), because Lake Formation creates them asynchronously.
 * - `Fingerprint`     ignored; only changes to make CloudFormation run the resource again.
 *
 * Delete does nothing: leaving a share is harmless and the governance side revokes its grants.
 *
 * Runs on the `nodejs22.x` Lambda runtime, which provides the AWS SDK v3. The Lambda timeout must exceed the
 * 120 s wait plus the time to accept the invitations.
 */

const {
  RAMClient,
  GetResourceShareInvitationsCommand,
  AcceptResourceShareInvitationCommand,
} = require('@aws-sdk/client-ram');

/**
 * @typedef {import('@aws-sdk/client-ram').ResourceShareInvitation} ResourceShareInvitation
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
 * @property {() => number} [getRemainingTimeInMillis]
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
 * @typedef {object} InvitationProperties
 * @property {string} senderAccountId
 * @property {number} expectedShares
 */

/**
 * @typedef {object} AcceptResult
 * @property {string[]} accepted ARNs of the invitations accepted in this run, in the order accepted.
 * @property {number} found Invitations from the sender found pending or accepted in the last poll.
 * @property {number} polls How many times the invitations were listed.
 */

const PHYSICAL_ID_PREFIX = 'ram-invitations-';
const ACCOUNT_ID_PATTERN = /^\d{12}$/;
const NON_NEGATIVE_INTEGER_PATTERN = /^\d+$/;

/** Time between two listings while waiting for Lake Formation to create the expected invitations. */
const POLL_INTERVAL_MS = 5_000;
/** How long to wait, in total, for the expected invitations. */
const WAIT_DEADLINE_MS = 120_000;
/** Time kept in reserve before the Lambda timeout to answer CloudFormation. */
const LAMBDA_TIMEOUT_MARGIN_MS = 15_000;
const PAGE_SIZE = 100;

/** Error names (SDK v3 `error.name`) worth retrying: throttling and transient server-side failures. */
const RETRYABLE_ERRORS = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ConcurrentModificationException',
  'InternalServiceException',
  'ServerInternalException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
const RETRY_BASE_DELAY_MS = 200;
const RETRY_FACTOR = 2;
const RETRY_MAX_ATTEMPTS = 5;

/** Longest error message put into `Reason`; the whole response must stay below CloudFormation's 4 KiB limit. */
const MAX_REASON_MESSAGE_LENGTH = 2000;

/** @type {(ms: number) => Promise<void>} */
let sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** @type {() => number} */
let now = () => Date.now();

/** @type {RAMClient | undefined} */
let client;

/**
 * Replaces the function used to wait between retries and polls (tests pass one that resolves at once).
 * @param {(ms: number) => Promise<void>} fn
 */
function setSleep(fn) {
  sleep = fn;
}

/**
 * Replaces the clock (milliseconds) used to measure the wait deadline.
 * @param {() => number} fn
 */
function setNow(fn) {
  now = fn;
}

/** @returns {RAMClient} */
function getClient() {
  if (!client) client = new RAMClient({});
  return client;
}

/**
 * @param {string} senderAccountId
 * @returns {string}
 */
function physicalResourceId(senderAccountId) {
  return `${PHYSICAL_ID_PREFIX}${senderAccountId}`;
}

/**
 * Physical id reported when a Create fails; never equal to `physicalResourceId(...)`.
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
 * @returns {InvitationProperties}
 */
function validateProperties(props) {
  const p = props ?? {};
  /** @type {string[]} */
  const problems = [];

  const sender = p.SenderAccountId;
  if (typeof sender !== 'string' || !ACCOUNT_ID_PATTERN.test(sender)) {
    problems.push(`\`SenderAccountId\` must be a 12-digit AWS account id, got: ${render(sender)}`);
  }

  const rawExpected = p.ExpectedShares;
  let expectedShares = 0;
  if (rawExpected !== undefined && rawExpected !== '') {
    const text = typeof rawExpected === 'number' ? String(rawExpected) : rawExpected;
    if (typeof text !== 'string' || !NON_NEGATIVE_INTEGER_PATTERN.test(text)) {
      problems.push(
        `\`ExpectedShares\` must be a non-negative whole number such as "0" or "3" (or be left out), got: ${render(rawExpected)}`,
      );
    } else {
      expectedShares = Number(text);
    }
  }

  if (problems.length > 0) {
    throw new Error(`Invalid properties for Custom::RamInvitationAcceptance: ${problems.join('; ')}`);
  }
  return { senderAccountId: /** @type {string} */ (sender), expectedShares };
}

/**
 * Invitations from `senderAccountId` waiting to be accepted (status PENDING), without duplicates.
 * @param {readonly ResourceShareInvitation[]} invitations
 * @param {string} senderAccountId
 * @returns {string[]} invitation ARNs
 */
function pendingInvitationArns(invitations, senderAccountId) {
  return [
    ...new Set(
      invitations
        .filter((i) => i.senderAccountId === senderAccountId && i.status === 'PENDING')
        .map((i) => i.resourceShareInvitationArn)
        .filter((arn) => typeof arn === 'string' && arn.length > 0),
    ),
  ].map((arn) => /** @type {string} */ (arn));
}

/**
 * How many distinct invitations from `senderAccountId` are PENDING or ACCEPTED.
 * @param {readonly ResourceShareInvitation[]} invitations
 * @param {string} senderAccountId
 * @returns {number}
 */
function countLiveInvitations(invitations, senderAccountId) {
  const arns = new Set(
    invitations
      .filter((i) => i.senderAccountId === senderAccountId && (i.status === 'PENDING' || i.status === 'ACCEPTED'))
      .map((i, index) => i.resourceShareInvitationArn ?? `#${index}`),
  );
  return arns.size;
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
 * Lists every resource share invitation this account has received, following `nextToken` to the last page.
 * @returns {Promise<ResourceShareInvitation[]>}
 */
async function listInvitations() {
  const ram = getClient();
  /** @type {ResourceShareInvitation[]} */
  const all = [];
  /** @type {string | undefined} */
  let nextToken;
  do {
    /** @type {import('@aws-sdk/client-ram').GetResourceShareInvitationsRequest} */
    const input = nextToken === undefined ? { maxResults: PAGE_SIZE } : { maxResults: PAGE_SIZE, nextToken };
    const page = await withRetry('GetResourceShareInvitations', () =>
      ram.send(new GetResourceShareInvitationsCommand(input)),
    );
    all.push(...(page.resourceShareInvitations ?? []));
    nextToken = page.nextToken || undefined;
  } while (nextToken !== undefined);
  return all;
}

/**
 * Accepts one invitation. An invitation that is already accepted counts as accepted (for example when a
 * retried call reaches RAM after an earlier attempt already went through).
 * @param {string} arn
 * @returns {Promise<void>}
 */
async function acceptInvitation(arn) {
  const ram = getClient();
  try {
    await withRetry(`AcceptResourceShareInvitation ${arn}`, () =>
      ram.send(new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: arn })),
    );
    console.log(`Accepted resource share invitation ${arn}`);
  } catch (err) {
    if (errorName(err) === 'ResourceShareInvitationAlreadyAcceptedException') {
      console.log(`Resource share invitation ${arn} was already accepted`);
      return;
    }
    throw err;
  }
}

/**
 * Accepts every pending invitation from the sender, polling until at least `expectedShares` invitations from
 * the sender are pending or accepted, or the deadline passes (then throws).
 * @param {InvitationProperties} props
 * @param {number} deadlineMs how long to keep polling, from the first listing
 * @returns {Promise<AcceptResult>}
 */
async function acceptInvitations(props, deadlineMs) {
  const start = now();
  /** @type {string[]} */
  const accepted = [];
  for (let polls = 1; ; polls++) {
    const invitations = await listInvitations();
    for (const arn of pendingInvitationArns(invitations, props.senderAccountId)) {
      if (accepted.includes(arn)) continue;
      await acceptInvitation(arn);
      accepted.push(arn);
    }
    const found = countLiveInvitations(invitations, props.senderAccountId);
    if (found >= props.expectedShares) {
      return { accepted, found, polls };
    }
    const elapsed = now() - start;
    if (elapsed >= deadlineMs) {
      throw new Error(
        `Expected at least ${props.expectedShares} resource share invitation(s) from account ${props.senderAccountId} ` +
          `(pending or accepted) but found ${found} after waiting ${Math.round(elapsed / 1000)} s ` +
          `(${polls} polls; accepted ${accepted.length} in this run). The governance stack's Lake Formation grants ` +
          `to this account may not have been deployed yet: deploy the governance stack first, then retry.`,
      );
    }
    const wait = Math.min(POLL_INTERVAL_MS, deadlineMs - elapsed);
    console.log(
      `Found ${found} of ${props.expectedShares} expected invitation(s) from ${props.senderAccountId}; polling again in ${wait} ms`,
    );
    await sleep(wait);
  }
}

/**
 * The wait deadline: 120 s, shortened when the Lambda would otherwise time out before it could answer.
 * @param {LambdaContext} context
 * @returns {number}
 */
function waitDeadlineMs(context) {
  if (typeof context.getRemainingTimeInMillis !== 'function') return WAIT_DEADLINE_MS;
  const remaining = context.getRemainingTimeInMillis() - LAMBDA_TIMEOUT_MARGIN_MS;
  return Math.max(0, Math.min(WAIT_DEADLINE_MS, remaining));
}

/**
 * Does the work for one event. Throws on failure.
 * @param {CustomResourceEvent} event
 * @param {LambdaContext} context
 * @returns {Promise<{ physicalResourceId: string, data: Record<string, string> }>}
 */
async function processEvent(event, context) {
  if (event.RequestType === 'Delete') {
    console.log('Delete: resource shares are left as they are; nothing to do');
    return { physicalResourceId: String(event.PhysicalResourceId), data: {} };
  }
  if (event.RequestType === 'Create' || event.RequestType === 'Update') {
    const props = validateProperties(event.ResourceProperties);
    const result = await acceptInvitations(props, waitDeadlineMs(context));
    console.log(
      `Accepted ${result.accepted.length} invitation(s) from ${props.senderAccountId}; ${result.found} found pending or accepted`,
    );
    return {
      physicalResourceId: physicalResourceId(props.senderAccountId),
      data: { Accepted: String(result.accepted.length), ArnList: result.accepted.join(',') },
    };
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
    const result = await processEvent(event, context);
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
  setSleep,
  setNow,
  physicalResourceId,
  failedCreatePhysicalResourceId,
  validateProperties,
  pendingInvitationArns,
  countLiveInvitations,
  listInvitations,
  acceptInvitations,
  waitDeadlineMs,
  isRetryable,
  withRetry,
  RETRYABLE_ERRORS,
  POLL_INTERVAL_MS,
  WAIT_DEADLINE_MS,
};
