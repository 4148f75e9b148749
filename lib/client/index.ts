export * from './defaults';
export * from './errors';
export * from './mesh-client';
export { RETRYABLE_ERROR_NAMES, RetryOptions, isRetryableError } from './retry';
export * from './types';
