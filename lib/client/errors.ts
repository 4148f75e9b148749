import { messageOf } from './private/messages';

/**
 * Errors of the runtime client. Each one says what failed and carries the identifiers needed to follow up
 * (query execution id, operation); an error caused by another one keeps it as `cause`.
 */

/** Athena's own description of why a query failed (`QueryExecution.Status.AthenaError`). */
export interface AthenaErrorInfo {
  readonly category?: number;
  readonly type?: number;
  readonly retryable?: boolean;
  readonly message?: string;
}

/** An AWS call kept failing with throttling or transient errors; `cause` is the last error. */
export class RetriesExhaustedError extends Error {
  public readonly operation: string;
  public readonly attempts: number;

  constructor(operation: string, attempts: number, cause: unknown) {
    super(`${operation} failed after ${attempts} attempts: ${messageOf(cause)}`, { cause });
    this.name = 'RetriesExhaustedError';
    this.operation = operation;
    this.attempts = attempts;
  }
}

/** The query ended in FAILED or CANCELLED. */
export class QueryFailedError extends Error {
  public readonly queryExecutionId: string;
  public readonly state: string;
  public readonly stateChangeReason?: string;
  public readonly athenaError?: AthenaErrorInfo;

  constructor(queryExecutionId: string, state: string, stateChangeReason?: string, athenaError?: AthenaErrorInfo) {
    const details = [
      stateChangeReason,
      athenaError?.message && athenaError.message !== stateChangeReason ? athenaError.message : undefined,
      athenaError?.category !== undefined ? `error category ${athenaError.category}` : undefined,
      athenaError?.type !== undefined ? `error type ${athenaError.type}` : undefined,
      athenaError?.retryable ? 'Athena reports it as retryable' : undefined,
    ].filter((x): x is string => x !== undefined && x !== '');
    super(`Athena query ${queryExecutionId} ended ${state}${details.length > 0 ? `: ${details.join('; ')}` : ''}`);
    this.name = 'QueryFailedError';
    this.queryExecutionId = queryExecutionId;
    this.state = state;
    this.stateChangeReason = stateChangeReason;
    this.athenaError = athenaError;
  }
}

/** The query ran longer than its timeout; the client asked Athena to stop it. */
export class QueryTimeoutError extends Error {
  public readonly queryExecutionId: string;
  public readonly timeoutMs: number;
  public readonly elapsedMs: number;
  /** Set when `StopQueryExecution` failed: the query may still be running. */
  public readonly stopError?: unknown;

  constructor(queryExecutionId: string, timeoutMs: number, elapsedMs: number, stopError?: unknown) {
    super(`Athena query ${queryExecutionId} did not finish within ${timeoutMs} ms (waited ${elapsedMs} ms); ` +
      (stopError === undefined ? 'it was stopped.' : `stopping it failed (${messageOf(stopError)}), so it may still be running.`));
    this.name = 'QueryTimeoutError';
    this.queryExecutionId = queryExecutionId;
    this.timeoutMs = timeoutMs;
    this.elapsedMs = elapsedMs;
    this.stopError = stopError;
  }
}

/** The caller's abort signal fired; a started query was asked to stop. `cause` is the signal's reason. */
export class QueryAbortedError extends Error {
  /** Undefined when the signal fired before the query was started. */
  public readonly queryExecutionId?: string;
  /** Set when `StopQueryExecution` failed: the query may still be running. */
  public readonly stopError?: unknown;

  /**
   * @param phase `running`: the query was asked to stop; `results`: it had finished and the abort came while
   * its results were read.
   */
  constructor(queryExecutionId: string | undefined, reason: unknown, stopError?: unknown, phase: 'running' | 'results' = 'running') {
    const what = queryExecutionId === undefined ? 'Athena query was aborted before it started' : `Athena query ${queryExecutionId} was aborted`;
    const after = queryExecutionId === undefined ? ''
      : phase === 'results' ? ' while its results were read'
        : stopError === undefined ? '; it was stopped'
          : `; stopping it failed (${messageOf(stopError)}), so it may still be running`;
    super(`${what}${after}.`, { cause: reason });
    this.name = 'QueryAbortedError';
    this.queryExecutionId = queryExecutionId;
    this.stopError = stopError;
  }
}

/** The Glue database exists but is neither a data product nor a resource link to one. */
export class NotADataProductError extends Error {
  public readonly databaseName: string;
  public readonly catalogId?: string;

  constructor(databaseName: string, catalogId?: string) {
    super(`Glue database "${databaseName}"${catalogId ? ` in catalog ${catalogId}` : ''} is not a data product: ` +
      'its parameters lack data_product=true. Use listProducts() to see the products you can reach.');
    this.name = 'NotADataProductError';
    this.databaseName = databaseName;
    this.catalogId = catalogId;
  }
}
