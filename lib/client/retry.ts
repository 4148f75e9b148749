import { DEFAULT_RETRY_BASE_DELAY_MS, DEFAULT_RETRY_MAX_ATTEMPTS, DEFAULT_RETRY_MAX_DELAY_MS } from './defaults';
import { RetriesExhaustedError } from './errors';

export interface RetryOptions {
  /** Attempts per call, the first included; 1 turns retries off. @default DEFAULT_RETRY_MAX_ATTEMPTS (5) */
  readonly maxAttempts?: number;
  /** Backoff before the first retry, doubled on each further retry. @default DEFAULT_RETRY_BASE_DELAY_MS (200) */
  readonly baseDelayMs?: number;
  /** Longest backoff. @default DEFAULT_RETRY_MAX_DELAY_MS (20000) */
  readonly maxDelayMs?: number;
}

/** Error names (SDK v3 `error.name`) of throttling and transient failures of Glue, Lake Formation and Athena. */
export const RETRYABLE_ERROR_NAMES: readonly string[] = [
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'ConcurrentModificationException',
  'InternalServiceException',
  'InternalServerException',
  'ServiceUnavailableException',
];

/** Whether an AWS SDK error is worth retrying: throttling, a transient service error or an HTTP 5xx. */
export function isRetryableError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (typeof e.name === 'string' && RETRYABLE_ERROR_NAMES.includes(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500 && status <= 599;
}

/** Resolved retry settings plus the injectable clock. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Returns a number in [0, 1): the jitter source. */
  readonly random: () => number;
}

export function retryPolicy(options: RetryOptions | undefined, sleep: (ms: number) => Promise<void>, random: () => number): RetryPolicy {
  const maxAttempts = options?.maxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS;
  const baseDelayMs = options?.baseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
  const maxDelayMs = options?.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`\`retry.maxAttempts\` must be an integer of at least 1, got: ${maxAttempts}. Use 1 to turn retries off.`);
  }
  if (!(baseDelayMs >= 0) || !(maxDelayMs >= 0)) {
    throw new RangeError(`\`retry.baseDelayMs\` and \`retry.maxDelayMs\` must be at least 0, got: ${baseDelayMs} and ${maxDelayMs}. Use milliseconds.`);
  }
  return { maxAttempts, baseDelayMs, maxDelayMs, sleep, random };
}

/**
 * Backoff before retry number `retry` (1 = first retry): exponential, capped, with "equal jitter" (half fixed,
 * half random) so that many clients throttled together do not retry in lockstep.
 */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exp / 2 + policy.random() * (exp / 2));
}

/**
 * Runs `call`, retrying throttling and transient errors. Any other error propagates unchanged; when the
 * attempts run out, a {@link RetriesExhaustedError} is thrown with the last error as `cause`.
 */
export async function withRetry<T>(operation: string, policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!isRetryableError(err)) throw err;
      if (attempt >= policy.maxAttempts) throw new RetriesExhaustedError(operation, attempt, err);
      await policy.sleep(backoffDelay(policy, attempt));
    }
  }
}
