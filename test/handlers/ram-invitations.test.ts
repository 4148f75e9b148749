import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AcceptResourceShareInvitationCommand,
  GetResourceShareInvitationsCommand,
  RAMClient,
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
  validateProperties(props: Record<string, unknown> | undefined): { senderAccountId: string; expectedShares: number };
  pendingInvitationArns(invitations: readonly ResourceShareInvitation[], senderAccountId: string): string[];
  countLiveInvitations(invitations: readonly ResourceShareInvitation[], senderAccountId: string): number;
  waitDeadlineMs(context: LambdaContext): number;
  isRetryable(err: unknown): boolean;
  POLL_INTERVAL_MS: number;
  WAIT_DEADLINE_MS: number;
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
      Fingerprint: 'abc123',
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

describe('Custom::RamInvitationAcceptance handler', () => {
  describe('create and update', () => {
    it('given invitations spread over three pages, when created, then follows nextToken to the end and accepts the pending ones of every page', async () => {
      ramMock
        .on(GetResourceShareInvitationsCommand)
        .resolvesOnce({ resourceShareInvitations: [invitation(1, 'PENDING')], nextToken: 'page-2' })
        .resolvesOnce({ resourceShareInvitations: [invitation(2, 'ACCEPTED')], nextToken: 'page-3' })
        .resolvesOnce({ resourceShareInvitations: [invitation(3, 'PENDING')] });
      ramMock.on(AcceptResourceShareInvitationCommand).resolves({});

      await ram.handler(event(), context);

      expect(listInputs()).toStrictEqual([
        { maxResults: 100 },
        { maxResults: 100, nextToken: 'page-2' },
        { maxResults: 100, nextToken: 'page-3' },
      ]);
      expect(acceptInputs()).toStrictEqual([{ resourceShareInvitationArn: arn(1) }, { resourceShareInvitationArn: arn(3) }]);
      expect(sentResponse()).toStrictEqual({
        Status: 'SUCCESS',
        PhysicalResourceId: PHYSICAL_ID,
        StackId: STACK_ID,
        RequestId: 'request-1',
        LogicalResourceId: 'AcceptGovernanceShares',
        NoEcho: false,
        Data: { Accepted: '2', ArnList: `${arn(1)},${arn(3)}` },
      });
    });

    it('given invitations in every state and from another sender, when updated, then accepts only the pending ones from the sender', async () => {
      ramMock.on(GetResourceShareInvitationsCommand).resolves({
        resourceShareInvitations: [
          invitation(1, 'PENDING'),
          invitation(2, 'ACCEPTED'),
          invitation(3, 'REJECTED'),
          invitation(4, 'EXPIRED'),
          invitation(5, 'PENDING', OTHER_SENDER),
          invitation(6, 'PENDING'),
        ],
      });
      ramMock.on(AcceptResourceShareInvitationCommand).resolves({});

      await ram.handler(
        event({ RequestType: 'Update', PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: { SenderAccountId: GOVERNANCE } }),
        context,
      );

      expect(listInputs()).toStrictEqual([{ maxResults: 100 }]);
      expect(acceptInputs()).toStrictEqual([{ resourceShareInvitationArn: arn(1) }, { resourceShareInvitationArn: arn(6) }]);
      expect(sentResponse()).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: PHYSICAL_ID,
        Data: { Accepted: '2', ArnList: `${arn(1)},${arn(6)}` },
      });
    });

    it('given an invitation accepted meanwhile, when accepting it raises ResourceShareInvitationAlreadyAcceptedException, then it counts as accepted', async () => {
      ramMock.on(GetResourceShareInvitationsCommand).resolves({
        resourceShareInvitations: [invitation(1, 'PENDING'), invitation(2, 'PENDING')],
      });
      ramMock
        .on(AcceptResourceShareInvitationCommand, { resourceShareInvitationArn: arn(1) })
        .rejects(new ResourceShareInvitationAlreadyAcceptedException({ message: 'already accepted', $metadata: {} }))
        .on(AcceptResourceShareInvitationCommand, { resourceShareInvitationArn: arn(2) })
        .resolves({});

      await ram.handler(withProps({ ExpectedShares: '2' }), context);

      expect(acceptInputs()).toStrictEqual([{ resourceShareInvitationArn: arn(1) }, { resourceShareInvitationArn: arn(2) }]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', Data: { Accepted: '2', ArnList: `${arn(1)},${arn(2)}` } });
    });

    it('given no invitations and no ExpectedShares, when created, then succeeds after one listing without waiting', async () => {
      ramMock.on(GetResourceShareInvitationsCommand).resolves({ resourceShareInvitations: [] });

      await ram.handler(event(), context);

      expect(listInputs()).toHaveLength(1);
      expect(acceptInputs()).toHaveLength(0);
      expect(sleeps).toStrictEqual([]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID, Data: { Accepted: '0', ArnList: '' } });
    });
  });

  describe('waiting for Lake Formation to create the invitations', () => {
    it('given the invitations appear over time, when two are expected, then polls every 5 s until both exist and accepts each once', async () => {
      ramMock
        .on(GetResourceShareInvitationsCommand)
        .resolvesOnce({ resourceShareInvitations: [invitation(9, 'PENDING', OTHER_SENDER)] })
        .resolvesOnce({ resourceShareInvitations: [invitation(1, 'PENDING')] })
        .resolvesOnce({ resourceShareInvitations: [invitation(1, 'ACCEPTED'), invitation(2, 'PENDING')] });
      ramMock.on(AcceptResourceShareInvitationCommand).resolves({});

      await ram.handler(withProps({ ExpectedShares: '2' }), context);

      expect(listInputs()).toHaveLength(3);
      expect(sleeps).toStrictEqual([5_000, 5_000]);
      expect(acceptInputs()).toStrictEqual([{ resourceShareInvitationArn: arn(1) }, { resourceShareInvitationArn: arn(2) }]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', Data: { Accepted: '2', ArnList: `${arn(1)},${arn(2)}` } });
    });

    it('given invitations accepted in an earlier run, when the expected count is reached, then nothing is accepted and no wait happens', async () => {
      ramMock.on(GetResourceShareInvitationsCommand).resolves({
        resourceShareInvitations: [invitation(1, 'ACCEPTED'), invitation(2, 'ACCEPTED')],
      });

      await ram.handler(withProps({ ExpectedShares: '2' }), context);

      expect(acceptInputs()).toHaveLength(0);
      expect(sleeps).toStrictEqual([]);
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', Data: { Accepted: '0', ArnList: '' } });
    });

    it('given too few invitations until the deadline, when created, then polls for 120 s and fails with the expected and found counts', async () => {
      ramMock.on(GetResourceShareInvitationsCommand).resolves({
        resourceShareInvitations: [invitation(1, 'ACCEPTED'), invitation(2, 'REJECTED'), invitation(3, 'PENDING', OTHER_SENDER)],
      });

      await ram.handler(withProps({ ExpectedShares: '3' }), context);

      // Listings at t = 0, 5, ..., 120 s.
      expect(listInputs()).toHaveLength(25);
      expect(sleeps).toHaveLength(24);
      expect(sleeps.every((ms) => ms === 5_000)).toBe(true);
      expect(acceptInputs()).toHaveLength(0);
      const body = sentResponse();
      expect(body).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: 'ram-invitations-create-failed-request-1',
        Data: {},
      });
      const reason = String(body.Reason);
      expect(reason).toContain(`Expected at least 3 resource share invitation(s) from account ${GOVERNANCE}`);
      expect(reason).toContain('found 1 after waiting 120 s');
      expect(reason).toContain("governance stack's Lake Formation grants");
      expect(reason.endsWith(` (see CloudWatch log stream ${LOG_STREAM})`)).toBe(true);
      expect(errorLog).toHaveBeenCalled();
    });

    it('given a Lambda with little time left, when waiting, then the deadline is shortened so CloudFormation still gets an answer', async () => {
      ramMock.on(GetResourceShareInvitationsCommand).resolves({ resourceShareInvitations: [] });

      await ram.handler(withProps({ ExpectedShares: '1' }), { logStreamName: LOG_STREAM, getRemainingTimeInMillis: () => 27_000 });

      // 27 s remaining minus a 15 s margin: listings at t = 0, 5, 10 and 12 s.
      expect(sleeps).toStrictEqual([5_000, 5_000, 2_000]);
      expect(listInputs()).toHaveLength(4);
      expect(sentResponse()).toMatchObject({ Status: 'FAILED' });
    });

    it('given a Lambda context, when computing the deadline, then it is at most 120 s and never negative', () => {
      expect(ram.waitDeadlineMs({ logStreamName: 'x' })).toBe(120_000);
      expect(ram.waitDeadlineMs({ logStreamName: 'x', getRemainingTimeInMillis: () => 900_000 })).toBe(120_000);
      expect(ram.waitDeadlineMs({ logStreamName: 'x', getRemainingTimeInMillis: () => 5_000 })).toBe(0);
    });
  });

  describe('delete', () => {
    it('given a delete, when handled, then makes no RAM call and succeeds with the same physical id', async () => {
      await ram.handler(event({ RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID }), context);

      expect(ramMock.calls()).toHaveLength(0);
      expect(sentResponse()).toStrictEqual({
        Status: 'SUCCESS',
        PhysicalResourceId: PHYSICAL_ID,
        StackId: STACK_ID,
        RequestId: 'request-1',
        LogicalResourceId: 'AcceptGovernanceShares',
        NoEcho: false,
        Data: {},
      });
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
      ['ExpectedShares', { ExpectedShares: 'two' }, '"two"', 'non-negative whole number'],
      ['ExpectedShares', { ExpectedShares: '-1' }, '"-1"', 'non-negative whole number'],
      ['ExpectedShares', { ExpectedShares: '1.5' }, '"1.5"', 'non-negative whole number'],
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
        expect(reason).toContain(`(see CloudWatch log stream ${LOG_STREAM})`);
      },
    );

    it('given valid properties, when validated, then ExpectedShares defaults to 0 and is parsed as a number', () => {
      expect(ram.validateProperties({ SenderAccountId: GOVERNANCE, Fingerprint: 'x' })).toStrictEqual({
        senderAccountId: GOVERNANCE,
        expectedShares: 0,
      });
      expect(ram.validateProperties({ SenderAccountId: GOVERNANCE, ExpectedShares: '12' })).toStrictEqual({
        senderAccountId: GOVERNANCE,
        expectedShares: 12,
      });
    });
  });

  describe('retries', () => {
    it('given throttling on listing and a transient error on accepting, when created, then retries with backoff and succeeds', async () => {
      ramMock
        .on(GetResourceShareInvitationsCommand)
        .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
        .resolves({ resourceShareInvitations: [invitation(1, 'PENDING')] });
      ramMock
        .on(AcceptResourceShareInvitationCommand)
        .rejectsOnce(new ServerInternalException({ message: 'Internal error', $metadata: {} }))
        .resolves({});

      await ram.handler(withProps({ ExpectedShares: '1' }), context);

      expect(listInputs()).toStrictEqual([{ maxResults: 100 }, { maxResults: 100 }]);
      expect(acceptInputs()).toStrictEqual([{ resourceShareInvitationArn: arn(1) }, { resourceShareInvitationArn: arn(1) }]);
      expect(sleeps).toHaveLength(2);
      sleeps.forEach((ms) => {
        expect(ms).toBeGreaterThanOrEqual(200);
        expect(ms).toBeLessThanOrEqual(300);
      });
      expect(sentResponse()).toMatchObject({ Status: 'SUCCESS', Data: { Accepted: '1', ArnList: arn(1) } });
    });

    it('given a non-retryable error on accepting, when created, then fails at once with the service message in Reason', async () => {
      ramMock.on(GetResourceShareInvitationsCommand).resolves({
        resourceShareInvitations: [invitation(1, 'PENDING'), invitation(2, 'PENDING')],
      });
      ramMock
        .on(AcceptResourceShareInvitationCommand)
        .rejects(new ResourceShareInvitationExpiredException({ message: 'The invitation has expired', $metadata: {} }));

      await ram.handler(event(), context);

      expect(acceptInputs()).toStrictEqual([{ resourceShareInvitationArn: arn(1) }]);
      expect(sleeps).toStrictEqual([]);
      expect(sentResponse()).toStrictEqual({
        Status: 'FAILED',
        Reason: `ResourceShareInvitationExpiredException: The invitation has expired (see CloudWatch log stream ${LOG_STREAM})`,
        PhysicalResourceId: 'ram-invitations-create-failed-request-1',
        StackId: STACK_ID,
        RequestId: 'request-1',
        LogicalResourceId: 'AcceptGovernanceShares',
        NoEcho: false,
        Data: {},
      });
    });

    it('given throttling that never stops, when updating, then gives up after 5 attempts and fails keeping the physical id', async () => {
      ramMock.on(GetResourceShareInvitationsCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

      await ram.handler(event({ RequestType: 'Update', PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: {} }), context);

      expect(listInputs()).toHaveLength(5);
      expect(sleeps).toHaveLength(4);
      expect(sentResponse()).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: PHYSICAL_ID,
        Reason: `ThrottlingException: Rate exceeded (see CloudWatch log stream ${LOG_STREAM})`,
      });
    });
  });

  describe('response', () => {
    it('given the response PUT is rejected, when handled, then the error is logged and rethrown', async () => {
      fetchMock.mockRejectedValue(new Error('socket hang up'));

      await expect(ram.handler(event({ RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID }), context)).rejects.toThrow(
        'socket hang up',
      );
      expect(errorLog).toHaveBeenCalledWith('Failed to send the response to CloudFormation', expect.any(Error));
    });

    it('given the presigned URL answers 500, when handled, then the handler rejects', async () => {
      ramMock.on(GetResourceShareInvitationsCommand).resolves({ resourceShareInvitations: [] });
      fetchMock.mockResolvedValue({ ok: false, status: 500, statusText: 'Internal Server Error' });

      await expect(ram.handler(event(), context)).rejects.toThrow('HTTP 500 Internal Server Error');
    });
  });

  describe('pure helpers', () => {
    it('given duplicated and mixed invitations, when selecting and counting, then only the sender’s distinct live ones count', () => {
      const invitations = [
        invitation(1, 'PENDING'),
        invitation(1, 'PENDING'),
        invitation(2, 'ACCEPTED'),
        invitation(3, 'EXPIRED'),
        invitation(4, 'PENDING', OTHER_SENDER),
      ];
      expect(ram.pendingInvitationArns(invitations, GOVERNANCE)).toStrictEqual([arn(1)]);
      expect(ram.countLiveInvitations(invitations, GOVERNANCE)).toBe(2);
      expect(ram.countLiveInvitations(invitations, OTHER_SENDER)).toBe(1);
    });

    it('given RAM error names, when classified, then throttling and transient errors are retryable and others are not', () => {
      for (const name of ['ThrottlingException', 'ServiceUnavailableException', 'ServerInternalException', 'TooManyRequestsException']) {
        expect(ram.isRetryable(Object.assign(new Error('x'), { name }))).toBe(true);
      }
      for (const name of ['ResourceShareInvitationAlreadyAcceptedException', 'MalformedArnException', 'Error']) {
        expect(ram.isRetryable(Object.assign(new Error('x'), { name }))).toBe(false);
      }
    });

    it('given constants, when read, then they match the documented poll interval and deadline', () => {
      expect(ram.POLL_INTERVAL_MS).toBe(5_000);
      expect(ram.WAIT_DEADLINE_MS).toBe(120_000);
      expect(ram.physicalResourceId(GOVERNANCE)).toBe(PHYSICAL_ID);
    });
  });
});
