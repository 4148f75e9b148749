// @ts-check
'use strict';

/**
 * What every custom resource handler needs besides the CloudFormation protocol: an injectable clock and sleep
 * (tests replace them), AWS SDK client settings with a deadline on every call, retries of throttling and
 * transient errors, and error rendering.
 */

/** Longest time one SDK call may wait to open a connection, and for the whole response. */
const SDK_CONNECTION_TIMEOUT_MS = 5_000;
const SDK_REQUEST_TIMEOUT_MS = 20_000;

/**
 * Error names (SDK v3 `error.name`) worth retrying: throttling and transient server-side failures.
 * `ThrottledException` and `OperationTimeoutException` are Lake Formation's own names, `ServerInternalException`
 * is RAM's.
 */
const RETRYABLE_ERRORS = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'ConcurrentModificationException',
  'InternalServiceException',
  'ServerInternalException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'OperationTimeoutException',
]);
const RETRY_BASE_DELAY_MS = 200;
const RETRY_FACTOR = 2;
const RETRY_MAX_ATTEMPTS = 5;

/** @type {(ms: number) => Promise<void>} */
let sleepImpl = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** @type {() => number} */
let nowImpl = () => Date.now();

/**
 * Replaces the function used to wait (tests pass one that resolves at once).
 * @param {(ms: number) => Promise<void>} fn
 */
function setSleep(fn) {
  sleepImpl = fn;
}

/**
 * Replaces the clock (milliseconds).
 * @param {() => number} fn
 */
function setNow(fn) {
  nowImpl = fn;
}

/** @param {number} ms */
function sleep(ms) {
  return sleepImpl(ms);
}

function now() {
  return nowImpl();
}

/**
 * Settings for every AWS SDK client of the handlers: each call gives up after a bounded time instead of holding
 * the function until its timeout, and the SDK does not retry on its own (`withRetry` does, with a visible log).
 * @param {string} [region] defaults to the function's region
 */
function sdkClientConfig(region) {
  return {
    ...(region ? { region } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: SDK_CONNECTION_TIMEOUT_MS, requestTimeout: SDK_REQUEST_TIMEOUT_MS },
  };
}

/**
 * @param {unknown} err
 * @returns {string}
 */
function errorName(err) {
  return err && typeof err === 'object' && 'name' in err ? String(err.name) : 'error';
}

/**
 * The error's message, prefixed with its name when that says more than "Error" (e.g. `AccessDeniedException: ...`).
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
 * @param {unknown} err
 * @returns {boolean}
 */
function isRetryable(err) {
  if (!err || typeof err !== 'object') return false;
  const e = /** @type {{ name?: unknown, code?: unknown, Code?: unknown }} */ (err);
  return [e.name, e.code, e.Code].some((n) => typeof n === 'string' && RETRYABLE_ERRORS.has(n));
}

/**
 * Delay before retry number `retry` (1-based): 200 ms, 400 ms, 800 ms, 1600 ms, each plus up to 50 % jitter.
 * @param {number} retry
 * @returns {number}
 */
function backoffDelay(retry) {
  const base = RETRY_BASE_DELAY_MS * RETRY_FACTOR ** (retry - 1);
  return Math.round(base + Math.random() * base * 0.5);
}

/**
 * Runs `fn`, retrying throttling and transient errors with exponential backoff (at most 5 attempts). Other
 * errors are thrown at once, and no retry starts once `signal` is aborted (the handler's deadline passed).
 * @template T
 * @param {string} what what is being done, for the log
 * @param {() => Promise<T>} fn
 * @param {AbortSignal} [signal]
 * @returns {Promise<T>}
 */
async function withRetry(what, fn, signal) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err) || signal?.aborted) throw err;
      if (attempt >= RETRY_MAX_ATTEMPTS) {
        console.error(`${what}: giving up after ${attempt} attempts`);
        throw err;
      }
      const delay = backoffDelay(attempt);
      console.warn(`${what}: attempt ${attempt} failed with ${errorMessage(err)}; retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
}

/**
 * A value for error messages: JSON, shortened to `max` characters; `nothing` for undefined.
 * @param {unknown} value
 * @param {number} [max]
 * @returns {string}
 */
function render(value, max = 300) {
  if (value === undefined) return 'nothing';
  try {
    const s = JSON.stringify(value);
    return s.length > max ? `${s.slice(0, max - 3)}...` : s;
  } catch {
    return String(value);
  }
}

module.exports = {
  setSleep,
  setNow,
  sleep,
  now,
  sdkClientConfig,
  errorName,
  errorMessage,
  isRetryable,
  backoffDelay,
  withRetry,
  render,
  RETRYABLE_ERRORS,
  SDK_CONNECTION_TIMEOUT_MS,
  SDK_REQUEST_TIMEOUT_MS,
};
