// @ts-check
'use strict';

/**
 * The CloudFormation custom resource response protocol, once for every handler of this toolkit.
 *
 * CloudFormation invokes the function directly (`ServiceToken`) and waits for a JSON document PUT to the
 * pre-signed `ResponseURL`; without it the stack waits until the resource's `ServiceTimeout`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html).
 * `runCustomResource` therefore
 * - races the handler's work against the Lambda deadline, keeping a margin to upload the answer, and answers
 *   FAILED with a clear reason when the deadline wins (the work's AbortSignal is aborted too);
 * - keeps the body below CloudFormation's 4096-byte limit by shortening `Reason` in the middle, so that both
 *   the start of the message and the log stream pointer survive
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html);
 * - retries the upload a few times with backoff, each attempt with its own timeout.
 */

const { errorMessage, now, render, sleep } = require('./runtime.js');

/** CloudFormation rejects response bodies above 4096 bytes; keep a margin. */
const MAX_RESPONSE_BYTES = 4000;
/** Upload attempts, the timeout of each and the delays between them. Worst case: 3 × 4 s + 0.5 s + 1 s. */
const UPLOAD_ATTEMPTS = 3;
const UPLOAD_ATTEMPT_TIMEOUT_MS = 4_000;
const UPLOAD_BASE_DELAY_MS = 500;
/** Time kept before the Lambda timeout for answering CloudFormation (covers the worst-case upload). */
const ANSWER_MARGIN_MS = 15_000;

/**
 * @typedef {object} CfnEvent
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
 * @typedef {object} Outcome
 * @property {string} physicalResourceId
 * @property {Record<string, unknown>} [data]
 */

/**
 * @typedef {object} WorkContext
 * @property {AbortSignal} signal aborted when the deadline passes; pass it to every SDK call
 * @property {number | undefined} deadlineAt clock time (see `runtime.now`) by which the work must be done;
 *   undefined when the Lambda context does not say
 */

/**
 * @typedef {object} ResponseFields
 * @property {'SUCCESS' | 'FAILED'} status
 * @property {string} physicalResourceId
 * @property {Record<string, unknown>} [data]
 * @property {string} [reason]
 */

/**
 * The JSON body CloudFormation expects, with `Reason` shortened in the middle when the body would exceed the
 * size limit.
 * @param {CfnEvent} event
 * @param {ResponseFields} fields
 * @returns {string}
 */
function responseBody(event, fields) {
  /** @param {string | undefined} reason */
  const build = (reason) => JSON.stringify({
    Status: fields.status,
    ...(reason !== undefined ? { Reason: reason } : {}),
    PhysicalResourceId: fields.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: fields.data ?? {},
  });
  const reason = fields.reason;
  let body = build(reason);
  let keep = reason?.length ?? 0;
  while (reason !== undefined && keep > 0 && Buffer.byteLength(body) > MAX_RESPONSE_BYTES) {
    // Characters may take several bytes and JSON escaping adds more: shrink until the body fits.
    keep = Math.max(0, keep - (Buffer.byteLength(body) - MAX_RESPONSE_BYTES) - 5);
    const head = Math.ceil(keep * 0.7);
    body = build(`${reason.slice(0, head)} ... ${reason.slice(reason.length - (keep - head))}`);
  }
  return body;
}

/**
 * PUTs the response to CloudFormation's pre-signed URL, trying up to 3 times with backoff. Logs and throws
 * when every attempt failed (Lambda then retries the asynchronous invocation).
 * @param {CfnEvent} event
 * @param {string} body
 * @returns {Promise<void>}
 */
async function sendResponse(event, body) {
  console.log(`Responding to CloudFormation: ${body}`);
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(event.ResponseURL, {
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) },
        body,
        signal: AbortSignal.timeout(UPLOAD_ATTEMPT_TIMEOUT_MS),
      });
      if (!res.ok) {
        throw new Error(`CloudFormation response upload returned HTTP ${res.status} ${res.statusText}`);
      }
      return;
    } catch (err) {
      if (attempt >= UPLOAD_ATTEMPTS) {
        console.error('Failed to send the response to CloudFormation', err);
        throw err;
      }
      const delay = UPLOAD_BASE_DELAY_MS * 2 ** (attempt - 1);
      console.warn(`Response upload attempt ${attempt} failed (${errorMessage(err)}); retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
}

/**
 * The physical id to report with FAILED when the handler has no better one: on Create an id that no handler
 * ever reports on success (so the rollback Delete touches nothing), otherwise the id CloudFormation holds.
 * @param {CfnEvent} event
 * @param {string} prefix
 * @returns {string}
 */
function defaultFailedPhysicalResourceId(event, prefix) {
  const createFailed = `${prefix}create-failed-${event.RequestId}`;
  return event.RequestType === 'Create' ? createFailed : String(event.PhysicalResourceId ?? createFailed);
}

/**
 * Runs one custom resource request and always answers CloudFormation, with SUCCESS or FAILED, before the
 * Lambda deadline.
 * @param {CfnEvent} event
 * @param {LambdaContext} context
 * @param {{ work: (ctx: WorkContext) => Promise<Outcome>, failedPhysicalResourceId: () => string }} handler
 * @returns {Promise<void>}
 */
async function runCustomResource(event, context, handler) {
  console.log(JSON.stringify({ ...event, ResponseURL: '<redacted>' }));
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
  const budget = remaining === undefined ? undefined : remaining - ANSWER_MARGIN_MS;
  const controller = new AbortController();
  const logHint = ` (see CloudWatch log stream ${context?.logStreamName})`;

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Promise<{ timedOut: true }>} */
  const deadline = new Promise((resolve) => {
    if (budget === undefined) return;
    timer = setTimeout(() => resolve({ timedOut: true }), Math.max(0, budget));
  });

  /** @type {string} */
  let body;
  try {
    const result = await Promise.race([
      handler.work({ signal: controller.signal, deadlineAt: budget === undefined ? undefined : now() + budget })
        .then((outcome) => ({ outcome })),
      deadline,
    ]);
    if ('timedOut' in result) {
      const message = `${event.ResourceType ?? 'Custom resource'} ${event.RequestType} did not finish within ${Math.round(Math.max(0, budget ?? 0) / 1000)} s `
        + `(the Lambda timeout minus ${ANSWER_MARGIN_MS / 1000} s kept to answer CloudFormation); an AWS call is probably hanging or throttled`;
      controller.abort(new Error(message));
      console.error(message);
      body = responseBody(event, { status: 'FAILED', physicalResourceId: handler.failedPhysicalResourceId(), reason: message + logHint });
    } else {
      body = responseBody(event, {
        status: 'SUCCESS', physicalResourceId: result.outcome.physicalResourceId, data: result.outcome.data,
      });
    }
  } catch (err) {
    console.error(`${event.RequestType} failed`, err);
    body = responseBody(event, {
      status: 'FAILED', physicalResourceId: handler.failedPhysicalResourceId(), reason: errorMessage(err) + logHint,
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  await sendResponse(event, body);
}

/**
 * Answers FAILED without doing anything (for example an unsupported resource type).
 * @param {CfnEvent} event
 * @param {LambdaContext} context
 * @param {string} message
 * @param {string} physicalResourceId
 */
async function answerFailed(event, context, message, physicalResourceId) {
  console.error(message);
  await sendResponse(event, responseBody(event, {
    status: 'FAILED', physicalResourceId, reason: `${message} (see CloudWatch log stream ${context?.logStreamName})`,
  }));
}

module.exports = {
  runCustomResource,
  sendResponse,
  responseBody,
  answerFailed,
  defaultFailedPhysicalResourceId,
  render,
  MAX_RESPONSE_BYTES,
  ANSWER_MARGIN_MS,
  UPLOAD_ATTEMPTS,
};
