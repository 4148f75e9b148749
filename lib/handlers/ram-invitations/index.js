// @ts-check
'use strict';

/**
 * Custom::RamInvitationAcceptance
 *
 * CloudFormation custom resource (invoked directly through `ServiceToken`) deployed in a consumer account. It
 * accepts the AWS RAM resource share invitations that AWS Lake Formation creates when the governance account
 * grants Data Catalog resources to this account, and waits until every governance database the account links to
 * is reachable through an accepted share. Only needed when the two accounts are not in one AWS Organization
 * with RAM sharing enabled: inside such an organization the shares need no acceptance
 * (https://docs.aws.amazon.com/lake-formation/latest/dg/accepting-ram-invite.html).
 *
 * Which invitations are accepted: only PENDING ones sent by `SenderAccountId` whose share holds nothing but Data
 * Catalog resources (`glue:Catalog`, `glue:Database`, `glue:Table`) owned by that account, which is what Lake
 * Formation shares. Lake Formation does not document a share name to rely on (its own example shows a name
 * without any `LakeFormation-` prefix), so the resources decide, read with ListPendingInvitationResources
 * (https://docs.aws.amazon.com/ram/latest/APIReference/API_ListPendingInvitationResources.html). Invitations
 * for anything else stay pending.
 *
 * When it is done: Lake Formation maps several grants to one share (cross-account version 2 and later,
 * https://docs.aws.amazon.com/lake-formation/latest/dg/optimize-ram.html), so the number of shares says nothing.
 * The handler instead waits (polling with backoff, under the Lambda deadline) until every expected database, or a
 * table in it, is listed by ListResources among the resources other accounts share with this one
 * (https://docs.aws.amazon.com/ram/latest/APIReference/API_ListResources.html) or was in a share it just accepted.
 * Then SUCCESS; otherwise FAILED naming the databases still missing.
 *
 * ResourceProperties (CloudFormation passes every value as a string):
 * - `SenderAccountId`   12-digit id of the governance account whose invitations are accepted.
 * - `ExpectedDatabases` names of the governance-catalog databases this account needs (may be empty).
 * - `Region`            optional region of the governance catalog, where RAM holds its shares; defaults to the
 *                       function's region.
 *
 * Delete does nothing: leaving a share is harmless and the governance side revokes its grants.
 */

const {
  RAMClient,
  GetResourceShareInvitationsCommand,
  AcceptResourceShareInvitationCommand,
  ListPendingInvitationResourcesCommand,
  ListResourcesCommand,
} = require('@aws-sdk/client-ram');
const { runCustomResource, defaultFailedPhysicalResourceId } = require('../shared/cfn-response.js');
const {
  sdkClientConfig, errorName, isRetryable, withRetry, render, setSleep, setNow, sleep, now, RETRYABLE_ERRORS,
} = require('../shared/runtime.js');

/**
 * @typedef {import('@aws-sdk/client-ram').ResourceShareInvitation} ResourceShareInvitation
 * @typedef {import('@aws-sdk/client-ram').Resource} RamResource
 * @typedef {import('../shared/cfn-response.js').CfnEvent} CustomResourceEvent
 * @typedef {import('../shared/cfn-response.js').LambdaContext} LambdaContext
 */

/**
 * @typedef {object} InvitationProperties
 * @property {string} senderAccountId
 * @property {string[]} expectedDatabases
 * @property {string | undefined} region
 */

/**
 * @typedef {object} AcceptResult
 * @property {string[]} accepted ARNs of the invitations accepted in this run, in the order accepted.
 * @property {string[]} reachable expected databases found reachable.
 * @property {number} polls How many times the shares were inspected.
 */

const PHYSICAL_ID_PREFIX = 'ram-invitations-';
const ACCOUNT_ID_PATTERN = /^\d{12}$/;
const DATABASE_NAME_PATTERN = /^[a-z0-9_-]{1,255}$/;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** RAM resource types of Data Catalog resources, the only ones Lake Formation puts in its shares. */
const LAKE_FORMATION_RESOURCE_TYPES = new Set(['glue:catalog', 'glue:database', 'glue:table']);

/** Delays between polls: 2 s, 4 s, 8 s, then every 15 s. */
const POLL_BASE_DELAY_MS = 2_000;
const POLL_MAX_DELAY_MS = 15_000;
/** How long to wait for the shares when the Lambda context gives no deadline. */
const DEFAULT_WAIT_MS = 240_000;
/** Stop polling this long before the work deadline, so the answer names the missing databases. */
const POLL_MARGIN_MS = 5_000;
const PAGE_SIZE = 100;

/** @type {Map<string, RAMClient>} */
const clients = new Map();

/**
 * @param {string | undefined} region
 * @returns {RAMClient}
 */
function getClient(region) {
  const key = region ?? '';
  let c = clients.get(key);
  if (!c) {
    c = new RAMClient(sdkClientConfig(region));
    clients.set(key, c);
  }
  return c;
}

/**
 * @param {string} senderAccountId
 * @returns {string}
 */
function physicalResourceId(senderAccountId) {
  return `${PHYSICAL_ID_PREFIX}${senderAccountId}`;
}

/**
 * Checks the resource properties and returns them normalised. Throws one error listing every problem found.
 * @param {Record<string, unknown> | undefined} props
 * @returns {InvitationProperties}
 */
function validateProperties(props) {
  const p = props ?? {};
  /** @type {string[]} */
  const problems = [];

  const sender = p.SenderAccountId;
  if (typeof sender !== 'string' || !ACCOUNT_ID_PATTERN.test(sender)) {
    problems.push(`\`SenderAccountId\` must be a 12-digit AWS account id, got: ${render(sender)}`);
  }

  const databases = p.ExpectedDatabases ?? [];
  if (!Array.isArray(databases)) {
    problems.push(`\`ExpectedDatabases\` must be a list of Glue database names, got: ${render(databases)}`);
  } else {
    databases.forEach((d, i) => {
      if (typeof d !== 'string' || !DATABASE_NAME_PATTERN.test(d)) {
        problems.push(`\`ExpectedDatabases[${i}]\` must be a Glue database name matching ${DATABASE_NAME_PATTERN.source}, got: ${render(d)}`);
      }
    });
  }

  const region = p.Region;
  if (region !== undefined && region !== '' && (typeof region !== 'string' || !REGION_PATTERN.test(region))) {
    problems.push(`\`Region\` must be an AWS region code such as "eu-west-1" (or be left out), got: ${render(region)}`);
  }

  if (problems.length > 0) {
    throw new Error(`Invalid properties for Custom::RamInvitationAcceptance: ${problems.join('; ')}`);
  }
  return {
    senderAccountId: /** @type {string} */ (sender),
    expectedDatabases: [...new Set(/** @type {string[]} */ (databases))].sort(),
    region: typeof region === 'string' && region !== '' ? region : undefined,
  };
}

/**
 * Invitations from `senderAccountId` waiting to be accepted (status PENDING), without duplicates.
 * @param {readonly ResourceShareInvitation[]} invitations
 * @param {string} senderAccountId
 * @returns {string[]} invitation ARNs
 */
function pendingInvitationArns(invitations, senderAccountId) {
  return [
    ...new Set(
      invitations
        .filter((i) => i.senderAccountId === senderAccountId && i.status === 'PENDING')
        .map((i) => i.resourceShareInvitationArn)
        .filter((arn) => typeof arn === 'string' && arn.length > 0),
    ),
  ].map((arn) => /** @type {string} */ (arn));
}

/**
 * The account that owns a resource, from its ARN.
 * @param {string | undefined} arn
 * @returns {string | undefined}
 */
function ownerOf(arn) {
  return arn?.split(':')[4];
}

/**
 * Whether the resources of a share are what Lake Formation shares: at least one, every one a Data Catalog
 * resource owned by the sender.
 * @param {readonly RamResource[]} resources
 * @param {string} senderAccountId
 * @returns {boolean}
 */
function isLakeFormationShare(resources, senderAccountId) {
  return resources.length > 0 && resources.every((r) =>
    LAKE_FORMATION_RESOURCE_TYPES.has(String(r.type).toLowerCase()) && ownerOf(r.arn) === senderAccountId);
}

/**
 * Names of the sender's databases that the resources make reachable: a shared database, or a database with a
 * shared table (`...:database/<name>`, `...:table/<database>/<table>`).
 * @param {readonly RamResource[]} resources
 * @param {string} senderAccountId
 * @returns {Set<string>}
 */
function reachableDatabases(resources, senderAccountId) {
  /** @type {Set<string>} */
  const names = new Set();
  for (const r of resources) {
    if (ownerOf(r.arn) !== senderAccountId) continue;
    if (r.status !== undefined && r.status !== 'AVAILABLE') continue;
    const resource = String(r.arn).split(':').slice(5).join(':');
    const [kind, database] = resource.split('/');
    if ((kind === 'database' || kind === 'table') && database) names.add(database);
  }
  return names;
}

/**
 * Follows `nextToken` to the last page.
 * @template P
 * @param {string} what
 * @param {(nextToken: string | undefined) => Promise<{ items: P[], nextToken?: string }>} fetchPage
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<P[]>}
 */
async function allPages(what, fetchPage, signal) {
  /** @type {P[]} */
  const all = [];
  /** @type {string | undefined} */
  let nextToken;
  do {
    const token = nextToken;
    const page = await withRetry(what, () => fetchPage(token), signal);
    all.push(...page.items);
    nextToken = page.nextToken || undefined;
  } while (nextToken !== undefined);
  return all;
}

/**
 * @param {InvitationProperties} props
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<ResourceShareInvitation[]>}
 */
function listInvitations(props, signal) {
  return allPages('GetResourceShareInvitations', async (nextToken) => {
    const page = await getClient(props.region).send(new GetResourceShareInvitationsCommand(
      nextToken === undefined ? { maxResults: PAGE_SIZE } : { maxResults: PAGE_SIZE, nextToken }), { abortSignal: signal });
    return { items: page.resourceShareInvitations ?? [], nextToken: page.nextToken };
  }, signal);
}

/**
 * @param {InvitationProperties} props
 * @param {string} invitationArn
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<RamResource[]>}
 */
function listPendingResources(props, invitationArn, signal) {
  return allPages(`ListPendingInvitationResources ${invitationArn}`, async (nextToken) => {
    const page = await getClient(props.region).send(new ListPendingInvitationResourcesCommand({
      resourceShareInvitationArn: invitationArn, maxResults: PAGE_SIZE, ...(nextToken === undefined ? {} : { nextToken }),
    }), { abortSignal: signal });
    return { items: page.resources ?? [], nextToken: page.nextToken };
  }, signal);
}

/**
 * @param {InvitationProperties} props
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<RamResource[]>}
 */
function listSharedResources(props, signal) {
  return allPages('ListResources', async (nextToken) => {
    const page = await getClient(props.region).send(new ListResourcesCommand({
      resourceOwner: 'OTHER-ACCOUNTS', maxResults: PAGE_SIZE, ...(nextToken === undefined ? {} : { nextToken }),
    }), { abortSignal: signal });
    return { items: page.resources ?? [], nextToken: page.nextToken };
  }, signal);
}

/**
 * Accepts one invitation. An invitation that is already accepted counts as accepted.
 * @param {InvitationProperties} props
 * @param {string} arn
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<void>}
 */
async function acceptInvitation(props, arn, signal) {
  try {
    await withRetry(`AcceptResourceShareInvitation ${arn}`, () =>
      getClient(props.region).send(new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: arn }), { abortSignal: signal }),
    signal);
    console.log(`Accepted resource share invitation ${arn}`);
  } catch (err) {
    if (errorName(err) === 'ResourceShareInvitationAlreadyAcceptedException') {
      console.log(`Resource share invitation ${arn} was already accepted`);
      return;
    }
    throw err;
  }
}

/**
 * Delay before poll number `poll + 1`: 2 s, 4 s, 8 s, then 15 s.
 * @param {number} poll
 * @returns {number}
 */
function pollDelay(poll) {
  return Math.min(POLL_MAX_DELAY_MS, POLL_BASE_DELAY_MS * 2 ** (poll - 1));
}

/**
 * Accepts the sender's pending Lake Formation shares and waits until every expected database is reachable, or
 * `waitUntil` (clock time) passes (then throws naming the missing databases).
 * @param {InvitationProperties} props
 * @param {number} waitUntil
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<AcceptResult>}
 */
async function acceptInvitations(props, waitUntil, signal) {
  /** @type {string[]} */
  const accepted = [];
  /** Invitations whose share is not a Lake Formation share: left pending, inspected once. */
  /** @type {Set<string>} */
  const foreign = new Set();
  /** @type {RamResource[]} */
  const acceptedResources = [];
  for (let polls = 1; ; polls++) {
    const invitations = await listInvitations(props, signal);
    for (const arn of pendingInvitationArns(invitations, props.senderAccountId)) {
      if (accepted.includes(arn) || foreign.has(arn)) continue;
      const resources = await listPendingResources(props, arn, signal);
      if (resources.length === 0) {
        console.log(`Invitation ${arn} lists no resources yet; looking again at the next poll`);
        continue;
      }
      if (!isLakeFormationShare(resources, props.senderAccountId)) {
        console.warn(`Invitation ${arn} shares ${render(resources.map((r) => r.type))}, not only Data Catalog resources of ${props.senderAccountId}: left pending`);
        foreign.add(arn);
        continue;
      }
      await acceptInvitation(props, arn, signal);
      accepted.push(arn);
      acceptedResources.push(...resources.map((r) => ({ ...r, status: undefined })));
    }

    const reachable = reachableDatabases([...(await listSharedResources(props, signal)), ...acceptedResources], props.senderAccountId);
    const missing = props.expectedDatabases.filter((d) => !reachable.has(d));
    if (missing.length === 0) {
      return { accepted, reachable: props.expectedDatabases, polls };
    }
    const left = waitUntil - now();
    if (left <= 0) {
      throw new Error(
        `Governance databases not reachable through an accepted Lake Formation share from account ${props.senderAccountId} `
          + `after ${polls} polls: ${missing.join(', ')} (accepted ${accepted.length} invitation(s) in this run). `
          + 'The governance stack\'s Lake Formation grants to this account may not be deployed yet, or an invitation expired '
          + '(RAM invitations expire after 7 days): deploy the governance stack first, check the RAM console, then retry.',
      );
    }
    const wait = Math.min(pollDelay(polls), left);
    console.log(`Waiting for ${missing.length} database(s) (${missing.join(', ')}); polling again in ${wait} ms`);
    await sleep(wait);
  }
}

/**
 * The clock time until which to poll: the work deadline minus a margin, or 240 s without a deadline.
 * @param {number | undefined} deadlineAt
 * @returns {number}
 */
function waitUntilFor(deadlineAt) {
  return deadlineAt === undefined ? now() + DEFAULT_WAIT_MS : deadlineAt - POLL_MARGIN_MS;
}

/**
 * Does the work for one event. Throws on failure.
 * @param {CustomResourceEvent} event
 * @param {{ signal: AbortSignal, deadlineAt: number | undefined }} ctx
 * @returns {Promise<{ physicalResourceId: string, data: Record<string, string> }>}
 */
async function processEvent(event, ctx) {
  if (event.RequestType === 'Delete') {
    console.log('Delete: resource shares are left as they are; nothing to do');
    return { physicalResourceId: String(event.PhysicalResourceId), data: {} };
  }
  if (event.RequestType === 'Create' || event.RequestType === 'Update') {
    const props = validateProperties(event.ResourceProperties);
    const result = await acceptInvitations(props, waitUntilFor(ctx.deadlineAt), ctx.signal);
    console.log(`Accepted ${result.accepted.length} invitation(s) from ${props.senderAccountId}; reachable: ${result.reachable.join(', ')}`);
    return {
      physicalResourceId: physicalResourceId(props.senderAccountId),
      data: { Accepted: String(result.accepted.length), ArnList: result.accepted.join(','), Databases: result.reachable.join(',') },
    };
  }
  throw new Error(`Unsupported RequestType ${render(/** @type {{ RequestType?: unknown }} */ (event).RequestType)}`);
}

/**
 * Lambda entry point. Always answers CloudFormation, with SUCCESS or FAILED, before the Lambda deadline.
 * @param {CustomResourceEvent} event
 * @param {LambdaContext} context
 * @returns {Promise<void>}
 */
async function handler(event, context) {
  await runCustomResource(event, context, {
    work: (ctx) => processEvent(event, ctx),
    failedPhysicalResourceId: () => defaultFailedPhysicalResourceId(event, PHYSICAL_ID_PREFIX),
  });
}

module.exports = {
  handler,
  setSleep,
  setNow,
  physicalResourceId,
  validateProperties,
  pendingInvitationArns,
  isLakeFormationShare,
  reachableDatabases,
  pollDelay,
  isRetryable,
  RETRYABLE_ERRORS,
  DEFAULT_WAIT_MS,
  POLL_MARGIN_MS,
};
