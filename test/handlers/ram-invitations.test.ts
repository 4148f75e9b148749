import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AcceptResourceShareInvitationCommand,
  GetResourceShareInvitationsCommand,
  ListPendingInvitationResourcesCommand,
  ListResourcesCommand,
  RAMClient,
  Resource,
  ResourceShareInvitation,
  ResourceShareInvitationAlreadyAcceptedException,
  ResourceShareInvitationExpiredException,
  ServerInternalException,
  ThrottlingException,
} from '@aws-sdk/client-ram';

/** The exported API of lib/handlers/ram-invitations/index.js (plain CommonJS, typed by JSDoc). */
interface CfnEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  ResourceType?: string;
  PhysicalResourceId?: string;
  ResourceProperties: Record<string, unknown>;
  OldResourceProperties?: Record<string, unknown>;
}
interface LambdaContext {
  logStreamName: string;
  getRemainingTimeInMillis?: () => number;
}
interface RamHandlerModule {
  handler(event: CfnEvent, context: LambdaContext): Promise<void>;
  setSleep(fn: (ms: number) => Promise<void>): void;
  setNow(fn: () => number): void;
  physicalResourceId(senderAccountId: string): string;
  validateProperties(props: Record<string, unknown> | undefined): { senderAccountId: string; expectedDatabases: string[]; region?: string };
  pendingInvitationArns(invitations: readonly ResourceShareInvitation[], senderAccountId: string): string[];
  isLakeFormationShare(resources: readonly Resource[], senderAccountId: string): boolean;
  reachableDatabases(resources: readonly Resource[], senderAccountId: string): Set<string>;
  pollDelay(poll: number): number;
  isRetryable(err: unknown): boolean;
  DEFAULT_WAIT_MS: number;
}

// The handler is CommonJS JavaScript shipped as a Lambda asset; load it the way Lambda does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ram: RamHandlerModule = require('../../lib/handlers/ram-invitations/index.js');

const GOVERNANCE = '111111111111';
const OTHER_SENDER = '444444444444';
const CONSUMER = '222222222222';
const PHYSICAL_ID = `ram-invitations-${GOVERNANCE}`;
const RESPONSE_URL = 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/presigned?X-Amz-Signature=abc';
const LOG_STREAM = '2026/01/01/[$LATEST]fedcba9876543210';
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${CONSUMER}:stack/consumer/guid`;

const ramMock = mockClient(RAMClient);
let sleeps: number[];
let clock: number;
let fetchMock: ReturnType<typeof vi.fn>;
let errorLog: ReturnType<typeof vi.spyOn>;

function arn(n: number | string): string {
  return `arn:aws:ram:eu-west-1:${GOVERNANCE}:resource-share-invitation/inv-${n}`;
}

function invitation(n: number | string, status: ResourceShareInvitation['status'], sender = GOVERNANCE): ResourceShareInvitation {
  return {
    resourceShareInvitationArn: sender === GOVERNANCE ? arn(n) : `arn:aws:ram:eu-west-1:${sender}:resource-share-invitation/inv-${n}`,
    resourceShareName: `LakeFormation-V4-${n}`,
    senderAccountId: sender,
    receiverAccountId: CONSUMER,
    status,
  };
}

function event(overrides: Partial<CfnEvent> = {}): CfnEvent {
  return {
    RequestType: 'Create',
    ResponseURL: RESPONSE_URL,
    StackId: STACK_ID,
    RequestId: 'request-1',
    LogicalResourceId: 'AcceptGovernanceShares',
    ResourceType: 'Custom::RamInvitationAcceptance',
    ResourceProperties: {
      ServiceToken: `arn:aws:lambda:eu-west-1:${CONSUMER}:function:accept`,
      SenderAccountId: GOVERNANCE,
      ExpectedDatabases: ['sales_orders'],
    },
    ...overrides,
  };
}

function withProps(overrides: Record<string, unknown>, base: Partial<CfnEvent> = {}): CfnEvent {
  const e = event(base);
  return { ...e, ResourceProperties: { ...e.ResourceProperties, ...overrides } };
}

const context: LambdaContext = { logStreamName: LOG_STREAM };

/** The body of the single PUT sent to CloudFormation. */
function sentResponse(): Record<string, unknown> {
  expect(fetchMock).toHaveBeenCalledTimes(1);
  const [url, init] = fetchMock.mock.calls[0] as [string, { method: string; headers: Record<string, string>; body: string }];
  expect(url).toBe(RESPONSE_URL);
  expect(init.method).toBe('PUT');
  expect(init.headers).toEqual({ 'content-type': '', 'content-length': String(Buffer.byteLength(init.body)) });
  return JSON.parse(init.body);
}

function database(name: string, owner = GOVERNANCE): Resource {
  return { arn: `arn:aws:glue:eu-west-1:${owner}:database/${name}`, type: 'glue:Database', status: 'AVAILABLE' };
}

function table(db: string, name: string, owner = GOVERNANCE): Resource {
  return { arn: `arn:aws:glue:eu-west-1:${owner}:table/${db}/${name}`, type: 'glue:Table', status: 'AVAILABLE' };
}

/**
 * RAM as a store: invitations with the resources of their shares; accepting one makes its resources appear in
 * ListResources (what other accounts share with this one).
 */
function ramHolds(shares: { invitation: ResourceShareInvitation; resources: Resource[] }[], alreadyShared: Resource[] = []) {
  const shared = [...alreadyShared];
  ramMock.on(GetResourceShareInvitationsCommand).callsFake(async () => ({ resourceShareInvitations: shares.map((s) => ({ ...s.invitation })) }));
  ramMock.on(ListPendingInvitationResourcesCommand).callsFake(async (input) => ({
    resources: shares.find((s) => s.invitation.resourceShareInvitationArn === input.resourceShareInvitationArn)?.resources ?? [],
  }));
  ramMock.on(AcceptResourceShareInvitationCommand).callsFake(async (input) => {
    const share = shares.find((s) => s.invitation.resourceShareInvitationArn === input.resourceShareInvitationArn)!;
    share.invitation.status = 'ACCEPTED';
    shared.push(...share.resources);
    return {};
  });
  ramMock.on(ListResourcesCommand).callsFake(async () => ({ resources: [...shared] }));
}

function listInputs() {
  return ramMock.commandCalls(GetResourceShareInvitationsCommand).map((c) => c.args[0].input);
}

function acceptInputs() {
  return ramMock.commandCalls(AcceptResourceShareInvitationCommand).map((c) => c.args[0].input);
}

beforeEach(() => {
  ramMock.reset();
  sleeps = [];
  clock = 1_700_000_000_000;
  ram.setNow(() => clock);
  ram.setSleep(async (ms) => {
    sleeps.push(ms);
    clock += ms;
  });
  fetchMock = vi.fn(async () => ({ ok: true, status: 200, statusText: 'OK' }));
  vi.stubGlobal('fetch', fetchMock);
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});


const UPDATE = { RequestType: 'Update' as const, PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: { SenderAccountId: GOVERNANCE } };

describe('Custom::RamInvitationAcceptance handler', () => {
  describe('which invitations are accepted (defect 7)', () => {
    it('given a pending share that is not a Lake Formation share, when created, then it stays pending and only the Lake Formation share is accepted', async () => {
      ramHolds([
        { invitation: invitation(1, 'PENDING'), resources: [{ arn: `arn:aws:ec2:eu-west-1:${GOVERNANCE}:subnet/subnet-1`, type: 'ec2:Subnet' }] },
        { invitation: invitation(2, 'PENDING'), resources: [database('sales_orders'), table('sales_orders', 'orders')] },
      ]);

      await ram.handler(event(), context);

      expect(acceptInputs()).toStrictEqual([{ resourceShareInvitationArn: arn(2) }]);
      expect(sentResponse()).toStrictEqual({
        Status: 'SUCCESS',
        PhysicalResourceId: PHYSICAL_ID,
        StackId: STACK_ID,
        RequestId: 'request-1',
        LogicalResourceId: 'AcceptGovernanceShares',
        NoEcho: false,
        Data: { Accepted: '1', ArnList: arn(2), Databases: 'sales_orders' },
      });
    });

    it('given a share of Data Catalog resources owned by another account, when created, then it is not accepted', async () => {
      ramHolds([
        { invitation: invitation(1, 'PENDING'), resources: [database('sales_orders', OTHER_SENDER)] },
        { invitation: invitation(2, 'PENDING'), resources: [database('sales_orders')] },
        { invitation: invitation(3, 'PENDING', OTHER_SENDER), resources: [database('sales_orders', OTHER_SENDER)] },
      ]);

      await ram.handler(event(), context);

      expect(acceptInputs()).toStrictEqual([{ resourceShareInvitationArn: arn(2) }]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS' });
    });

    it('given the first of two needed shares is accepted, when the second appears later, then it waits for it instead of succeeding at once', async () => {
      const shares = [{ invitation: invitation(1, 'PENDING'), resources: [database('sales_orders')] }];
      ramHolds(shares);
      let polls = 0;
      ramMock.on(GetResourceShareInvitationsCommand).callsFake(async () => {
        polls++;
        if (polls === 3) shares.push({ invitation: invitation(2, 'PENDING'), resources: [table('hr_people', 'people')] });
        return { resourceShareInvitations: shares.map((s) => ({ ...s.invitation })) };
      });

      await ram.handler(withProps({ ExpectedDatabases: ['hr_people', 'sales_orders'] }), context);

      expect(acceptInputs()).toStrictEqual([{ resourceShareInvitationArn: arn(1) }, { resourceShareInvitationArn: arn(2) }]);
      expect(sleeps).toStrictEqual([2_000, 4_000]);
      expect(sentResponse()).toMatchObject({
        Status: 'SUCCESS',
        Data: { Accepted: '2', ArnList: `${arn(1)},${arn(2)}`, Databases: 'hr_people,sales_orders' },
      });
    });

    it('given databases shared earlier and already accepted, when updated, then nothing is accepted and no wait happens', async () => {
      ramHolds([{ invitation: invitation(1, 'ACCEPTED'), resources: [database('sales_orders')] }], [database('sales_orders')]);

      await ram.handler(event(UPDATE), context);

      expect(acceptInputs()).toHaveLength(0);
      expect(sleeps).toStrictEqual([]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID, Data: { Accepted: '0', ArnList: '' } });
    });

    it('given a database never shared, when the wait ends, then FAILED names the missing database', async () => {
      ramHolds([{ invitation: invitation(1, 'PENDING'), resources: [database('sales_orders')] }]);

      await ram.handler(withProps({ ExpectedDatabases: ['hr_people', 'sales_orders'] }), context);

      // without a Lambda deadline it waits 240 s: 2 + 4 + 8 + 15 × 15 + 1 s
      expect(sleeps.slice(0, 4)).toStrictEqual([2_000, 4_000, 8_000, 15_000]);
      expect(sleeps.reduce((a, b) => a + b, 0)).toBe(ram.DEFAULT_WAIT_MS);
      const body = sentResponse();
      expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'ram-invitations-create-failed-request-1' });
      const reason = String(body.Reason);
      expect(reason).toContain(`Governance databases not reachable through an accepted Lake Formation share from account ${GOVERNANCE}`);
      expect(reason).toContain(': hr_people (accepted 1 invitation(s) in this run)');
      expect(reason.endsWith(` (see CloudWatch log stream ${LOG_STREAM})`)).toBe(true);
    });

    it('given invitations spread over pages, when created, then follows nextToken on every listing', async () => {
      ramHolds([]);
      ramMock
        .on(GetResourceShareInvitationsCommand)
        .resolvesOnce({ resourceShareInvitations: [invitation(1, 'PENDING')], nextToken: 'page-2' })
        .resolvesOnce({ resourceShareInvitations: [invitation(2, 'ACCEPTED')] });
      ramMock.on(ListPendingInvitationResourcesCommand).resolves({ resources: [database('sales_orders')] });
      ramMock.on(AcceptResourceShareInvitationCommand).resolves({});
      ramMock
        .on(ListResourcesCommand)
        .resolvesOnce({ resources: [], nextToken: 'r-2' })
        .resolvesOnce({ resources: [database('sales_orders')] });

      await ram.handler(event(), context);

      expect(listInputs()).toStrictEqual([{ maxResults: 100 }, { maxResults: 100, nextToken: 'page-2' }]);
      expect(ramMock.commandCalls(ListResourcesCommand).map((c) => c.args[0].input)).toStrictEqual([
        { resourceOwner: 'OTHER-ACCOUNTS', maxResults: 100 },
        { resourceOwner: 'OTHER-ACCOUNTS', maxResults: 100, nextToken: 'r-2' },
      ]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', Data: { Accepted: '1' } });
    });

    it('given an invitation accepted meanwhile, when accepting it raises ResourceShareInvitationAlreadyAcceptedException, then it counts as accepted', async () => {
      ramHolds([{ invitation: invitation(1, 'PENDING'), resources: [database('sales_orders')] }], [database('sales_orders')]);
      ramMock.on(AcceptResourceShareInvitationCommand).rejects(
        new ResourceShareInvitationAlreadyAcceptedException({ message: 'already accepted', $metadata: {} }));

      await ram.handler(event(), context);

      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', Data: { Accepted: '1', ArnList: arn(1) } });
    });
  });

  describe('deadline (defect 12)', () => {
    it('given a Lambda with little time left, when waiting, then it stops polling before the deadline and still names what is missing', async () => {
      ramHolds([]);

      await ram.handler(event(), { logStreamName: LOG_STREAM, getRemainingTimeInMillis: () => 40_000 });

      // 40 s minus 15 s to answer minus 5 s margin: polls until t = 20 s
      expect(sleeps).toStrictEqual([2_000, 4_000, 8_000, 6_000]);
      expect(String(sentResponse().Reason)).toContain('sales_orders');
    });

    it('given GetResourceShareInvitations never answers, when the deadline nears, then FAILED is sent before the Lambda timeout', async () => {
      vi.useFakeTimers();
      try {
        ramMock.on(GetResourceShareInvitationsCommand).callsFake(() => new Promise(() => undefined));
        const started = Date.now();

        const done = ram.handler(event(), { logStreamName: LOG_STREAM, getRemainingTimeInMillis: () => 300_000 - (Date.now() - started) });
        await vi.advanceTimersByTimeAsync(285_000);
        await done;

        const body = sentResponse();
        expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'ram-invitations-create-failed-request-1' });
        expect(String(body.Reason)).toContain('Custom::RamInvitationAcceptance Create did not finish within 285 s');
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('delete', () => {
    it('given a delete, when handled, then makes no RAM call and succeeds with the same physical id', async () => {
      await ram.handler(event({ RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID }), context);

      expect(ramMock.calls()).toHaveLength(0);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID, Data: {} });
    });

    it('given a delete with invalid properties, when handled, then still succeeds without RAM calls', async () => {
      await ram.handler(withProps({ SenderAccountId: 'nope' }, { RequestType: 'Delete', PhysicalResourceId: 'x' }), context);

      expect(ramMock.calls()).toHaveLength(0);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'x' });
    });
  });

  describe('validation', () => {
    it.each([
      ['SenderAccountId', { SenderAccountId: '1234' }, '"1234"', '12-digit'],
      ['SenderAccountId', { SenderAccountId: undefined }, 'got: nothing', '12-digit'],
      ['ExpectedDatabases', { ExpectedDatabases: 'sales_orders' }, '"sales_orders"', 'list of Glue database names'],
      ['ExpectedDatabases[0]', { ExpectedDatabases: ['Sales Orders'] }, '"Sales Orders"', 'Glue database name'],
      ['Region', { Region: 'Ireland' }, '"Ireland"', 'AWS region code'],
    ])(
      'given an invalid %s (%j), when created, then fails naming the property, the value and what is allowed without calling RAM',
      async (property, overrides, renderedValue, allowed) => {
        await ram.handler(withProps(overrides), context);

        expect(ramMock.calls()).toHaveLength(0);
        const body = sentResponse();
        expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'ram-invitations-create-failed-request-1' });
        const reason = String(body.Reason);
        expect(reason).toContain(`\`${property}\``);
        expect(reason).toContain(renderedValue);
        expect(reason).toContain(allowed);
      },
    );

    it('given valid properties, when validated, then databases are de-duplicated and sorted and the region is optional', () => {
      expect(ram.validateProperties({ SenderAccountId: GOVERNANCE, ExpectedDatabases: ['b', 'a', 'b'] })).toStrictEqual({
        senderAccountId: GOVERNANCE, expectedDatabases: ['a', 'b'], region: undefined,
      });
      expect(ram.validateProperties({ SenderAccountId: GOVERNANCE, Region: 'eu-central-1' }).region).toBe('eu-central-1');
    });
  });

  describe('retries', () => {
    it('given throttling on listing and a transient error on accepting, when created, then retries with backoff and succeeds', async () => {
      ramHolds([{ invitation: invitation(1, 'PENDING'), resources: [database('sales_orders')] }], [database('sales_orders')]);
      const listing = ramMock.on(GetResourceShareInvitationsCommand);
      listing.rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
        .resolves({ resourceShareInvitations: [invitation(1, 'PENDING')] });
      ramMock.on(AcceptResourceShareInvitationCommand)
        .rejectsOnce(new ServerInternalException({ message: 'Internal error', $metadata: {} }))
        .resolves({});

      await ram.handler(event(), context);

      expect(listInputs()).toHaveLength(2);
      expect(acceptInputs()).toHaveLength(2);
      expect(sleeps).toHaveLength(2);
      sleeps.forEach((ms) => {
        expect(ms).toBeGreaterThanOrEqual(200);
        expect(ms).toBeLessThanOrEqual(300);
      });
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', Data: { Accepted: '1', ArnList: arn(1) } });
    });

    it('given a non-retryable error on accepting, when created, then fails at once with the service message in Reason', async () => {
      ramHolds([{ invitation: invitation(1, 'PENDING'), resources: [database('sales_orders')] }]);
      ramMock.on(AcceptResourceShareInvitationCommand)
        .rejects(new ResourceShareInvitationExpiredException({ message: 'The invitation has expired', $metadata: {} }));

      await ram.handler(event(), context);

      expect(sleeps).toStrictEqual([]);
      expect(sentResponse()).toMatchObject({
        Status: 'FAILED',
        Reason: `ResourceShareInvitationExpiredException: The invitation has expired (see CloudWatch log stream ${LOG_STREAM})`,
      });
    });

    it('given throttling that never stops, when updating, then gives up after 5 attempts and fails keeping the physical id', async () => {
      ramMock.on(GetResourceShareInvitationsCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

      await ram.handler(event(UPDATE), context);

      expect(listInputs()).toHaveLength(5);
      expect(sentResponse()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: PHYSICAL_ID });
    });
  });

  describe('response', () => {
    it('given the response PUT is always rejected, when handled, then it tries 3 times, logs and rethrows', async () => {
      fetchMock.mockRejectedValue(new Error('socket hang up'));

      await expect(ram.handler(event({ RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID }), context)).rejects.toThrow('socket hang up');
      expect(fetchMock).toHaveBeenCalledTimes(3);
      expect(errorLog).toHaveBeenCalledWith('Failed to send the response to CloudFormation', expect.any(Error));
    });

    it('given the presigned URL answers 500 twice, when handled, then the third upload delivers the answer', async () => {
      fetchMock
        .mockResolvedValueOnce({ ok: false, status: 500, statusText: 'Internal Server Error' })
        .mockResolvedValueOnce({ ok: false, status: 500, statusText: 'Internal Server Error' });

      await ram.handler(event({ RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID }), context);

      expect(fetchMock).toHaveBeenCalledTimes(3);
      expect(sleeps).toStrictEqual([500, 1_000]);
    });
  });

  describe('pure helpers', () => {
    it('given shares of various resources, when classified, then only Data Catalog resources of the sender make a Lake Formation share', () => {
      expect(ram.isLakeFormationShare([database('a'), table('a', 't'), { arn: `arn:aws:glue:eu-west-1:${GOVERNANCE}:catalog`, type: 'glue:Catalog' }], GOVERNANCE)).toBe(true);
      expect(ram.isLakeFormationShare([], GOVERNANCE)).toBe(false);
      expect(ram.isLakeFormationShare([database('a'), { arn: `arn:aws:ec2:eu-west-1:${GOVERNANCE}:subnet/s`, type: 'ec2:Subnet' }], GOVERNANCE)).toBe(false);
      expect(ram.isLakeFormationShare([database('a', OTHER_SENDER)], GOVERNANCE)).toBe(false);
    });

    it('given shared databases and tables, when computing reachable databases, then tables count for their database and unavailable or foreign ones do not', () => {
      const reachable = ram.reachableDatabases([
        database('a'), table('b', 't'), { ...database('c'), status: 'PENDING' }, database('d', OTHER_SENDER),
      ], GOVERNANCE);
      expect([...reachable].sort()).toStrictEqual(['a', 'b']);
    });

    it('given duplicated and mixed invitations, when selecting, then only the sender’s distinct pending ones remain', () => {
      expect(ram.pendingInvitationArns([invitation(1, 'PENDING'), invitation(1, 'PENDING'), invitation(2, 'ACCEPTED'), invitation(4, 'PENDING', OTHER_SENDER)], GOVERNANCE))
        .toStrictEqual([arn(1)]);
    });

    it('given polls, when computing the delay, then it doubles from 2 s up to 15 s', () => {
      expect([1, 2, 3, 4, 5].map((p) => ram.pollDelay(p))).toStrictEqual([2_000, 4_000, 8_000, 15_000, 15_000]);
      expect(ram.physicalResourceId(GOVERNANCE)).toBe(PHYSICAL_ID);
    });

    it('given RAM error names, when classified, then throttling and transient errors are retryable and others are not', () => {
      for (const name of ['ThrottlingException', 'ServiceUnavailableException', 'ServerInternalException', 'TooManyRequestsException']) {
        expect(ram.isRetryable(Object.assign(new Error('x'), { name }))).toBe(true);
      }
      for (const name of ['ResourceShareInvitationAlreadyAcceptedException', 'MalformedArnException', 'Error']) {
        expect(ram.isRetryable(Object.assign(new Error('x'), { name }))).toBe(false);
      }
    });
  });
});
