import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AccessDeniedException,
  AlreadyExistsException,
  CreateLFTagCommand,
  DeleteLFTagCommand,
  EntityNotFoundException,
  GetLFTagCommand,
  InvalidInputException,
  LakeFormationClient,
  UpdateLFTagCommand,
} from '@aws-sdk/client-lakeformation';

interface TagChangePlan {
  toAdd: string[][];
  toDelete: string[][];
  deleteFirst: boolean;
}

interface LfTagHandlerModule {
  handler(event: Record<string, unknown>, context: { logStreamName: string }): Promise<void>;
  setSleep(fn: (ms: number) => Promise<void>): void;
  planTagChange(live: readonly string[], oldDesired: readonly string[], newDesired: readonly string[]): TagChangePlan;
  toBatches<T>(items: readonly T[], size?: number): T[][];
  isRetryable(err: unknown): boolean;
}

// The handler is plain JavaScript shipped as a Lambda asset; load it untyped and describe the part we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lfTag = require('../../lib/handlers/lf-tag/index.js') as LfTagHandlerModule;

const lf = mockClient(LakeFormationClient);

const CATALOG = '111122223333';
const KEY = 'domain';
const PHYSICAL_ID = `${CATALOG}:${KEY}`;
const RESPONSE_URL = 'https://cloudformation-custom-resource-response.s3.amazonaws.com/presigned?sig=abc';
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/mesh/00000000-1111-2222-3333-444444444444';
const REQUEST_ID = 'req-0001';
const LOGICAL_ID = 'DomainTag';
const CONTEXT = { logStreamName: '2025/01/01/[$LATEST]abcdef' };
const SERVICE_TOKEN = 'arn:aws:lambda:eu-west-1:111122223333:function:lf-tag';

type Props = Record<string, unknown>;

function props(values: unknown, overrides: Props = {}): Props {
  return { ServiceToken: SERVICE_TOKEN, CatalogId: CATALOG, TagKey: KEY, TagValues: values, ...overrides };
}

function baseEvent(requestType: 'Create' | 'Update' | 'Delete', resourceProperties: Props) {
  return {
    RequestType: requestType,
    ServiceToken: SERVICE_TOKEN,
    ResponseURL: RESPONSE_URL,
    StackId: STACK_ID,
    RequestId: REQUEST_ID,
    LogicalResourceId: LOGICAL_ID,
    ResourceType: 'Custom::LfTag',
    ResourceProperties: resourceProperties,
  };
}

const createEvent = (p: Props) => baseEvent('Create', p);
const updateEvent = (p: Props, old: Props, physicalId = PHYSICAL_ID) =>
  ({ ...baseEvent('Update', p), PhysicalResourceId: physicalId, OldResourceProperties: old });
const deleteEvent = (p: Props, physicalId = PHYSICAL_ID) => ({ ...baseEvent('Delete', p), PhysicalResourceId: physicalId });

/** `prefix000` ... in descending order, so that sorting by the handler is observable. */
function values(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = to - 1; i >= from; i--) out.push(`${prefix}${String(i).padStart(3, '0')}`);
  return out;
}

const sorted = (xs: readonly string[]) => [...xs].sort();

const notFound = () => new EntityNotFoundException({ message: 'Tag key does not exist', $metadata: {} });
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

let fetchMock: ReturnType<typeof vi.fn>;
let sleeps: number[];

function okResponse() {
  return new Response('', { status: 200 });
}

/** The single response PUT to CloudFormation, parsed. */
function responseBody(): Record<string, unknown> {
  expect(fetchMock).toHaveBeenCalledTimes(1);
  const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
  return JSON.parse(init.body as string) as Record<string, unknown>;
}

function success(physicalId: string, data: Record<string, unknown>) {
  return {
    Status: 'SUCCESS',
    PhysicalResourceId: physicalId,
    StackId: STACK_ID,
    RequestId: REQUEST_ID,
    LogicalResourceId: LOGICAL_ID,
    NoEcho: false,
    Data: data,
  };
}

const inputs = <T>(calls: { args: [{ input: T }] }[]) => calls.map((c) => c.args[0].input);
const createInputs = () => inputs(lf.commandCalls(CreateLFTagCommand));
const updateInputs = () => inputs(lf.commandCalls(UpdateLFTagCommand));

beforeEach(() => {
  lf.reset();
  sleeps = [];
  lfTag.setSleep(async (ms) => { sleeps.push(ms); });
  fetchMock = vi.fn(async () => okResponse());
  vi.stubGlobal('fetch', fetchMock);
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Create', () => {
  it('given a new tag with 3 values, when created, then one CreateLFTag with the sorted values, no UpdateLFTag, and SUCCESS is PUT', async () => {
    lf.on(GetLFTagCommand).rejects(notFound());
    lf.on(CreateLFTagCommand).resolves({});

    await lfTag.handler(createEvent(props(['sales', 'hr', 'finance'])), CONTEXT);

    expect(inputs(lf.commandCalls(GetLFTagCommand))).toEqual([{ CatalogId: CATALOG, TagKey: KEY }]);
    expect(createInputs()).toEqual([{ CatalogId: CATALOG, TagKey: KEY, TagValues: ['finance', 'hr', 'sales'] }]);
    expect(lf.commandCalls(UpdateLFTagCommand)).toHaveLength(0);
    expect(responseBody()).toEqual(success(PHYSICAL_ID, { TagKey: KEY, ValueCount: 3 }));
  });

  it('given any request, when it answers, then it PUTs JSON to the ResponseURL with an empty content-type and the exact content-length', async () => {
    lf.on(GetLFTagCommand).rejects(notFound());
    lf.on(CreateLFTagCommand).resolves({});

    await lfTag.handler(createEvent(props(['a'])), CONTEXT);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(RESPONSE_URL);
    expect(init.method).toBe('PUT');
    const body = init.body as string;
    expect(init.headers).toEqual({ 'content-type': '', 'content-length': String(Buffer.byteLength(body)) });
  });

  it('given a new tag with 120 values, when created, then CreateLFTag takes the first 50 sorted and UpdateLFTag adds 50 then 20, in order', async () => {
    lf.on(GetLFTagCommand).rejects(notFound());
    lf.on(CreateLFTagCommand).resolves({});
    lf.on(UpdateLFTagCommand).resolves({});
    const desired = values('d', 0, 120);
    const all = sorted(desired);

    await lfTag.handler(createEvent(props(desired)), CONTEXT);

    expect(createInputs()).toEqual([{ CatalogId: CATALOG, TagKey: KEY, TagValues: all.slice(0, 50) }]);
    expect(updateInputs()).toEqual([
      { CatalogId: CATALOG, TagKey: KEY, TagValuesToAdd: all.slice(50, 100) },
      { CatalogId: CATALOG, TagKey: KEY, TagValuesToAdd: all.slice(100, 120) },
    ]);
    expect(responseBody()).toEqual(success(PHYSICAL_ID, { TagKey: KEY, ValueCount: 120 }));
  });

  it('given the tag already exists with some values, when created, then only the missing values are added and nothing is deleted', async () => {
    lf.on(GetLFTagCommand).resolves({ CatalogId: CATALOG, TagKey: KEY, TagValues: ['a', 'c', 'manual'] });
    lf.on(UpdateLFTagCommand).resolves({});

    await lfTag.handler(createEvent(props(['d', 'c', 'b', 'a'])), CONTEXT);

    expect(lf.commandCalls(CreateLFTagCommand)).toHaveLength(0);
    expect(updateInputs()).toEqual([{ CatalogId: CATALOG, TagKey: KEY, TagValuesToAdd: ['b', 'd'] }]);
    expect(responseBody()).toEqual(success(PHYSICAL_ID, { TagKey: KEY, ValueCount: 4 }));
  });

  it('given the tag already exists with every value, when created, then Lake Formation is only read', async () => {
    lf.on(GetLFTagCommand).resolves({ TagValues: ['a', 'b', 'manual'] });

    await lfTag.handler(createEvent(props(['a', 'b'])), CONTEXT);

    expect(lf.calls()).toHaveLength(1);
    expect(responseBody()).toEqual(success(PHYSICAL_ID, { TagKey: KEY, ValueCount: 2 }));
  });

  it('given someone creates the tag between our read and our create, when CreateLFTag says AlreadyExists, then the tag is adopted', async () => {
    lf.on(GetLFTagCommand)
      .rejectsOnce(notFound())
      .resolves({ TagValues: ['a'] });
    lf.on(CreateLFTagCommand).rejects(new AlreadyExistsException({ message: 'Tag key already exists', $metadata: {} }));
    lf.on(UpdateLFTagCommand).resolves({});

    await lfTag.handler(createEvent(props(['a', 'b'])), CONTEXT);

    expect(lf.commandCalls(GetLFTagCommand)).toHaveLength(2);
    expect(updateInputs()).toEqual([{ CatalogId: CATALOG, TagKey: KEY, TagValuesToAdd: ['b'] }]);
    expect(responseBody()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
  });

  it('given CreateLFTag succeeded but adding further values fails, when answering, then FAILED carries the real physical id so the rollback Delete removes the new tag', async () => {
    lf.on(GetLFTagCommand).rejects(notFound());
    lf.on(CreateLFTagCommand).resolves({});
    lf.on(UpdateLFTagCommand).rejects(new AccessDeniedException({ message: 'Insufficient Lake Formation permission(s)', $metadata: {} }));

    await lfTag.handler(createEvent(props(values('d', 0, 60))), CONTEXT);

    expect(responseBody()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: PHYSICAL_ID });
  });
});

describe('Update', () => {
  it('given values added and removed beyond 50 each, when updated, then adds then deletes go in sorted batches of 50 and only previously listed live values are deleted', async () => {
    const oldValues = values('v', 0, 120); // v000..v119
    const newValues = values('v', 60, 180); // v060..v179
    lf.on(GetLFTagCommand).resolves({ TagValues: [...oldValues, 'manual'] });
    lf.on(UpdateLFTagCommand).resolves({});
    const added = sorted(values('v', 120, 180));
    const removed = sorted(values('v', 0, 60));

    await lfTag.handler(updateEvent(props(newValues), props(oldValues)), CONTEXT);

    expect(lf.commandCalls(CreateLFTagCommand)).toHaveLength(0);
    expect(updateInputs()).toEqual([
      { CatalogId: CATALOG, TagKey: KEY, TagValuesToAdd: added.slice(0, 50) },
      { CatalogId: CATALOG, TagKey: KEY, TagValuesToAdd: added.slice(50) },
      { CatalogId: CATALOG, TagKey: KEY, TagValuesToDelete: removed.slice(0, 50) },
      { CatalogId: CATALOG, TagKey: KEY, TagValuesToDelete: removed.slice(50) },
    ]);
    expect(responseBody()).toEqual(success(PHYSICAL_ID, { TagKey: KEY, ValueCount: 120 }));
  });

  it('given a live value the old properties did not list, when updated without it, then that value is never deleted', async () => {
    lf.on(GetLFTagCommand).resolves({ TagValues: ['a', 'b', 'manual'] });
    lf.on(UpdateLFTagCommand).resolves({});

    // 'gone' was listed before but is no longer live: nothing to delete for it either.
    await lfTag.handler(updateEvent(props(['a']), props(['a', 'b', 'gone'])), CONTEXT);

    expect(updateInputs()).toEqual([{ CatalogId: CATALOG, TagKey: KEY, TagValuesToDelete: ['b'] }]);
    expect(responseBody()).toEqual(success(PHYSICAL_ID, { TagKey: KEY, ValueCount: 1 }));
  });

  it('given the TagKey changed, when updated, then the new key is created and its physical id returned, and the old key is left alone', async () => {
    lf.on(GetLFTagCommand).rejects(notFound());
    lf.on(CreateLFTagCommand).resolves({});

    await lfTag.handler(updateEvent(props(['b', 'a'], { TagKey: 'mesh_domain' }), props(['a', 'b'])), CONTEXT);

    expect(inputs(lf.commandCalls(GetLFTagCommand))).toEqual([{ CatalogId: CATALOG, TagKey: 'mesh_domain' }]);
    expect(createInputs()).toEqual([{ CatalogId: CATALOG, TagKey: 'mesh_domain', TagValues: ['a', 'b'] }]);
    expect(lf.commandCalls(UpdateLFTagCommand)).toHaveLength(0);
    expect(lf.commandCalls(DeleteLFTagCommand)).toHaveLength(0);
    expect(responseBody()).toEqual(success(`${CATALOG}:mesh_domain`, { TagKey: 'mesh_domain', ValueCount: 2 }));
  });

  it('given the tag was deleted by hand, when updated, then it is created again with every desired value', async () => {
    lf.on(GetLFTagCommand).rejects(notFound());
    lf.on(CreateLFTagCommand).resolves({});

    await lfTag.handler(updateEvent(props(['a', 'b']), props(['a'])), CONTEXT);

    expect(createInputs()).toEqual([{ CatalogId: CATALOG, TagKey: KEY, TagValues: ['a', 'b'] }]);
    expect(responseBody()).toEqual(success(PHYSICAL_ID, { TagKey: KEY, ValueCount: 2 }));
  });

  it('given Lake Formation refuses to delete a value, when updated, then FAILED names the values and keeps the old physical id', async () => {
    lf.on(GetLFTagCommand).resolves({ TagValues: ['a', 'b'] });
    lf.on(UpdateLFTagCommand).rejects(new InvalidInputException({ message: 'Update not allowed', $metadata: {} }));

    await lfTag.handler(updateEvent(props(['a']), props(['a', 'b'])), CONTEXT);

    expect(lf.commandCalls(UpdateLFTagCommand)).toHaveLength(1);
    const body = responseBody();
    expect(body.Status).toBe('FAILED');
    expect(body.PhysicalResourceId).toBe(PHYSICAL_ID);
    expect(body.Reason).toBe(`Deleting values ["b"] from LF-tag "domain" failed: InvalidInputException: Update not allowed (see CloudWatch log stream ${CONTEXT.logStreamName})`);
  });
});

describe('Delete', () => {
  it('given the resource owns the tag, when deleted, then DeleteLFTag is called with catalog and key', async () => {
    lf.on(DeleteLFTagCommand).resolves({});

    await lfTag.handler(deleteEvent(props(['a', 'b'])), CONTEXT);

    expect(inputs(lf.commandCalls(DeleteLFTagCommand))).toEqual([{ CatalogId: CATALOG, TagKey: KEY }]);
    expect(lf.calls()).toHaveLength(1);
    expect(responseBody()).toEqual(success(PHYSICAL_ID, {}));
  });

  it('given the tag is already gone, when deleted, then EntityNotFoundException counts as success', async () => {
    lf.on(DeleteLFTagCommand).rejects(notFound());

    await lfTag.handler(deleteEvent(props(['a'])), CONTEXT);

    expect(lf.commandCalls(DeleteLFTagCommand)).toHaveLength(1);
    expect(responseBody()).toEqual(success(PHYSICAL_ID, {}));
  });

  it('given DeleteLFTag is denied, when deleted, then FAILED with the service message', async () => {
    lf.on(DeleteLFTagCommand).rejects(new AccessDeniedException({ message: 'Not allowed to drop tag', $metadata: {} }));

    await lfTag.handler(deleteEvent(props(['a'])), CONTEXT);

    expect(responseBody()).toMatchObject({
      Status: 'FAILED',
      PhysicalResourceId: PHYSICAL_ID,
      Reason: `AccessDeniedException: Not allowed to drop tag (see CloudWatch log stream ${CONTEXT.logStreamName})`,
    });
  });

  it.each([
    ['a failed create', 'lf-tag-create-failed-req-0000'],
    ['another key', `${CATALOG}:other`],
    ['another catalog', `444455556666:${KEY}`],
  ])('given a physical id from %s, when deleted, then Lake Formation is not called and SUCCESS is PUT', async (_what, physicalId) => {
    await lfTag.handler(deleteEvent(props(['a']), physicalId), CONTEXT);

    expect(lf.calls()).toHaveLength(0);
    expect(responseBody()).toEqual(success(physicalId, {}));
  });

  it('given properties that never validated, when deleted after a failed create, then it succeeds without calling Lake Formation', async () => {
    await lfTag.handler(deleteEvent(props('not-a-list', { TagKey: 'Bad Key' }), 'lf-tag-create-failed-req-0000'), CONTEXT);

    expect(lf.calls()).toHaveLength(0);
    expect(responseBody()).toMatchObject({ Status: 'SUCCESS' });
  });
});

describe('validation', () => {
  const longValue = 'v'.repeat(257);
  const longKey = 'k'.repeat(129);
  const tooMany = Array.from({ length: 1001 }, (_, i) => `v${i}`);

  it.each<[string, Props, string]>([
    ['a CatalogId that is not 12 digits', props(['a'], { CatalogId: '1234' }), '`CatalogId` must be a 12-digit AWS account id, got: "1234"'],
    ['a missing CatalogId', props(['a'], { CatalogId: undefined }), '`CatalogId` must be a 12-digit AWS account id, got: nothing'],
    ['an uppercase TagKey', props(['a'], { TagKey: 'Domain' }), '`TagKey` must be a string of 1-128 characters matching'],
    ['a TagKey of 129 characters', props(['a'], { TagKey: longKey }), `\`TagKey\` must be a string of 1-128 characters`],
    ['an empty TagKey', props(['a'], { TagKey: '' }), 'got: ""'],
    ['TagValues that is not a list', props('a,b'), '`TagValues` must be a list of 1-1000 values, got: "a,b"'],
    ['an empty TagValues', props([]), '`TagValues` must be a list of 1-1000 values, got: an array of 0 values'],
    ['1001 TagValues', props(tooMany), '`TagValues` must be a list of 1-1000 values, got: an array of 1001 values'],
    ['a value with a space', props(['ok', 'Bad Value']), '`TagValues[1]` must be a string of 1-256 characters matching'],
    ['a value of 257 characters', props([longValue]), '`TagValues[0]` must be a string of 1-256 characters'],
    ['an empty value', props(['']), '`TagValues[0]` must be a string of 1-256 characters'],
    ['a repeated value', props(['a', 'b', 'a']), '`TagValues[2]` must not repeat an earlier value, got: "a"'],
    ['a value that is not a string', props([7]), '`TagValues[0]` must be a string of 1-256 characters'],
  ])('given %s, when created, then FAILED names the property and the value, and Lake Formation is not called', async (_what, p, expected) => {
    await lfTag.handler(createEvent(p), CONTEXT);

    expect(lf.calls()).toHaveLength(0);
    const body = responseBody();
    expect(body).toMatchObject({
      Status: 'FAILED',
      PhysicalResourceId: `lf-tag-create-failed-${REQUEST_ID}`,
      StackId: STACK_ID,
      RequestId: REQUEST_ID,
      LogicalResourceId: LOGICAL_ID,
      NoEcho: false,
      Data: {},
    });
    const reason = String(body.Reason);
    expect(reason).toContain(expected);
    expect(reason.startsWith('Invalid properties for Custom::LfTag: ')).toBe(true);
    expect(reason.endsWith(`(see CloudWatch log stream ${CONTEXT.logStreamName})`)).toBe(true);
    expect(console.error).toHaveBeenCalled();
  });

  it('given a value with the wildcard character, when created, then it is accepted (values allow *, keys do not)', async () => {
    lf.on(GetLFTagCommand).rejects(notFound());
    lf.on(CreateLFTagCommand).resolves({});

    await lfTag.handler(createEvent(props(['a*'])), CONTEXT);
    expect(responseBody()).toMatchObject({ Status: 'SUCCESS' });

    fetchMock.mockClear();
    await lfTag.handler(createEvent(props(['a'], { TagKey: 'a*' })), CONTEXT);
    expect(responseBody()).toMatchObject({ Status: 'FAILED' });
  });

  it('given several invalid properties, when created, then one FAILED lists every problem', async () => {
    await lfTag.handler(createEvent(props(['Bad'], { CatalogId: 'x', TagKey: 'Y' })), CONTEXT);

    const reason = String(responseBody().Reason);
    expect(reason).toContain('`CatalogId`');
    expect(reason).toContain('`TagKey`');
    expect(reason).toContain('`TagValues[0]`');
  });

  it('given invalid new properties on update, when updated, then FAILED keeps the existing physical id', async () => {
    await lfTag.handler(updateEvent(props([]), props(['a'])), CONTEXT);

    expect(lf.calls()).toHaveLength(0);
    expect(responseBody()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: PHYSICAL_ID });
  });
});

describe('retries', () => {
  it('given CreateLFTag is throttled twice, when created, then it is retried with growing backoff and succeeds', async () => {
    lf.on(GetLFTagCommand).rejects(notFound());
    lf.on(CreateLFTagCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('ConcurrentModificationException', 'Concurrent update'))
      .resolves({});

    await lfTag.handler(createEvent(props(['a'])), CONTEXT);

    expect(lf.commandCalls(CreateLFTagCommand)).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(200);
    expect(sleeps[0]).toBeLessThanOrEqual(300);
    expect(sleeps[1]).toBeGreaterThanOrEqual(400);
    expect(sleeps[1]).toBeLessThanOrEqual(600);
    expect(responseBody()).toEqual(success(PHYSICAL_ID, { TagKey: KEY, ValueCount: 1 }));
  });

  it('given a call that stays throttled, when created, then it gives up after 5 attempts and reports FAILED', async () => {
    lf.on(GetLFTagCommand).rejects(awsError('TooManyRequestsException', 'Slow down'));

    await lfTag.handler(createEvent(props(['a'])), CONTEXT);

    expect(lf.commandCalls(GetLFTagCommand)).toHaveLength(5);
    expect(sleeps).toHaveLength(4);
    expect(sleeps[3]).toBeGreaterThanOrEqual(1600);
    expect(sleeps[3]).toBeLessThanOrEqual(2400);
    expect(lf.commandCalls(CreateLFTagCommand)).toHaveLength(0);
    expect(responseBody()).toMatchObject({
      Status: 'FAILED',
      Reason: `TooManyRequestsException: Slow down (see CloudWatch log stream ${CONTEXT.logStreamName})`,
    });
  });

  it('given a non-retryable error, when created, then it fails at once with the service message in Reason', async () => {
    lf.on(GetLFTagCommand).rejects(notFound());
    lf.on(CreateLFTagCommand).rejects(new AccessDeniedException({ message: 'User is not authorized to perform: lakeformation:CreateLFTag', $metadata: {} }));

    await lfTag.handler(createEvent(props(['a'])), CONTEXT);

    expect(lf.commandCalls(CreateLFTagCommand)).toHaveLength(1);
    expect(sleeps).toHaveLength(0);
    expect(responseBody()).toEqual({
      Status: 'FAILED',
      Reason: `AccessDeniedException: User is not authorized to perform: lakeformation:CreateLFTag (see CloudWatch log stream ${CONTEXT.logStreamName})`,
      PhysicalResourceId: `lf-tag-create-failed-${REQUEST_ID}`,
      StackId: STACK_ID,
      RequestId: REQUEST_ID,
      LogicalResourceId: LOGICAL_ID,
      NoEcho: false,
      Data: {},
    });
    expect(console.error).toHaveBeenCalled();
  });

  it.each([
    ['ThrottlingException', true],
    ['ThrottledException', true],
    ['ConcurrentModificationException', true],
    ['InternalServiceException', true],
    ['ServiceUnavailableException', true],
    ['TooManyRequestsException', true],
    ['AccessDeniedException', false],
    ['InvalidInputException', false],
    ['EntityNotFoundException', false],
  ])('given a %s, when classified, then retryable is %s', (name, expected) => {
    expect(lfTag.isRetryable(awsError(name, 'x'))).toBe(expected);
  });
});

describe('response', () => {
  it('given the response PUT is rejected with HTTP 403, when answering, then the handler logs and rethrows', async () => {
    lf.on(DeleteLFTagCommand).resolves({});
    fetchMock.mockResolvedValue(new Response('AccessDenied', { status: 403, statusText: 'Forbidden' }));

    await expect(lfTag.handler(deleteEvent(props(['a'])), CONTEXT)).rejects.toThrow('HTTP 403 Forbidden');
    expect(console.error).toHaveBeenCalled();
  });

  it('given the network fails during the response PUT, when answering, then that error is rethrown', async () => {
    lf.on(DeleteLFTagCommand).resolves({});
    const networkError = new TypeError('fetch failed');
    fetchMock.mockRejectedValue(networkError);

    await expect(lfTag.handler(deleteEvent(props(['a'])), CONTEXT)).rejects.toBe(networkError);
  });

  it('given a very long error message, when answering FAILED, then the body stays within CloudFormation\'s 4096 bytes and keeps the log stream', async () => {
    lf.on(GetLFTagCommand).rejects(notFound());
    lf.on(CreateLFTagCommand).rejects(new AccessDeniedException({ message: `denied ${'x'.repeat(10_000)}`, $metadata: {} }));

    await lfTag.handler(createEvent(props(['a'])), CONTEXT);

    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(Buffer.byteLength(init.body as string)).toBeLessThanOrEqual(4096);
    const reason = String(responseBody().Reason);
    expect(reason.startsWith('AccessDeniedException: denied x')).toBe(true);
    expect(reason.endsWith(`(see CloudWatch log stream ${CONTEXT.logStreamName})`)).toBe(true);
  });
});

describe('planTagChange', () => {
  it('given live, old and new values, when planned, then it adds desired-minus-live and deletes only old-listed, undesired, live values', () => {
    expect(lfTag.planTagChange(['a', 'b', 'manual', 'old'], ['a', 'old', 'gone'], ['c', 'a', 'b'])).toEqual({
      toAdd: [['c']],
      toDelete: [['old']],
      deleteFirst: false,
    });
  });

  it('given nothing changes, when planned, then both lists are empty', () => {
    expect(lfTag.planTagChange(['a', 'b'], ['a', 'b'], ['b', 'a'])).toEqual({ toAdd: [], toDelete: [], deleteFirst: false });
  });

  it('given adding first would exceed 1000 values, when planned, then deletions go first', () => {
    const live = values('v', 0, 1000);
    const plan = lfTag.planTagChange(live, live, [...values('v', 10, 1000), 'w']);
    expect(plan.deleteFirst).toBe(true);
    expect(plan.toDelete).toEqual([sorted(values('v', 0, 10))]);
    expect(plan.toAdd).toEqual([['w']]);
  });

  it('given 101 items, when batched, then batches are 50, 50 and 1 in input order', () => {
    const items = Array.from({ length: 101 }, (_, i) => i);
    const batches = lfTag.toBatches(items);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 1]);
    expect(batches.flat()).toEqual(items);
  });
});
