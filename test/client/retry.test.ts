import { GetDatabasesCommand, InternalServiceException, ThrottlingException } from '@aws-sdk/client-glue';
import { AccessDeniedException, GetDataLakeSettingsCommand, ThrottledException } from '@aws-sdk/client-lakeformation';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_MAX_ATTEMPTS, MeshClient, RETRYABLE_ERROR_NAMES, RetriesExhaustedError, isRetryableError } from '../../lib/client';
import { fakeClock, FakeClock, inputs, meshClient, mockedClients } from './fakes';

let clients: ReturnType<typeof mockedClients>;
let clock: FakeClock;
beforeEach(() => {
  clients = mockedClients();
  clock = fakeClock();
});

const throttling = () => new ThrottlingException({ $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });

describe('isRetryableError', () => {
  it.each(RETRYABLE_ERROR_NAMES.map((n) => [n]))('retries %s', (name) => {
    expect(isRetryableError(Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: 400 } }))).toBe(true);
  });

  it.each([500, 502, 503, 504])('retries any error with HTTP status %i', (status) => {
    expect(isRetryableError(Object.assign(new Error('x'), { name: 'UnknownError', $metadata: { httpStatusCode: status } }))).toBe(true);
  });

  it.each([
    ['AccessDeniedException', 400], ['EntityNotFoundException', 400], ['InvalidInputException', 400], ['ValidationException', 400], ['Error', undefined],
  ])('does not retry %s (status %s)', (name, status) => {
    expect(isRetryableError(Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: status } }))).toBe(false);
  });

  it('does not retry non-errors', () => {
    expect(isRetryableError(undefined)).toBe(false);
    expect(isRetryableError('ThrottlingException')).toBe(false);
  });
});

describe('retries', () => {
  it('retries throttling with exponential backoff and jitter, then succeeds', async () => {
    clients.glue.on(GetDatabasesCommand).rejectsOnce(throttling()).rejectsOnce(throttling()).resolves({ DatabaseList: [] });
    const products = await meshClient(clients, clock, { retry: { baseDelayMs: 100 } }).listProducts();
    expect(products).toEqual([]);
    expect(clients.glue.commandCalls(GetDatabasesCommand)).toHaveLength(3);
    expect(inputs(clients.glue, GetDatabasesCommand)).toEqual([{}, {}, {}]);
    // Equal jitter with random() = 0.5: half of the exponential delay fixed, a quarter from the jitter.
    expect(clock.sleeps).toEqual([75, 150]);
  });

  it('keeps every jittered delay between half and all of the exponential delay', async () => {
    clients.glue.on(GetDatabasesCommand).rejects(throttling());
    const client = new MeshClient({ glue: clients.glueClient, sleep: clock.sleep, retry: { baseDelayMs: 100, maxDelayMs: 300, maxAttempts: 5 } });
    await expect(client.listProducts()).rejects.toThrow(RetriesExhaustedError);
    const caps = [100, 200, 300, 300];
    expect(clock.sleeps).toHaveLength(4);
    clock.sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(caps[i] / 2);
      expect(ms).toBeLessThanOrEqual(caps[i]);
    });
  });

  it('retries transient server errors and 5xx responses', async () => {
    clients.glue.on(GetDatabasesCommand)
      .rejectsOnce(new InternalServiceException({ $metadata: { httpStatusCode: 500 }, message: 'oops' }))
      .rejectsOnce(Object.assign(new Error('Bad gateway'), { name: 'Unknown', $metadata: { httpStatusCode: 502 } }))
      .resolves({ DatabaseList: [] });
    await meshClient(clients, clock).listProducts();
    expect(clients.glue.commandCalls(GetDatabasesCommand)).toHaveLength(3);
  });

  it('gives up after maxAttempts and keeps the original error as cause', async () => {
    const original = new ThrottledException({ $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded for GetDataLakeSettings' });
    clients.lf.on(GetDataLakeSettingsCommand).rejects(original);
    clients.glue.on(GetDatabasesCommand).rejects(throttling());
    const error = await meshClient(clients, clock, { retry: { maxAttempts: 3, baseDelayMs: 10 } }).listProducts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error).toMatchObject({ operation: 'glue:GetDatabases', attempts: 3 });
    expect((error as Error).cause).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    expect((error as Error).message).toBe('glue:GetDatabases failed after 3 attempts: Rate exceeded');
    expect(clients.glue.commandCalls(GetDatabasesCommand)).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('defaults to 5 attempts', async () => {
    clients.glue.on(GetDatabasesCommand).rejects(throttling());
    await expect(meshClient(clients, clock).listProducts()).rejects.toThrow(RetriesExhaustedError);
    expect(DEFAULT_RETRY_MAX_ATTEMPTS).toBe(5);
    expect(clients.glue.commandCalls(GetDatabasesCommand)).toHaveLength(5);
  });

  it('does not retry other errors and propagates them unchanged', async () => {
    const denied = new AccessDeniedException({ $metadata: { httpStatusCode: 400 }, message: 'Insufficient Lake Formation permission(s)' });
    clients.glue.on(GetDatabasesCommand).rejects(denied);
    await expect(meshClient(clients, clock).listProducts()).rejects.toBe(denied);
    expect(clients.glue.commandCalls(GetDatabasesCommand)).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('rejects a maxAttempts below 1', () => {
    expect(() => new MeshClient({ glue: clients.glueClient, retry: { maxAttempts: 0 } })).toThrow(/`retry.maxAttempts` must be an integer of at least 1/);
  });
});
