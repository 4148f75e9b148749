import {
  GetQueryExecutionCommand, GetQueryExecutionOutput, GetQueryResultsCommand, InvalidRequestException, StartQueryExecutionCommand, StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_QUERY_POLL_INITIAL_MS, DEFAULT_QUERY_POLL_MAX_MS, QueryAbortedError, QueryFailedError, QueryProgress, QueryTimeoutError,
} from '../../lib/client';
import { DataMeshValidationError } from '../../lib/errors';
import { fakeClock, FakeClock, inputs, meshClient, mockedClients } from './fakes';

const QID = 'a1b2c3d4-0000-1111-2222-333344445555';
const TOKEN = 'token-0123456789abcdef0123456789abcdef';
const OPTIONS = { workgroup: 'acme-sales', database: 'sales_orders', clientRequestToken: TOKEN };

const execution = (state: string, extra: { bytes?: number; engineMs?: number; statementType?: string; reason?: string; athenaError?: object } = {}): GetQueryExecutionOutput => ({
  QueryExecution: {
    QueryExecutionId: QID,
    StatementType: (extra.statementType ?? 'DML') as 'DML',
    Status: { State: state as 'RUNNING', StateChangeReason: extra.reason, AthenaError: extra.athenaError },
    Statistics: { DataScannedInBytes: extra.bytes, EngineExecutionTimeInMillis: extra.engineMs },
  },
});

const cell = (v?: string) => (v === undefined ? {} : { VarCharValue: v });
const row = (...values: (string | undefined)[]) => ({ Data: values.map(cell) });

const COLUMNS = [
  ['id', 'integer'], ['total', 'bigint'], ['amount', 'decimal'], ['ratio', 'double'], ['active', 'boolean'],
  ['day', 'date'], ['ts', 'timestamp'], ['name', 'varchar'],
].map(([Name, Type]) => ({ Name, Label: Name, Type }));

let clients: ReturnType<typeof mockedClients>;
let clock: FakeClock;
beforeEach(() => {
  clients = mockedClients();
  clock = fakeClock();
  clients.athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
  clients.athena.on(StopQueryExecutionCommand).resolves({});
});

function pollStates(...results: GetQueryExecutionOutput[]): void {
  let stub = clients.athena.on(GetQueryExecutionCommand);
  for (const r of results) stub = stub.resolvesOnce(r);
}

describe('query success', () => {
  beforeEach(() => {
    pollStates(execution('QUEUED'), execution('RUNNING', { bytes: 100 }), execution('SUCCEEDED', { bytes: 2048, engineMs: 1200 }));
    clients.athena.on(GetQueryResultsCommand)
      .resolvesOnce({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [
            row(...COLUMNS.map((c) => c.Name)),
            row('1', '9007199254740993', '12.50', '0.25', 'true', '2024-05-01', '2024-05-01 10:00:00.000', 'Ada'),
            row('2', '42', undefined, 'NaN', 'false', undefined, undefined, undefined),
          ],
        },
        NextToken: 'results-2',
      })
      .resolvesOnce({
        // Later pages carry no header row.
        ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [row('3', '-7', '-0.1', '1e3', 'true', '2024-05-03', '2024-05-03 00:00:00.000', 'id')] },
      });
  });

  it('starts the query with the exact context and workgroup', async () => {
    await meshClient(clients, clock).query('SELECT * FROM order_lines', { ...OPTIONS, catalog: 'AwsDataCatalog', parameters: ['2024'] });
    expect(inputs(clients.athena, StartQueryExecutionCommand)).toEqual([{
      QueryString: 'SELECT * FROM order_lines',
      ClientRequestToken: TOKEN,
      QueryExecutionContext: { Database: 'sales_orders', Catalog: 'AwsDataCatalog' },
      WorkGroup: 'acme-sales',
      ExecutionParameters: ['2024'],
    }]);
  });

  it('omits the catalog when none is given and generates an idempotency token', async () => {
    await meshClient(clients, clock).query('SELECT 1', { workgroup: 'acme-sales', database: 'sales_orders' });
    const [input] = inputs(clients.athena, StartQueryExecutionCommand) as { ClientRequestToken: string; QueryExecutionContext: object }[];
    expect(input.QueryExecutionContext).toEqual({ Database: 'sales_orders' });
    expect(input.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pages through results, skips only the first page header and types the values', async () => {
    const result = await meshClient(clients, clock).query('SELECT * FROM order_lines', OPTIONS);
    expect(inputs(clients.athena, GetQueryResultsCommand)).toEqual([
      { QueryExecutionId: QID, MaxResults: 1000 },
      { QueryExecutionId: QID, MaxResults: 1000, NextToken: 'results-2' },
    ]);
    expect(result.columns).toEqual(COLUMNS.map((c) => ({ name: c.Name, type: c.Type })));
    expect(result.rows).toEqual([
      { id: 1, total: '9007199254740993', amount: 12.5, ratio: 0.25, active: true, day: '2024-05-01', ts: '2024-05-01 10:00:00.000', name: 'Ada' },
      { id: 2, total: 42, amount: null, ratio: NaN, active: false, day: null, ts: null, name: null },
      { id: 3, total: -7, amount: -0.1, ratio: 1000, active: true, day: '2024-05-03', ts: '2024-05-03 00:00:00.000', name: 'id' },
    ]);
    expect(result).toMatchObject({ queryExecutionId: QID, bytesScanned: 2048, executionTimeMs: 1200, elapsedMs: 250 + 500 + 1000 });
  });

  it('polls with exponential backoff from the initial interval and reports progress on each poll', async () => {
    const progress: QueryProgress[] = [];
    await meshClient(clients, clock).query('SELECT 1', { ...OPTIONS, onProgress: (p) => progress.push(p) });
    expect(clock.sleeps).toEqual([250, 500, 1000]);
    expect(inputs(clients.athena, GetQueryExecutionCommand)).toEqual([{ QueryExecutionId: QID }, { QueryExecutionId: QID }, { QueryExecutionId: QID }]);
    expect(progress).toEqual([
      { queryExecutionId: QID, state: 'QUEUED', elapsedMs: 250, bytesScanned: 0 },
      { queryExecutionId: QID, state: 'RUNNING', elapsedMs: 750, bytesScanned: 100 },
      { queryExecutionId: QID, state: 'SUCCEEDED', elapsedMs: 1750, bytesScanned: 2048 },
    ]);
  });
});

describe('query polling', () => {
  beforeEach(() => {
    clients.athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
  });

  it('caps the backoff at the default maximum', async () => {
    pollStates(...Array.from({ length: 8 }, () => execution('RUNNING')), execution('SUCCEEDED'));
    await meshClient(clients, clock).query('SELECT 1', OPTIONS);
    expect(DEFAULT_QUERY_POLL_INITIAL_MS).toBe(250);
    expect(DEFAULT_QUERY_POLL_MAX_MS).toBe(5000);
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000]);
  });

  it('honours custom poll intervals', async () => {
    pollStates(execution('RUNNING'), execution('RUNNING'), execution('RUNNING'), execution('SUCCEEDED'));
    await meshClient(clients, clock).query('SELECT 1', { ...OPTIONS, pollIntervalMs: { initial: 100, max: 300 } });
    expect(clock.sleeps).toEqual([100, 200, 300, 300]);
  });

  it('does not skip the first row of statements without a header (DDL, utility)', async () => {
    pollStates(execution('SUCCEEDED', { statementType: 'UTILITY' }));
    clients.athena.on(GetQueryResultsCommand).resolves({
      ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'tab_name', Type: 'string' }] }, Rows: [row('order_lines'), row('customers')] },
    });
    const result = await meshClient(clients, clock).query('SHOW TABLES', OPTIONS);
    expect(result.rows).toEqual([{ tab_name: 'order_lines' }, { tab_name: 'customers' }]);
  });
});

describe('query timeout and abort', () => {
  it('stops the query and throws QueryTimeoutError with its id when the timeout passes', async () => {
    clients.athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    const error = await meshClient(clients, clock).query('SELECT 1', { ...OPTIONS, timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect(error).toMatchObject({ queryExecutionId: QID, timeoutMs: 1000, elapsedMs: 1000, stopError: undefined });
    expect((error as Error).message).toContain(QID);
    // The last wait is shortened to the time left.
    expect(clock.sleeps).toEqual([250, 500, 250]);
    expect(inputs(clients.athena, StopQueryExecutionCommand)).toEqual([{ QueryExecutionId: QID }]);
    expect(clients.athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('reports a failed stop on timeout instead of hiding it', async () => {
    clients.athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    const stopError = new InvalidRequestException({ $metadata: {}, message: 'Query has already finished' });
    clients.athena.on(StopQueryExecutionCommand).rejects(stopError);
    const error = await meshClient(clients, clock).query('SELECT 1', { ...OPTIONS, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect((error as QueryTimeoutError).stopError).toBe(stopError);
    expect((error as Error).message).toMatch(/may still be running/);
  });

  it('stops the query and throws QueryAbortedError when the signal fires during a wait', async () => {
    clients.athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const sleeps: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      sleeps.push(ms);
      if (sleeps.length < 2) return Promise.resolve();
      setTimeout(() => controller.abort(reason), 1);
      return new Promise(() => undefined);
    };
    const error = await meshClient(clients, clock, { sleep }).query('SELECT 1', { ...OPTIONS, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryAbortedError);
    expect(error).toMatchObject({ queryExecutionId: QID, cause: reason });
    expect(sleeps).toEqual([250, 500]);
    expect(clients.athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(1);
    expect(inputs(clients.athena, StopQueryExecutionCommand)).toEqual([{ QueryExecutionId: QID }]);
  });

  it('stops the query when the signal fires from a progress callback', async () => {
    clients.athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    const controller = new AbortController();
    const error = await meshClient(clients, clock).query('SELECT 1', {
      ...OPTIONS, signal: controller.signal, onProgress: (p) => { if (p.elapsedMs >= 750) controller.abort(); },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryAbortedError);
    expect(clients.athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(2);
    expect(inputs(clients.athena, StopQueryExecutionCommand)).toEqual([{ QueryExecutionId: QID }]);
  });

  it('does not start a query when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await meshClient(clients, clock).query('SELECT 1', { ...OPTIONS, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryAbortedError);
    expect((error as QueryAbortedError).queryExecutionId).toBeUndefined();
    expect(clients.athena.calls()).toHaveLength(0);
  });

  it('stops the query and rethrows when the progress callback throws', async () => {
    clients.athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    const boom = new Error('progress bar crashed');
    await expect(meshClient(clients, clock).query('SELECT 1', { ...OPTIONS, onProgress: () => { throw boom; } })).rejects.toBe(boom);
    expect(inputs(clients.athena, StopQueryExecutionCommand)).toEqual([{ QueryExecutionId: QID }]);
  });
});

describe('query failure', () => {
  it('throws QueryFailedError with Athena\'s reason and error details', async () => {
    pollStates(execution('RUNNING'), execution('FAILED', {
      reason: 'TABLE_NOT_FOUND: line 1:15: Table awsdatacatalog.sales_orders.nope does not exist',
      athenaError: { ErrorCategory: 2, ErrorType: 1301, Retryable: false, ErrorMessage: 'TABLE_NOT_FOUND: line 1:15: Table awsdatacatalog.sales_orders.nope does not exist' },
    }));
    const error = await meshClient(clients, clock).query('SELECT * FROM nope', OPTIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(error).toMatchObject({
      queryExecutionId: QID, state: 'FAILED',
      stateChangeReason: 'TABLE_NOT_FOUND: line 1:15: Table awsdatacatalog.sales_orders.nope does not exist',
      athenaError: { category: 2, type: 1301, retryable: false },
    });
    expect((error as Error).message).toMatch(new RegExp(`^Athena query ${QID} ended FAILED: TABLE_NOT_FOUND.*error category 2; error type 1301$`));
    expect(clients.athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
    expect(clients.athena.commandCalls(StopQueryExecutionCommand)).toHaveLength(0);
  });

  it('treats CANCELLED as a failure', async () => {
    pollStates(execution('CANCELLED', { reason: 'Query was cancelled by user' }));
    await expect(meshClient(clients, clock).query('SELECT 1', OPTIONS)).rejects.toThrow(/ended CANCELLED: Query was cancelled by user/);
  });

  it('retries a throttled start with the same idempotency token', async () => {
    clients.athena.on(StartQueryExecutionCommand)
      .rejectsOnce(new TooManyRequestsException({ $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' }))
      .resolves({ QueryExecutionId: QID });
    pollStates(execution('SUCCEEDED'));
    clients.athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    await meshClient(clients, clock, { retry: { baseDelayMs: 100 } }).query('SELECT 1', { workgroup: 'w', database: 'd' });
    const starts = inputs(clients.athena, StartQueryExecutionCommand) as { ClientRequestToken: string }[];
    expect(starts).toHaveLength(2);
    expect(starts[1].ClientRequestToken).toBe(starts[0].ClientRequestToken);
    expect(clock.sleeps).toEqual([75, 250]);
  });

  it('rejects bad options before calling Athena', async () => {
    const client = meshClient(clients, clock);
    await expect(client.query(' ', OPTIONS)).rejects.toThrow(DataMeshValidationError);
    await expect(client.query('SELECT 1', { ...OPTIONS, workgroup: '' })).rejects.toThrow(/`workgroup` must name an Athena workgroup/);
    await expect(client.query('SELECT 1', { ...OPTIONS, pollIntervalMs: { initial: 500, max: 100 } })).rejects.toThrow(/`pollIntervalMs`/);
    expect(clients.athena.calls()).toHaveLength(0);
  });
});
